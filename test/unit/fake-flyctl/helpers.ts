/**
 * Runs the fake flyctl (test/bin/flyctl) as a real process with a hermetic environment: its own
 * state directory, a temp HOME, PATH holding only node's directory, and a token unless asked not to.
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const TOKEN = 'fo1_very-secret-token-value-0123456789';

export interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface FlyOptions {
  state: string;
  env?: Record<string, string>;
  cwd?: string;
  /** Token in FLY_API_TOKEN; null for none. */
  token?: string | null;
  /** `flyctl` (default) or `fly`. */
  bin?: 'flyctl' | 'fly';
  timeoutMs?: number;
}

export async function fly(args: readonly string[], options: FlyOptions): Promise<Run> {
  const home = mkdtempSync(join(tmpdir(), 'fake-flyctl-home-'));
  const token = options.token === undefined ? TOKEN : options.token;
  const result = await execa(join(ROOT, 'test/bin', options.bin ?? 'flyctl'), args, {
    reject: false,
    extendEnv: false,
    cwd: options.cwd ?? home,
    input: '',
    stripFinalNewline: false,
    timeout: options.timeoutMs ?? 15_000,
    env: {
      PATH: dirname(process.execPath),
      HOME: home,
      NO_COLOR: '1',
      FAKE_FLYCTL_STATE: options.state,
      ...(token ? { FLY_API_TOKEN: token } : {}),
      ...options.env,
    },
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** A fresh, empty state directory. */
export const emptyStateDir = (): string => mkdtempSync(join(tmpdir(), 'fake-flyctl-state-'));

/** A project directory holding the given fly.toml (and optionally a Dockerfile). */
export function project(flyToml: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-flyctl-project-'));
  writeFileSync(join(dir, 'fly.toml'), flyToml);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** stderr's `Error: …` line, the way gpuctl's adapter reads it. */
export const errorLine = (run: Run): string | undefined => run.stderr.split('\n').find((l) => l.startsWith('Error: '));

/** stdout parsed as JSON, typed by the caller. */
export const json = <T = Record<string, unknown>>(run: Run): T => JSON.parse(run.stdout) as T;
