/**
 * The `gpuctl bench --json` contract (schemaVersion 1, documented in docs/bench.md), built purely
 * from the program's lines, the detected GPU and the run's options. Fields are only ever added;
 * a change that breaks readers bumps schemaVersion.
 */
import type { DetectedGpu } from '../detect/detect.js';
import type { BenchBinary } from './build.js';
import type { BenchOptions } from './options.js';
import { cudaText } from './outcome.js';
import { ceilingGBs, CEILING_KERNEL, peakFigures, type PeakFigures } from './peak.js';
import type { BenchLine, DeviceLine, ResultLine } from './protocol.js';
import { deviceRecord, type BenchDevice, type HostInfo } from './device.js';

export const BENCH_SCHEMA_VERSION = 1;

/** A result line as the program sent it (less `type`), with the CPU timing completed and the peak figures. */
export interface BenchResult extends PeakFigures, Omit<ResultLine, 'type' | 'cpu'> {
  /** False for latencies (unit "us"): lower is better there. */
  higherIsBetter: boolean;
  /** The multi-threaded CPU implementation's time; speedup = cpu.medianMs / medianMs. */
  cpu: { medianMs: number; threads: number | null; measuredMs: number | null; fraction: number | null; speedup: number | null } | null;
}

export interface BenchFailure { suite: string | null; name: string | null; code: string; message: string }
export interface BenchSkip { suite: string; name: string; reason: string }

export interface BenchReport {
  schemaVersion: typeof BENCH_SCHEMA_VERSION;
  tool: { name: 'gpuctl'; version: string };
  program: { path: string; source: BenchBinary['source']; arch: string | null; nvcc: string | null; version: string | null; protocol: number | null; cudaRuntime: string | null };
  mode: 'gpu' | 'cpu';
  quick: boolean;
  repeat: number | null;
  /** --size overrides passed to the program; each result's `size` holds the sizes it ran with. */
  sizes: Record<string, number>;
  filters: { suites: string[]; kernels: string[] };
  host: HostInfo;
  device: BenchDevice | null;
  ceiling: { suite: string; name: string; gbs: number } | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** True when every selected kernel ran and passed its check. */
  ok: boolean;
  results: BenchResult[];
  skipped: BenchSkip[];
  failures: BenchFailure[];
}

export interface ReportInput {
  lines: readonly BenchLine[];
  options: Pick<BenchOptions, 'quick' | 'repeat' | 'sizes' | 'suites' | 'kernels' | 'cpu'>;
  binary: BenchBinary;
  gpu: DetectedGpu | null;
  driver: { driverVersion: string | null; cudaVersion: string | null };
  host: HostInfo;
  toolVersion: string;
  startedAt: Date;
  finishedAt: Date;
}

function resultRecord(line: ResultLine, profile: BenchDevice['profile'], ceiling: number | null, mode: 'gpu' | 'cpu'): BenchResult {
  const { suite, name, unit, value, medianMs, samplesMs, bytes, flops, size, precision, check, note } = line;
  const fields = { suite, name, unit, value, medianMs, samplesMs, bytes, flops, size, precision, check, note };
  const cpu = line.cpu ? { ...line.cpu, speedup: mode === 'gpu' && line.medianMs > 0 ? line.cpu.medianMs / line.medianMs : null } : null;
  const extra = line.extra ? { extra: line.extra } : {};
  return { ...fields, higherIsBetter: line.unit !== 'us' && line.unit !== 'ms', cpu, ...peakFigures(line, profile, ceiling, mode), ...extra };
}

export function buildReport(input: ReportInput): BenchReport {
  const { lines } = input;
  const hello = lines.find((l) => l.type === 'hello');
  const deviceLine = lines.find((l): l is DeviceLine => l.type === 'device') ?? null;
  const mode = hello?.type === 'hello' ? hello.mode : input.options.cpu ? 'cpu' : 'gpu';
  const resultLines = lines.filter((l): l is ResultLine => l.type === 'result');
  const device = mode === 'gpu' ? deviceRecord(deviceLine, input.gpu, input.driver) : null;
  const profile = device?.profile ?? null;
  const ceiling = mode === 'gpu' ? ceilingGBs(resultLines) : null;
  const results = resultLines.map((line) => resultRecord(line, profile, ceiling, mode));
  const failures: BenchFailure[] = lines.flatMap((l) => (l.type === 'error' ? [{ suite: l.suite, name: l.name, code: l.code, message: l.message }] : []));
  const skipped = lines.flatMap((l) => (l.type === 'skip' ? [{ suite: l.suite, name: l.name, reason: l.reason }] : []));
  const done = lines.find((l) => l.type === 'done');
  return {
    schemaVersion: BENCH_SCHEMA_VERSION,
    tool: { name: 'gpuctl', version: input.toolVersion },
    program: {
      path: input.binary.path,
      source: input.binary.source,
      arch: input.binary.arch,
      nvcc: input.binary.nvcc,
      version: hello?.type === 'hello' ? hello.version : null,
      protocol: hello?.type === 'hello' ? hello.protocol : null,
      cudaRuntime: cudaText(hello?.type === 'hello' ? hello.cudaRuntime : null),
    },
    mode,
    quick: input.options.quick,
    repeat: input.options.repeat,
    sizes: Object.fromEntries(input.options.sizes),
    filters: { suites: [...input.options.suites], kernels: [...input.options.kernels] },
    host: input.host,
    device,
    ceiling: ceiling === null ? null : { ...CEILING_KERNEL, gbs: ceiling },
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
    ok: failures.length === 0 && (done?.type === 'done' ? done.ok : false),
    results,
    skipped,
    failures,
  };
}
