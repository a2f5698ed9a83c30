/**
 * The JSON-lines protocol of the native benchmark program (native/PROTOCOL.md), read defensively:
 * every line is checked field by field, unknown types and fields are ignored (the protocol says
 * so), and a line that is not protocol JSON becomes a reason naming it, never a wrong figure.
 */
export const PROTOCOL_VERSION = 1;

export interface HelloLine { type: 'hello'; protocol: number; version: string; cudaRuntime: number | null; mode: 'gpu' | 'cpu' }
export interface VersionLine { type: 'version'; protocol: number; version: string; cudaRuntime: number | null; built: string | null }
export interface DeviceLine {
  type: 'device';
  index: number;
  name: string;
  computeCapability: string;
  sms: number | null;
  memoryBytes: number | null;
  l2Bytes: number | null;
  smClockMHz: number | null;
  memClockMHz: number | null;
  busWidthBits: number | null;
  driverCuda: number | null;
  runtimeCuda: number | null;
  /** The CPUs a one-GPU run was bound to (its GPU's local CPUs, sysfs local_cpulist); null when not bound. */
  cpuAffinity: string | null;
  /** The GPU's NUMA node (sysfs numa_node); null when unknown. */
  numaNode: number | null;
}
export interface KernelLine { type: 'kernel'; suite: string; name: string; unit: string; description: string }
export interface Check { passed: boolean; metric: string; error: number | null; bound: number | null }
export interface CpuTiming { medianMs: number; threads: number | null; measuredMs: number | null; fraction: number | null }
export interface ResultLine {
  type: 'result';
  suite: string;
  name: string;
  unit: string;
  value: number;
  medianMs: number;
  samplesMs: number[];
  bytes: number;
  flops: number;
  size: Record<string, number>;
  precision: string | null;
  check: Check;
  cpu: CpuTiming | null;
  note: string | null;
  /** links, collectives, latency: the kernel-specific numbers (src, dst, algbw, p99Us, cpuP99Us …). */
  extra?: Record<string, number>;
}
export interface SkipLine { type: 'skip'; suite: string; name: string; reason: string }
export interface ErrorLine { type: 'error'; code: string; suite: string | null; name: string | null; message: string }
export interface DoneLine { type: 'done'; ok: boolean; failed: number }
export type BenchLine = HelloLine | VersionLine | DeviceLine | KernelLine | ResultLine | SkipLine | ErrorLine | DoneLine;

export type ParsedLine = { ok: true; line: BenchLine | null } | { ok: false; reason: string };

type Json = Record<string, unknown>;
class Bad extends Error {}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Json, k: string): string => {
  if (typeof o[k] !== 'string') throw new Bad(`"${k}" is not a string`);
  return o[k];
};
const optStr = (o: Json, k: string): string | null => (typeof o[k] === 'string' ? o[k] : null);
const num = (o: Json, k: string): number => {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Bad(`"${k}" is not a number`);
  return v;
};
const optNum = (o: Json, k: string): number | null => (typeof o[k] === 'number' && Number.isFinite(o[k]) ? o[k] : null);

function check(o: Json): Check {
  if (!isObject(o.check) || typeof o.check.passed !== 'boolean') throw new Bad('"check" is not an object with "passed"');
  return { passed: o.check.passed, metric: optStr(o.check, 'metric') ?? 'unknown', error: optNum(o.check, 'error'), bound: optNum(o.check, 'bound') };
}

function cpu(o: Json): CpuTiming | null {
  if (!isObject(o.cpu)) return null;
  return { medianMs: num(o.cpu, 'medianMs'), threads: optNum(o.cpu, 'threads'), measuredMs: optNum(o.cpu, 'measuredMs'), fraction: optNum(o.cpu, 'fraction') };
}

function result(o: Json): ResultLine {
  const samples = o.samplesMs;
  if (!Array.isArray(samples) || !samples.every((s) => typeof s === 'number' && Number.isFinite(s))) throw new Bad('"samplesMs" is not a list of numbers');
  const size: Record<string, number> = {};
  if (isObject(o.size)) for (const [k, v] of Object.entries(o.size)) if (typeof v === 'number') size[k] = v;
  const value = num(o, 'value');
  const medianMs = num(o, 'medianMs');
  const suite = str(o, 'suite');
  const extra: Record<string, number> = {};
  const keepsExtra = EXTRA_SUITES.includes(suite) || EXTRA_WHEN_PRESENT.includes(suite);
  if (keepsExtra) for (const [k, v] of Object.entries(o)) if (!KNOWN.has(k) && typeof v === 'number' && Number.isFinite(v)) extra[k] = v;
  const withExtra = EXTRA_SUITES.includes(suite) || Object.keys(extra).length > 0;
  return {
    type: 'result',
    suite,
    name: str(o, 'name'),
    unit: str(o, 'unit'),
    value,
    medianMs,
    samplesMs: samples as number[],
    bytes: optNum(o, 'bytes') ?? 0,
    flops: optNum(o, 'flops') ?? 0,
    size,
    precision: optStr(o, 'precision'),
    check: check(o),
    cpu: cpu(o),
    note: optStr(o, 'note'),
    ...(withExtra ? { extra } : {}),
  };
}

const EXTRA_SUITES = ['links', 'collectives', 'latency'];
// Finance lines carry kernel-specific numbers on some kernels only (Monte Carlo price and stderr; the quant kernels'
// disagreement with float64, issue 21): kept as `extra` where there are any.
const EXTRA_WHEN_PRESENT = ['finance'];
const KNOWN = new Set(['type', 'suite', 'name', 'unit', 'value', 'samplesMs', 'medianMs', 'bytes', 'flops', 'size', 'precision', 'check', 'cpu', 'speedup', 'note']);

function decode(o: Json): BenchLine | null {
  switch (o.type) {
    case 'hello': {
      const mode = str(o, 'mode');
      if (mode !== 'gpu' && mode !== 'cpu') throw new Bad(`"mode" is "${mode}"`);
      return { type: 'hello', protocol: num(o, 'protocol'), version: str(o, 'version'), cudaRuntime: optNum(o, 'cudaRuntime'), mode };
    }
    case 'version':
      return { type: 'version', protocol: num(o, 'protocol'), version: str(o, 'version'), cudaRuntime: optNum(o, 'cudaRuntime'), built: optStr(o, 'built') };
    case 'device':
      return {
        type: 'device',
        index: num(o, 'index'),
        name: str(o, 'name'),
        computeCapability: str(o, 'computeCapability'),
        ...Object.fromEntries(
          (['sms', 'memoryBytes', 'l2Bytes', 'smClockMHz', 'memClockMHz', 'busWidthBits', 'driverCuda', 'runtimeCuda', 'numaNode'] as const).map((k) => [k, optNum(o, k)]),
        ),
        cpuAffinity: optStr(o, 'cpuAffinity'),
      } as DeviceLine;
    case 'kernel':
      return { type: 'kernel', suite: str(o, 'suite'), name: str(o, 'name'), unit: str(o, 'unit'), description: optStr(o, 'description') ?? '' };
    case 'result':
      return result(o);
    case 'skip':
      return { type: 'skip', suite: str(o, 'suite'), name: str(o, 'name'), reason: optStr(o, 'reason') ?? 'no reason given' };
    case 'error':
      return { type: 'error', code: str(o, 'code'), suite: optStr(o, 'suite'), name: optStr(o, 'name'), message: optStr(o, 'message') ?? '(no message)' };
    case 'done':
      return { type: 'done', ok: o.ok === true, failed: optNum(o, 'failed') ?? 0 };
    default:
      return null; // an unknown type from a newer program: ignored, as the protocol says
  }
}

/** One stdout line. Blank lines and unknown types give `line: null`. */
export function parseLine(text: string): ParsedLine {
  if (text.trim() === '') return { ok: true, line: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'it is not JSON' };
  }
  if (!isObject(value)) return { ok: false, reason: 'it is not a JSON object' };
  if (typeof value.type !== 'string') return { ok: false, reason: 'it has no "type"' };
  try {
    return { ok: true, line: decode(value) };
  } catch (error) {
    if (error instanceof Bad) return { ok: false, reason: `a "${String(value.type)}" line whose ${error.message}` };
    throw error;
  }
}

export interface ParsedStream {
  lines: BenchLine[];
  /** The first line that is not protocol JSON (1-based number, its text, why). */
  garbage: { lineNo: number; text: string; reason: string } | null;
  /** True when the output ended in the middle of a line (no final newline). */
  truncated: boolean;
}

/** A whole stdout. */
export function parseStream(stdout: string): ParsedStream {
  const raw = stdout.split(/\r?\n/);
  const truncated = raw.at(-1) !== '';
  const lines: BenchLine[] = [];
  let garbage: ParsedStream['garbage'] = null;
  for (const [i, text] of raw.entries()) {
    const parsed = parseLine(text);
    if (parsed.ok) {
      if (parsed.line) lines.push(parsed.line);
    } else if (!garbage) {
      garbage = { lineNo: i + 1, text, reason: parsed.reason };
    }
  }
  return { lines, garbage, truncated };
}
