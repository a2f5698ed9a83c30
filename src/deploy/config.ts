/**
 * fly.toml, as deploy's preflight sees it: does it parse, which app and region does it name, and
 * does it ask for a GPU guest (retired on Fly.io since 2026-08-01). Pure: text in, facts out.
 * The full rule set lives in `gpuctl validate`; preflight takes it as a ConfigCheck, which the
 * deploy command (commands/deploy.ts) hands in, so that this feature does not import validate.
 */
import { parse, TomlError } from 'smol-toml';
import { GPU_SIZE_PRESETS } from '../flyio/vm-sizes.js';
import { CPU_FALLBACK, gpuKindForPreset } from '../flyio/gpu-kinds.js';
import type { Finding } from '../shared/findings.js';

export type ConfigCheck = (flyToml: { path: string; text: string }) => Finding[];

export interface GpuGuest {
  /** gpu_kind as written, or the kind a GPU size preset selects. */
  kind: string;
  line: number | undefined;
  processes: string[];
  memory: string | undefined;
  /** The guest came from a GPU size preset (8 CPUs, 32 GB), not from gpu_kind alone (flyctl: performance-8x's 16 GB). */
  fromPreset: boolean;
}

export interface FlyTomlFacts {
  app: string | undefined;
  primaryRegion: string | undefined;
  gpuGuests: GpuGuest[];
}

export type ReadFlyToml = { ok: true; facts: FlyTomlFacts } | { ok: false; finding: Finding };

type Table = Record<string, unknown>;
const isTable = (value: unknown): value is Table => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `vm` may be a table or an array; legacy `compute`/`computes` fold into it (flyctl appconfig/patches.go). */
function vmEntries(doc: Table): Table[] {
  return ['vm', 'compute', 'computes'].flatMap((key) => {
    const value = doc[key];
    if (Array.isArray(value)) return value.filter(isTable);
    return isTable(value) ? [value] : [];
  });
}

function lineOf(text: string, pattern: RegExp, from = 0): number | undefined {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if (pattern.test(lines[i] ?? '')) return i + 1;
  return undefined;
}

function gpuGuestOf(entry: Table): string | undefined {
  const gpuKind = typeof entry.gpu_kind === 'string' && entry.gpu_kind !== '' && entry.gpu_kind !== 'none' ? entry.gpu_kind : undefined;
  const size = typeof entry.size === 'string' ? entry.size : undefined;
  const presetKind = size && (GPU_SIZE_PRESETS as readonly string[]).includes(size) ? gpuKindForPreset(size) : undefined;
  const gpus = typeof entry.gpus === 'number' && entry.gpus > 0;
  return gpuKind ?? presetKind ?? (gpus ? 'unspecified' : undefined);
}

export function readFlyToml(path: string, text: string): ReadFlyToml {
  let doc: Table;
  try {
    doc = parse(text);
  } catch (error) {
    const line = error instanceof TomlError ? error.line : 1;
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    const fix = 'Fix the syntax at this line and column; nothing else was checked.';
    return {
      ok: false,
      finding: { id: 'toml-syntax', severity: 'error', file: path, line, message: `fly.toml is not valid TOML: ${message}`, fix },
    };
  }
  const gpuLine = /^\s*(vm\.|compute\.)?(gpu_kind|gpus)\s*=|^\s*(vm\.)?size\s*=\s*["'](a10|l40s|a100-40gb|a100-80gb)["']/;
  let searchFrom = 0;
  const gpuGuests: GpuGuest[] = [];
  for (const entry of vmEntries(doc)) {
    const kind = gpuGuestOf(entry);
    if (!kind) continue;
    const line = lineOf(text, gpuLine, searchFrom);
    searchFrom = line ?? searchFrom;
    const processes = Array.isArray(entry.processes) ? entry.processes.filter((p): p is string => typeof p === 'string') : [];
    const memory = typeof entry.memory === 'string' || typeof entry.memory === 'number' ? String(entry.memory) : undefined;
    const fromPreset = typeof entry.size === 'string' && (GPU_SIZE_PRESETS as readonly string[]).includes(entry.size);
    gpuGuests.push({ kind, line, processes, memory, fromPreset });
  }
  return {
    ok: true,
    facts: {
      app: typeof doc.app === 'string' && doc.app !== '' ? doc.app : undefined,
      primaryRegion: typeof doc.primary_region === 'string' && doc.primary_region !== '' ? doc.primary_region : undefined,
      gpuGuests,
    },
  };
}

/**
 * The [[vm]] block to use instead of a GPU guest: the CPU preset with the GPU preset's CPUs and memory
 * (performance-8x has 16 GB of its own, a GPU preset had 32 GB; memory written in the guest stays).
 */
export function cpuLayoutFor(guest: GpuGuest): string {
  const lines = ['[[vm]]', `  size = "${CPU_FALLBACK.size}"`];
  const memory = guest.memory ?? (guest.fromPreset ? CPU_FALLBACK.memory : undefined);
  if (memory) lines.push(`  memory = ${/^\d+$/.test(memory) ? memory : `"${memory}"`}`);
  if (guest.processes.length) lines.push(`  processes = [${guest.processes.map((p) => `"${p}"`).join(', ')}]`);
  return lines.join('\n');
}
