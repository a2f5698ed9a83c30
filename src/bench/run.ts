/**
 * Runs the benchmark program: `--list` (fast, no GPU) and the suite itself, streaming its JSON lines
 * to a progress callback as they arrive. What the run means is decided by interpretRun.
 */
import type { Ctx } from '../context.js';
import type { BenchBinary } from './build.js';
import type { BenchOptions } from './options.js';
import { programArgs } from './options.js';
import { interpretRun, type RunOutcome } from './outcome.js';
import { LIST_TIMEOUT_MS, msFromEnv, RUN_TIMEOUT_MS } from '../shared/paths.js';
import { parseLine, type BenchLine, type KernelLine } from './protocol.js';
import { UsageError } from '../errors.js';

type Selection = Pick<BenchOptions, 'suites' | 'kernels' | 'quick' | 'sizes' | 'repeat' | 'cpu'>;

export function runTimeoutMs(env: Ctx['env']): number {
  return msFromEnv(env, 'GPUCTL_BENCH_TIMEOUT_MS', RUN_TIMEOUT_MS);
}

/** The kernels the selection names (the program validates suite and kernel names). */
export async function listKernels(ctx: Ctx, binary: BenchBinary, selection: Selection): Promise<KernelLine[]> {
  const result = await ctx.exec({ file: binary.path, args: programArgs(selection, 'list'), timeoutMs: LIST_TIMEOUT_MS });
  const outcome = interpretRun(result, { program: binary.path, mode: 'list', driverVersion: null });
  const kernels = outcome.lines.filter((l): l is KernelLine => l.type === 'kernel');
  if (kernels.length === 0) {
    throw new UsageError(`No kernel matches ${[...selection.suites.map((s) => `--suite ${s}`), ...selection.kernels.map((k) => `--kernel ${k}`)].join(' ') || 'the selection'}.`, {
      hint: 'Run `gpuctl bench --list` to see the kernels of each suite.',
    });
  }
  return kernels;
}

export interface RunEvents {
  /** Every protocol line, as it arrives (garbage is skipped here and reported after the run). */
  line?(line: BenchLine): void;
}

export async function runSuite(
  ctx: Ctx,
  binary: BenchBinary,
  selection: Selection,
  driverVersion: string | null,
  events: RunEvents = {},
  gpus: readonly number[] = [],
): Promise<RunOutcome> {
  const result = await ctx.exec({
    file: binary.path,
    args: programArgs(selection, 'run', gpus),
    timeoutMs: runTimeoutMs(ctx.env),
    onLine: (text, stream) => {
      if (stream !== 'stdout') return;
      const parsed = parseLine(text);
      if (parsed.ok && parsed.line) events.line?.(parsed.line);
    },
  });
  return interpretRun(result, { program: binary.path, mode: 'run', driverVersion });
}
