/**
 * Once per test run, before any worker starts:
 * - every temporary file of the run goes under one directory (TMPDIR, inherited by the workers and
 *   by every process a test starts), removed when the run ends: no test leaves anything in /tmp;
 * - dist/ is rebuilt when a source is newer than it, so running one e2e file after an edit never
 *   tests a stale build (a few stat calls when it is up to date);
 * - the image tests' stand-in bases (scripts/standin-bases.sh) have one cache for the whole run, the
 *   machine's own: every test file has a HOME of its own (test/setup.ts), so each file's script run
 *   had its own cache and its own lock, and two files could debootstrap at once.
 */
import { execaNode } from 'execa';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
/** What the build reads: a change to any of these makes dist/ stale. */
const BUILD_INPUTS = ['src', 'package.json', 'scripts/build.mjs'];

function newestMtimeMs(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtimeMs(join(path, name))));
}

/** True when dist/cli.js is missing or older than any build input under `root`. */
export function distIsStale(root: string): boolean {
  const entry = join(root, 'dist/cli.js');
  if (!existsSync(entry)) return true;
  const built = statSync(entry).mtimeMs;
  return BUILD_INPUTS.some((input) => existsSync(join(root, input)) && newestMtimeMs(join(root, input)) > built);
}

/** Creates the run's temporary directory under `base` and points TMPDIR at it; returns the teardown. */
export function isolateTmp(base = tmpdir()): { dir: string; teardown: () => void } {
  const dir = mkdtempSync(join(base, 'gpuctl-test-run-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  process.env.GPUCTL_TEST_RUN_DIR = dir;
  return {
    dir,
    teardown: () => {
      rmSync(dir, { recursive: true, force: true });
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      delete process.env.GPUCTL_TEST_RUN_DIR;
    },
  };
}

/**
 * Where scripts/standin-bases.sh keeps its rootfs and lock for this run: GPUCTL_STANDIN_CACHE when set, else
 * the script's own default for the user running the tests (${XDG_CACHE_HOME:-~/.cache}/gpuctl-dev/standins).
 */
export function standinCache(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env.GPUCTL_STANDIN_CACHE) return env.GPUCTL_STANDIN_CACHE;
  const cache = env.XDG_CACHE_HOME?.startsWith('/') ? env.XDG_CACHE_HOME : join(home, '.cache');
  return join(cache, 'gpuctl-dev', 'standins');
}

export default async function setup(): Promise<() => void> {
  // Before test/setup.ts gives each file a HOME of its own; the workers inherit it.
  process.env.GPUCTL_STANDIN_CACHE = standinCache();
  if (distIsStale(ROOT)) {
    process.stderr.write('test setup: sources are newer than dist/, building it (npm run build)\n');
    await execaNode(join(ROOT, 'scripts/build.mjs'), [], { cwd: ROOT, stdio: 'inherit', timeout: 120_000 });
  }
  return isolateTmp().teardown;
}
