/**
 * The container engine, through ctx.exec (argument arrays, a timeout on every call): docker, else podman,
 * or the one --engine names. Both take the same arguments for everything smoke does.
 */
import type { Ctx } from '../context.js';
import type { ExecResult } from '../exec.js';
import { MissingError, ToolError } from '../errors.js';
import { ENGINES, type EngineName } from './options.js';

export interface Engine {
  name: EngineName;
  version: string;
  /** Runs `<engine> ARGS`; never throws on a non-zero exit. Without `signal` it runs even after Ctrl-C (clean-up). */
  run(args: readonly string[], timeoutMs: number, more?: { signal?: AbortSignal; onLine?: (line: string) => void }): Promise<ExecResult>;
}

export const QUICK_MS = 30_000;

/** Never aborts: ctx.exec ends a call on Ctrl-C unless it is given its own signal, and clean-up must run after one. */
const UNTIL_DONE = new AbortController().signal;

/** docker answers `version` only when its daemon does; a CLI without a daemon is passed over (podman has none). */
const PROBE: Record<EngineName, readonly string[]> = {
  docker: ['version', '--format', 'Docker {{.Server.Version}}'],
  podman: ['--version'],
};

export async function findEngine(ctx: Ctx, choice: EngineName | null): Promise<Engine> {
  const unusable: string[] = [];
  for (const name of choice ? [choice] : ENGINES) {
    const probe = await ctx.exec({ file: name, args: PROBE[name], timeoutMs: QUICK_MS });
    if (probe.kind === 'not-found') continue;
    if (!ok(probe)) {
      unusable.push(failureOf(`${name} ${PROBE[name].join(' ')}`, probe, 2));
      continue;
    }
    return {
      name,
      version: probe.stdout.trim(),
      run: (args, timeoutMs, more = {}) =>
        ctx.exec({
          file: name,
          args,
          timeoutMs,
          signal: more.signal ?? UNTIL_DONE,
          ...(more.onLine ? { onLine: (line: string) => more.onLine!(line) } : {}),
        }),
    };
  }
  if (unusable.length > 0) throw new ToolError(`No usable container engine: ${unusable.join('; ')}`, unusable.join(', '), 'tool_failed');
  const names = choice ? [choice] : [...ENGINES];
  throw new MissingError(`No container engine: ${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} not on PATH.`, names.join(', '), {
    hint: 'Install Docker (https://docs.docker.com/engine/install/) or Podman (apt-get install podman).',
  });
}

export function outputOf(result: ExecResult): string {
  return 'stdout' in result ? `${result.stdout}${result.stderr}` : result.kind === 'spawn-failed' ? result.message : '';
}

/** True when the call exited 0. */
export const ok = (result: ExecResult): result is Extract<ExecResult, { kind: 'exited' }> =>
  result.kind === 'exited' && result.exitCode === 0;

/** One line for a failed call: its exit and the last lines it printed. */
export function failureOf(what: string, result: ExecResult, lines = 5): string {
  const tail = outputOf(result).trim().split('\n').slice(-lines).join(' | ');
  const how =
    result.kind === 'exited'
      ? `exit ${result.exitCode}`
      : result.kind === 'timeout'
        ? `no end within ${result.timeoutMs / 1000} s`
        : result.kind;
  return `${what}: ${how}${tail ? `: ${tail}` : ''}`;
}
