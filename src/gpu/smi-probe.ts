/**
 * nvidia-smi, effectful half: runs the query (one call; a second only when an old driver rejects
 * a field) and turns every way it can go wrong into one clear error; starts the streaming form for the
 * agent's sampler (`streamSmi`). Both through the context (ctx.exec, ctx.stream), so tests fake them.
 */
import type { Ctx } from '../context.js';
import type { StreamHandle, StreamRequest } from '../exec.js';
import { InterruptedError, MissingError, ToolError } from '../errors.js';
import { dropField, invalidField, parseQuery, queryArgs, QUERY_FIELDS, QUERY_REQUIRED, type SmiGpu } from './nvidia-smi.js';
import { meaningfulLines } from './smi-text.js';
import { noSuchProgram, pointItAt } from '../shared/no-such-program.js';

export type SmiOutcome = { kind: 'absent' } | { kind: 'ok'; gpus: SmiGpu[]; fields: readonly string[] };

/** GPUCTL_NVIDIA_SMI when set (set and empty is unset, as for FLYCTL and DOCKER), else nvidia-smi from PATH. */
export function smiBinary(ctx: Pick<Ctx, 'env'>): string {
  return ctx.env.GPUCTL_NVIDIA_SMI || 'nvidia-smi';
}

export function smiTimeoutMs(ctx: Pick<Ctx, 'env'>): number {
  const fromEnv = Number(ctx.env.GPUCTL_NVIDIA_SMI_TIMEOUT_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 10_000;
}

const DRIVER_ERRORS: ReadonlyArray<readonly [RegExp, string, string]> = [
  [
    /couldn't communicate with the NVIDIA driver/i,
    'nvidia-smi cannot reach the NVIDIA driver: it is not loaded or not installed.',
    'Check `lsmod | grep nvidia` and install or load the driver; in a container, pass the GPU through (e.g. --gpus all).',
  ],
  [
    /No devices were found/i,
    'nvidia-smi found no NVIDIA GPU.',
    'Check that the GPU is visible to this machine or container (lspci | grep -i nvidia).',
  ],
  [
    /Driver\/library version mismatch/i,
    'The NVIDIA kernel driver and its user-space library have different versions.',
    'Reboot after a driver upgrade, or reinstall the driver so both parts match.',
  ],
  [
    /NVML Shared Library Not Found|libnvidia-ml/i,
    'nvidia-smi cannot load NVML (libnvidia-ml.so).',
    'Reinstall the NVIDIA driver utilities.',
  ],
];

export type SmiRun = { kind: 'absent' } | { kind: 'ok'; stdout: string } | { kind: 'failed'; output: string; exitCode: number };

/** What one nvidia-smi call came to, classified once: SmiRun, or why it did not run to an exit. */
export type SmiExec =
  SmiRun | { kind: 'timeout'; timeoutMs: number } | { kind: 'signaled'; signal: string } | { kind: 'spawn-failed'; message: string };

/** The one way to run nvidia-smi once (GPUCTL_NVIDIA_SMI, the timeout, the classification). Ctrl-C throws. */
export async function execSmi(ctx: Ctx, args: readonly string[]): Promise<SmiExec> {
  const timeoutMs = smiTimeoutMs(ctx);
  const result = await ctx.exec({ file: smiBinary(ctx), args: [...args], timeoutMs });
  switch (result.kind) {
    case 'not-found':
      return { kind: 'absent' };
    case 'interrupted':
      throw new InterruptedError('Interrupted while nvidia-smi was running.');
    case 'timeout':
      return { kind: 'timeout', timeoutMs };
    case 'signaled':
      return { kind: 'signaled', signal: result.signal };
    case 'spawn-failed':
      return { kind: 'spawn-failed', message: result.message };
    case 'exited':
      return result.exitCode === 0
        ? { kind: 'ok', stdout: result.stdout }
        : { kind: 'failed', output: `${result.stdout}\n${result.stderr}`, exitCode: result.exitCode };
  }
}

/** A streaming nvidia-smi (`-lms`, gpu/smi-sample.ts `sampleArgs`): everything but which binary, which is smiBinary's. */
export type SmiStreamRequest = Omit<StreamRequest, 'file'>;

/** The one way to start nvidia-smi streaming (the agent's sampler): GPUCTL_NVIDIA_SMI or nvidia-smi, through ctx.stream. */
export function streamSmi(ctx: Pick<Ctx, 'env' | 'stream'>, request: SmiStreamRequest): Promise<StreamHandle> {
  return ctx.stream({ ...request, file: smiBinary(ctx) });
}

/** GPUCTL_NVIDIA_SMI when it names the program to run (set and not empty): one that is not there is then a mistake to say. */
export function smiConfigured(ctx: Pick<Ctx, 'env'>): string | undefined {
  return ctx.env.GPUCTL_NVIDIA_SMI || undefined;
}

/** The sentence for a GPUCTL_NVIDIA_SMI that names no program (detect, doctor, monitor, diag; the agent's /gpu-health). */
export function smiNotThere(configured: string): string {
  return noSuchProgram('GPUCTL_NVIDIA_SMI', configured);
}

/**
 * One nvidia-smi call: absent, its stdout, or its output on a non-zero exit; every other outcome throws. Absent is
 * no nvidia-smi on PATH; a GPUCTL_NVIDIA_SMI that names no program is a mistake to say, not a host without a GPU
 * (detect described the host and exited 0 on a GPU machine).
 */
export async function runSmi(ctx: Ctx, args: readonly string[]): Promise<SmiRun> {
  const result = await execSmi(ctx, args);
  switch (result.kind) {
    case 'absent':
      if (smiConfigured(ctx))
        throw new MissingError(`${smiNotThere(smiBinary(ctx))}.`, 'nvidia-smi', {
          hint: pointItAt('GPUCTL_NVIDIA_SMI', 'nvidia-smi'),
        });
      return result;
    case 'timeout':
      throw new ToolError(`nvidia-smi did not answer within ${result.timeoutMs / 1000} s.`, 'nvidia-smi', 'tool_timeout', {
        hint: 'The driver may be hung (a GPU fallen off the bus, or a process stuck in the driver); check `dmesg` for NVRM/Xid errors.',
      });
    case 'spawn-failed':
    case 'signaled':
      throw new ToolError(
        `nvidia-smi could not run: ${result.kind === 'signaled' ? `killed by ${result.signal}` : result.message}.`,
        'nvidia-smi',
        'tool_failed',
        {
          hint: 'Run `nvidia-smi` yourself; a crash usually means a broken driver install (check `dmesg`).',
        },
      );
    default:
      return result;
  }
}

/** A non-zero exit as one clear error: a driver problem gpuctl recognises, else the first meaningful lines (the error). */
export function smiFailure(output: string, exitCode: number): never {
  for (const [pattern, message, hint] of DRIVER_ERRORS) {
    if (pattern.test(output)) throw new MissingError(message, 'gpu', { code: 'device_missing', hint });
  }
  throw new ToolError(
    `nvidia-smi failed with exit code ${exitCode}: ${meaningfulLines(output) || 'no message'}`,
    'nvidia-smi',
    'tool_failed',
    {
      hint: 'Run `nvidia-smi` yourself to see the full message.',
    },
  );
}

export async function querySmi(ctx: Ctx, fields: readonly string[] = QUERY_FIELDS): Promise<SmiOutcome> {
  const result = await runSmi(ctx, queryArgs(fields));
  if (result.kind === 'absent') return result;
  if (result.kind === 'failed') {
    const unknown = invalidField(result.output);
    const fewer = dropField(unknown, fields, QUERY_REQUIRED);
    if (fewer) {
      ctx.log.debug(`nvidia-smi does not know the field "${unknown}" (old driver); asking again without it`);
      return querySmi(ctx, fewer);
    }
    smiFailure(result.output, result.exitCode);
  }
  const parsed = parseQuery(result.stdout, fields);
  if (!parsed.ok) {
    throw new ToolError(`nvidia-smi printed output gpuctl cannot read: ${parsed.reason}.`, 'nvidia-smi', 'bad_output', {
      // "Run it with --verbose" read as nvidia-smi's flag; GPUCTL_NVIDIA_SMI names a tool that is not on PATH.
      hint: `Is ${ctx.env.GPUCTL_NVIDIA_SMI ? `${smiBinary(ctx)} (GPUCTL_NVIDIA_SMI)` : '`nvidia-smi` on PATH'} the real one? Run gpuctl with --verbose to see the exact command it ran.`,
    });
  }
  return { kind: 'ok', gpus: parsed.gpus, fields };
}
