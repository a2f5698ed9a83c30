/**
 * Runs the built CLI (bin/gpuctl.js → dist/) as a real process, with a hermetic PATH: a temp bin
 * directory holding `node` and only the fakes a test asks for (test/bin/*). Nothing from the host's
 * PATH is visible, so "nvidia-smi missing" really is missing.
 */
import { execa } from 'execa';
import { accessSync, constants, mkdirSync, mkdtempSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const FAKE_BIN = join(ROOT, 'test/bin');
export const FIXTURES = join(ROOT, 'test/fixtures');

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A temp dir with `node` and the named fakes linked in; returns the dir (use as PATH). */
export function fakePath(tools: readonly string[], extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-bin-'));
  symlinkSync(process.execPath, join(dir, 'node'));
  for (const tool of tools) symlinkSync(join(FAKE_BIN, tool), join(dir, tool));
  for (const [name, target] of Object.entries(extra)) symlinkSync(target, join(dir, name));
  return dir;
}

/** The executable `tool` on `path` (default: the host's PATH), as `command -v` finds it, or '' when none. */
export function onPath(tool: string, path = process.env.PATH ?? ''): string {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const file = join(dir, tool);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here: the next directory
    }
  }
  return '';
}

export function tempHome(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-home-'));
  mkdirSync(join(dir, '.cache'), { recursive: true });
  return dir;
}

export async function runGpuctl(
  args: readonly string[],
  options: { tools?: readonly string[]; env?: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  const home = tempHome();
  const result = await execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), ...args], {
    reject: false,
    extendEnv: false,
    cwd: options.cwd ?? home,
    input: options.input ?? '',
    timeout: options.timeoutMs ?? 20_000,
    env: {
      PATH: fakePath(options.tools ?? []),
      HOME: home,
      XDG_CACHE_HOME: join(home, '.cache'),
      TMPDIR: tmpdir(),
      NO_COLOR: '1',
      ...options.env,
    },
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
