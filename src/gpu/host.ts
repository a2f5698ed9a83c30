/**
 * The host as the kernel describes it: used when there is no NVIDIA GPU to describe. On Linux it is read from
 * /proc and /sys (names from the pci.ids file lspci uses), which takes a few milliseconds; systeminformation
 * (kept for other systems) started about ten shells (lspci, lscpu, dmidecode, xrandr...) and took most of
 * `gpuctl detect`'s time on such a machine. `detect --json` still names the source "systeminformation"
 * (the schema's name for "no NVIDIA GPU: host facts").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Ctx } from '../context.js';
import type { Clock } from '../shared/clock.js';

export interface HostInfo {
  cpu: string;
  physicalCores: number;
  logicalCores: number;
  memoryBytes: number;
  /** Display controllers (PCI class 03) the host has: non-NVIDIA ones, or NVIDIA ones without a driver; may be empty. */
  otherGpus: Array<{ vendor: string; model: string; vramMiB: number | null }>;
}

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** /proc/cpuinfo: the model, logical CPUs ("processor" entries) and physical cores (distinct socket and core ids). */
export function parseCpuinfo(text: string): { cpu: string | undefined; physicalCores: number; logicalCores: number } {
  const blocks = text.split(/\n\s*\n/).filter((b) => /^processor\s*:/m.test(b));
  const field = (block: string, name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(block)?.[1]?.trim();
  const cores = new Set(blocks.map((b) => `${field(b, 'physical id') ?? '0'}:${field(b, 'core id') ?? ''}`));
  const hasCoreIds = blocks.some((b) => field(b, 'core id') !== undefined);
  return {
    cpu: blocks.map((b) => field(b, 'model name') ?? field(b, 'Model')).find(Boolean),
    physicalCores: hasCoreIds ? cores.size : blocks.length,
    logicalCores: blocks.length,
  };
}

/** A vendor's and a device's names in pci.ids ("10de  NVIDIA Corporation", then "\t2330  GH100 [H100 SXM5 80GB]"). */
export function pciNames(ids: string | undefined, vendor: string, device: string): { vendor: string; model: string } {
  const fallback = { vendor: `PCI vendor ${vendor}`, model: `device ${device}` };
  if (ids === undefined) return fallback;
  const at = ids.indexOf(`\n${vendor}  `);
  if (at < 0) return fallback;
  const lines = ids.slice(at + 1).split('\n', 20_000);
  const name = lines[0]!.slice(vendor.length + 2).trim();
  for (const line of lines.slice(1)) {
    if (!line.startsWith('\t') && !line.startsWith('#')) break;
    if (line.startsWith(`\t${device}  `)) return { vendor: name, model: line.slice(device.length + 3).trim() };
  }
  return { vendor: name, model: fallback.model };
}

/** The Linux host under `root` ('/' but in tests): cpuinfo, meminfo, and the display controllers on the PCI bus. */
export function linuxHost(root = '/'): HostInfo {
  const cpuinfo = parseCpuinfo(readText(join(root, 'proc/cpuinfo')) ?? '');
  const memKb = /^MemTotal:\s+(\d+) kB/m.exec(readText(join(root, 'proc/meminfo')) ?? '')?.[1];
  const bus = join(root, 'sys/bus/pci/devices');
  let devices: string[] = [];
  try {
    devices = readdirSync(bus).sort();
  } catch {
    devices = [];
  }
  const id = (dir: string, file: string) => (readText(join(bus, dir, file)) ?? '').trim().replace(/^0x/, '').toLowerCase();
  const display = devices.filter((d) => id(d, 'class').startsWith('03'));
  const ids = display.length
    ? (readText(join(root, 'usr/share/misc/pci.ids')) ?? readText(join(root, 'usr/share/hwdata/pci.ids')))
    : undefined;
  return {
    cpu: cpuinfo.cpu ?? cpus()[0]?.model ?? 'unknown',
    physicalCores: cpuinfo.physicalCores || cpus().length,
    logicalCores: cpuinfo.logicalCores || cpus().length,
    memoryBytes: memKb ? Number(memKb) * 1024 : totalmem(),
    otherGpus: display.map((d) => ({ ...pciNames(ids, id(d, 'vendor'), id(d, 'device')), vramMiB: null })),
  };
}

function withTimeout<T>(clock: Clock, promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let cancel: (() => void) | undefined;
  const timeout = new Promise<T>((resolve) => {
    cancel = clock.after(ms, () => resolve(fallback));
  });
  return Promise.race([promise, timeout]).finally(() => cancel?.());
}

export async function probeHost(ctx: Pick<Ctx, 'log' | 'host' | 'clock'>, timeoutMs = 5000): Promise<HostInfo> {
  if (ctx.host.platform === 'linux') return linuxHost();
  const si = (await import('systeminformation')).default;
  const [cpu, mem, graphics] = await Promise.all([
    withTimeout(ctx.clock, si.cpu(), timeoutMs, undefined),
    withTimeout(ctx.clock, si.mem(), timeoutMs, undefined),
    withTimeout(
      ctx.clock,
      si.graphics().catch(() => undefined),
      timeoutMs,
      undefined,
    ),
  ]);
  if (!graphics) ctx.log.debug('systeminformation did not list display controllers in time');
  return {
    cpu: cpu ? `${cpu.manufacturer} ${cpu.brand}`.trim() : 'unknown',
    physicalCores: cpu?.physicalCores ?? 0,
    logicalCores: cpu?.cores ?? 0,
    memoryBytes: mem?.total ?? 0,
    otherGpus: (graphics?.controllers ?? []).map((c) => ({ vendor: c.vendor, model: c.model, vramMiB: c.vram ?? null })),
  };
}
