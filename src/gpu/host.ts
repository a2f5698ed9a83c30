/** The host as systeminformation sees it: used when there is no NVIDIA GPU to describe. */
import type { Ctx } from '../context.js';

export interface HostInfo {
  cpu: string;
  physicalCores: number;
  logicalCores: number;
  memoryBytes: number;
  /** Non-NVIDIA (or driverless) display controllers systeminformation found; may be empty. */
  otherGpus: Array<{ vendor: string; model: string; vramMiB: number | null }>;
}

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function probeHost(ctx: Pick<Ctx, 'log'>, timeoutMs = 5000): Promise<HostInfo> {
  const si = (await import('systeminformation')).default;
  const [cpu, mem, graphics] = await Promise.all([
    withTimeout(si.cpu(), timeoutMs, undefined),
    withTimeout(si.mem(), timeoutMs, undefined),
    withTimeout(
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
