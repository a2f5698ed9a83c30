/**
 * One diag run: for each chosen GPU in turn, the benchmark program's checks for the level while
 * nvidia-smi is sampled every second (the "under load" readings), then the counters after, the
 * kernel log, and the verdict. The program's path and the GPU list come from the command.
 */
import type { Ctx } from '../context.js';
import { InterruptedError, isGpuctlError, MissingError } from '../errors.js';
import { decideGpu, decideMissing, type GpuResult, type Level, type ProgramRun } from './decide.js';
import { readKernelLog } from '../gpu/kernel-log.js';
import { queryHealth, runProgram } from './probe.js';
import type { SmiHealth } from './smi.js';

export const DIAG_SCHEMA_VERSION = 1;
export interface DiagPlan {
  level: Level;
  gpus: number[];
  /** Stress seconds for medium and long. */
  durationS: number;
  program: string;
  /** Test only (GPUCTL_DIAG_INJECT_FAULT): passed to the program as --inject-fault. */
  fault: string | undefined;
}
export interface DiagReport {
  schemaVersion: typeof DIAG_SCHEMA_VERSION;
  level: Level;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  verdict: GpuResult['verdict'];
  /** "GPU 0: memtest", one per failed check. */
  failed: string[];
  gpus: GpuResult[];
  /** GPUs the program could not use (its exit 3): no verdict, and the run exits 3 after reporting the others. */
  unusable: Array<{ index: number; message: string }>;
  programArgs: string[];
}

/** Exit 3 for the GPUs the program could not use, or undefined when it used them all. */
export function unusableError(report: Pick<DiagReport, 'unusable'>): MissingError | undefined {
  if (!report.unusable.length) return undefined;
  return new MissingError(report.unusable.map((u) => u.message).join('; '), 'gpu', {
    code: 'device_missing',
    hint: 'Check the NVIDIA driver (nvidia-smi) and that this GPU is visible to the process.',
  });
}

const QUICK = ['gemm_bf16', 'black_scholes', 'mc_european', 'memtest', 'stress'];
const FULL = ['memcpy_d2d', 'h2d_pinned', 'd2h_pinned', ...QUICK];

export function programArgs(plan: Pick<DiagPlan, 'level' | 'durationS' | 'fault'>, device: number): string[] {
  const args = ['--device', String(device), '--kernel', (plan.level === 'quick' ? QUICK : FULL).join(',')];
  if (plan.level === 'quick') args.push('--quick', '--size', 'n=8192', '--size', 'seconds=3');
  else args.push('--size', 'n=16384', '--size', `seconds=${plan.durationS}`, '--size', 'mem_pct=95');
  if (plan.fault) args.push('--inject-fault', plan.fault);
  return args;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The program's run, and nvidia-smi's readings of GPU `index` taken while it ran (and the first reason one failed). */
async function underLoad(
  ctx: Ctx,
  work: Promise<ProgramRun>,
  index: number,
  fields: readonly string[],
): Promise<{ run: ProgramRun; load: SmiHealth[]; samplingError: string | undefined }> {
  const load: SmiHealth[] = [];
  let samplingError: string | undefined;
  let done = false;
  const finished = work.finally(() => {
    done = true;
  });
  const sampler = (async () => {
    await ctx.clock.sleep(700, ctx.signal); // past the program's start-up (context, allocation)
    while (!done && !ctx.signal.aborted) {
      const now = await queryHealth(ctx, fields).then(
        (r) => r.gpus,
        (error: unknown) => {
          samplingError ??= message(error);
          return [];
        },
      );
      if (!done) load.push(...now.filter((g) => g.index === index));
      await ctx.clock.sleep(1000, ctx.signal);
    }
  })();
  const run = await finished;
  await sampler;
  return { run, load, samplingError };
}

export async function runDiag(ctx: Ctx, plan: DiagPlan, onGpu: (index: number) => void = () => undefined): Promise<DiagReport> {
  const started = ctx.clock.now();
  const results: GpuResult[] = [];
  const unusable: DiagReport['unusable'] = [];
  let args: string[] = [];
  const timeoutMs = (plan.level === 'quick' ? 120 : plan.durationS + 600) * 1000;
  // Before any load: the query this driver answers (an old one's rejected fields asked by their older names or left
  // out), so a broken nvidia-smi fails here, not after hours of stress, and the samples ask the same.
  const { fields } = await queryHealth(ctx);
  for (const index of plan.gpus) {
    onGpu(index);
    args = programArgs(plan, index);
    const { run, load, samplingError } = await underLoad(ctx, runProgram(ctx, plan.program, args, timeoutMs), index, fields);
    // Ctrl-C: no verdict from a run cut short by the user (the state file keeps the last real one).
    if (ctx.signal.aborted) throw new InterruptedError(`Interrupted while testing GPU ${index}; no verdict was recorded.`);
    if (run.exitCode === 3) {
      // The program speaks for bench ("…; use --cpu to run the CPU implementations"): diag has no --cpu.
      const said = run.lines.find((l) => l.type === 'error')?.message;
      const why = typeof said === 'string' ? said.replace(/; use --cpu\b.*$/, '') : said;
      // Not a verdict, and no reason to drop the GPUs measured before it (or skip those after): the report keeps them
      // and the command exits 3 after recording them (unusableError).
      unusable.push({
        index,
        message: `No usable GPU ${index}: ${typeof why === 'string' ? why : run.stderrTail || 'the benchmark program exited 3'}`,
      });
      continue;
    }
    // A GPU fallen off the bus makes nvidia-smi itself fail ("Unable to determine the device handle", exit 15): that is
    // this GPU's verdict (present: fail, with nvidia-smi's words), not an error that loses the report.
    const reading = await queryHealth(ctx, fields).then(
      (r) => ({ after: r.gpus.find((g) => g.index === index), unread: undefined }),
      (error: unknown) => {
        if (isGpuctlError(error) && error.code === 'interrupted') throw error;
        return { after: undefined, unread: message(error) };
      },
    );
    const xid = await readKernelLog(ctx);
    const { after } = reading;
    results.push(
      after
        ? decideGpu(plan.level, { after, load, program: run, xid, samplingError })
        : decideMissing(plan.level, index, { load, program: run, xid, samplingError }, reading.unread),
    );
  }
  if (!results.length) throw unusableError({ unusable })!;
  const finished = ctx.clock.now();
  const failed = results.flatMap((g) => g.checks.filter((c) => c.verdict === 'fail').map((c) => `GPU ${g.index}: ${c.name}`));
  const verdict = failed.length ? 'fail' : results.some((g) => g.verdict === 'warn') ? 'warn' : 'pass';
  return {
    schemaVersion: DIAG_SCHEMA_VERSION,
    level: plan.level,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    seconds: (finished.getTime() - started.getTime()) / 1000,
    verdict,
    failed,
    gpus: results,
    unusable,
    programArgs: args,
  };
}
