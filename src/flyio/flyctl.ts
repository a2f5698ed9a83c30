/**
 * The flyctl adapter's core: finding the binary and running it with an argument array, a timeout,
 * and the token left in the environment (flyctl reads FLY_API_TOKEN / FLY_ACCESS_TOKEN itself; it
 * never goes on a command line). Outcomes are values; typed wrappers build on runFlyctl.
 */
import type { Ctx } from '../context.js';
import type { ExecResult } from '../exec.js';
import { decodeJson } from './decode.js';
import { versionSchema, whoamiSchema } from './schemas.js';

/** The one default timeout for a flyctl call: 30 s, or GPUCTL_FLYCTL_TIMEOUT_MS (tests, slow links). Changes pass their own. */
export function readTimeoutMs(env: Ctx['env']): number {
  const fromEnv = Number(env.GPUCTL_FLYCTL_TIMEOUT_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 30_000;
}

export type FlyctlOutcome =
  | { kind: 'ok'; stdout: string; stderr: string }
  | { kind: 'failed'; exitCode: number; message: string; stdout: string; stderr: string }
  /** configured: FLYCTL's value when it was set (then only that path was tried). */
  | { kind: 'missing'; configured?: string }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'interrupted' }
  | { kind: 'broken'; message: string };

/** FLYCTL from the environment first, then `flyctl`, then `fly` (both names ship with flyctl). */
export function flyctlCandidates(env: Ctx['env']): string[] {
  return env.FLYCTL ? [env.FLYCTL] : ['flyctl', 'fly'];
}

/** flyctl prints failures as `Error: <message>` on stderr (internal/cli/cli.go). */
export function flyctlErrorMessage(stderr: string, stdout = ''): string {
  const line = stderr.split('\n').find((l) => l.startsWith('Error: '));
  if (line) return line.slice('Error: '.length).trim();
  return (stderr.trim() || stdout.trim()).split('\n')[0] ?? '';
}

export function toOutcome(result: ExecResult): FlyctlOutcome {
  switch (result.kind) {
    case 'exited':
      return result.exitCode === 0
        ? { kind: 'ok', stdout: result.stdout, stderr: result.stderr }
        : {
            kind: 'failed',
            exitCode: result.exitCode,
            message: flyctlErrorMessage(result.stderr, result.stdout),
            stdout: result.stdout,
            stderr: result.stderr,
          };
    case 'not-found':
      return { kind: 'missing' };
    case 'timeout':
      return { kind: 'timeout', timeoutMs: result.timeoutMs };
    case 'interrupted':
      return { kind: 'interrupted' };
    case 'signaled':
      return { kind: 'broken', message: `flyctl was killed by ${result.signal}` };
    case 'spawn-failed':
      return { kind: 'broken', message: result.message };
  }
}

export interface FlyctlRunOptions {
  /** The binary found earlier (findFlyctl); without it every candidate name is tried. */
  file?: string;
  timeoutMs?: number;
  input?: string;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** Runs flyctl with `args`, trying each candidate name until one exists. */
export async function runFlyctl(ctx: Ctx, args: readonly string[], options: FlyctlRunOptions = {}): Promise<FlyctlOutcome> {
  for (const file of options.file ? [options.file] : flyctlCandidates(ctx.env)) {
    const result = await ctx.exec({
      file,
      args,
      timeoutMs: options.timeoutMs ?? readTimeoutMs(ctx.env),
      input: options.input,
      onLine: options.onLine,
    });
    if (result.kind !== 'not-found') return toOutcome(result);
  }
  return { kind: 'missing' };
}

export interface FlyctlVersion {
  version: string;
  commit: string | null;
  buildDate: string | null;
}

/** `flyctl version --json`: one compact line {Name, Version, Commit, BranchName, BuildDate, OS, Architecture, Environment}. */
export function parseVersionJson(stdout: string): FlyctlVersion | undefined {
  const decoded = decodeJson(stdout, versionSchema);
  return decoded.ok ? decoded.value : undefined;
}

/** `flyctl auth whoami --json`: {"email": "..."}. */
export function parseWhoamiJson(stdout: string): string | undefined {
  const decoded = decodeJson(stdout, whoamiSchema);
  return decoded.ok ? decoded.value : undefined;
}

export function compareSemver(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
