/**
 * diag's adapters: the health fields through nvidia-smi (the house's runner and failure classifier),
 * the kernel log (src/gpu/kernel-log.ts), and the benchmark program's
 * lines (result, error, diag: native/PROTOCOL.md) for one GPU.
 */
import type { Ctx } from '../context.js';
import { MissingError, ToolError } from '../errors.js';
import { invalidField, queryArgs } from '../gpu/nvidia-smi.js';
import { runSmi, smiFailure } from '../gpu/smi-probe.js';
import { DIAG_FIELDS, fieldsWithout, parseHealth, unreadableLine, type SmiHealth } from './smi.js';
import type { ProgramRun } from './decide.js';

/**
 * The health fields of every GPU, and the query that got them: an old driver's rejected field is asked again by its
 * older name or left out (it reads "not reported"), so the caller asks the same from then on. Output that is not one
 * cell per field is an error, never a GPU of index -1.
 */
export async function queryHealth(
  ctx: Ctx,
  fields: readonly string[] = DIAG_FIELDS,
): Promise<{ gpus: SmiHealth[]; fields: readonly string[] }> {
  const run = await runSmi(ctx, queryArgs(fields));
  if (run.kind === 'absent')
    throw new MissingError('nvidia-smi is not installed: no NVIDIA driver on this machine.', 'gpu', {
      code: 'device_missing',
      hint: 'Run gpuctl diag on the GPU machine.',
    });
  if (run.kind === 'failed') {
    const fewer = fieldsWithout(invalidField(run.output), fields);
    if (fewer) {
      ctx.log.debug(`nvidia-smi does not know the field "${invalidField(run.output)}" (old driver); asking again`);
      return queryHealth(ctx, fewer);
    }
    smiFailure(run.output, run.exitCode);
  }
  const bad = unreadableLine(run.stdout, fields);
  if (bad !== undefined)
    throw new ToolError(`nvidia-smi printed output gpuctl cannot read: ${JSON.stringify(bad.slice(0, 120))}.`, 'nvidia-smi', 'bad_output', {
      hint: 'Run `nvidia-smi` yourself; is the one on PATH the real one?',
    });
  return { gpus: parseHealth(run.stdout, fields), fields };
}

/**
 * Runs the benchmark program; keeps the lines diag reads (results, errors, skips, diag lines). `--device N` must be
 * the GPU nvidia-smi calls N (whose samples diag reads): CUDA numbers GPUs fastest first and after
 * CUDA_VISIBLE_DEVICES, so the program runs in PCI bus order and sees every GPU (--gpus picks them).
 */
export async function runProgram(ctx: Ctx, path: string, args: readonly string[], timeoutMs: number): Promise<ProgramRun> {
  const lines: Array<Record<string, unknown>> = [];
  const result = await ctx.exec({
    file: path,
    args,
    timeoutMs,
    env: { ...ctx.env, CUDA_DEVICE_ORDER: 'PCI_BUS_ID', CUDA_VISIBLE_DEVICES: undefined },
    signal: ctx.signal,
    onLine: (text, stream) => {
      if (stream !== 'stdout') return;
      try {
        const line = JSON.parse(text) as unknown;
        if (line && typeof line === 'object' && !Array.isArray(line)) lines.push(line as Record<string, unknown>);
      } catch {
        // not protocol JSON: the exit status tells what went wrong
      }
    },
  });
  const exitCode = result.kind === 'exited' ? result.exitCode : null;
  const stderr = 'stderr' in result ? result.stderr : '';
  // In words, as a check's evidence says it ("benchmark program killed by SIGSEGV"): the bare kinds read "signaled", "timeout".
  const outcome =
    result.kind === 'signaled'
      ? `killed by ${result.signal}`
      : result.kind === 'timeout'
        ? `did not finish within ${result.timeoutMs / 1000} s`
        : result.kind === 'spawn-failed'
          ? `could not start (${result.message})`
          : result.kind === 'not-found'
            ? `could not start (${result.file}: no such file)`
            : result.kind;
  return { args: [...args], lines, exitCode, outcome, stderrTail: stderr.trim().split('\n').slice(-3).join(' | ') };
}
