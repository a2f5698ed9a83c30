/**
 * Where things are: the package's root (its native/ sources, prebuilt binary and templates), and the
 * user's XDG directories (state, cache, config): the only file that reads XDG_*_HOME (a lint rule says
 * so). Environment overrides (documented in docs/bench.md) let developers build a checkout's native/
 * and let tests point at fixtures without touching the installed package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from '../context.js';

export const PROGRAM_NAME = 'gpuctl-bench';

/** The directory holding gpuctl's package.json, found from this module (src/ in tests, dist/ when built). */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'gpuctl') return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`gpuctl's package.json not found above ${from}`);
    dir = parent;
  }
}

export type XdgKind = 'state' | 'cache' | 'config';

const XDG: Record<XdgKind, { variable: string; below: readonly string[] }> = {
  state: { variable: 'XDG_STATE_HOME', below: ['.local', 'state'] },
  cache: { variable: 'XDG_CACHE_HOME', below: ['.cache'] },
  config: { variable: 'XDG_CONFIG_HOME', below: ['.config'] },
};

/**
 * $XDG_STATE_HOME, $XDG_CACHE_HOME or $XDG_CONFIG_HOME when set to an absolute path (the XDG Base
 * Directory spec ignores a relative one), else ~/.local/state, ~/.cache or ~/.config under `home`
 * ($HOME, else the OS's home directory). With `home` given as undefined and no XDG variable: undefined.
 */
export function xdgHome(env: Env, kind: XdgKind): string;
export function xdgHome(env: Env, kind: XdgKind, home: string | undefined): string | undefined;
export function xdgHome(env: Env, kind: XdgKind, ...given: [home: string | undefined] | []): string | undefined {
  const { variable, below } = XDG[kind];
  const set = env[variable];
  if (set && set.startsWith('/')) return set;
  // Not a default parameter: an explicit undefined (no home known) must stay undefined.
  const home = given.length ? given[0] : env.HOME || homedir() || accountHome();
  return home === undefined ? undefined : join(home, ...below);
}

/**
 * HOME set but empty makes os.homedir() empty too, and join('', '.cache') a relative path: gpuctl's caches, logs and
 * state would land in the working directory. The user database's home then, else the temporary directory.
 */
function accountHome(): string {
  try {
    return userInfo().homedir || tmpdir();
  } catch {
    return tmpdir();
  }
}

/** gpuctl's own directory in one of them: `<xdgHome>/gpuctl/<parts…>`. */
export function gpuctlDir(env: Env, kind: XdgKind, ...parts: string[]): string {
  return join(xdgHome(env, kind), 'gpuctl', ...parts);
}

export interface BenchPaths {
  /** The native/ sources to compile. */
  nativeDir: string;
  /** The fat binary `npm run build:native-fat` puts into the package. */
  prebuilt: string;
  /** $XDG_CACHE_HOME/gpuctl/bench (default ~/.cache/gpuctl/bench). */
  cacheRoot: string;
}

export function benchPaths(env: Env, cwd: string, root: () => string = () => packageRoot()): BenchPaths {
  const at = (value: string) => resolve(cwd, value);
  return {
    nativeDir: env.GPUCTL_NATIVE_DIR ? at(env.GPUCTL_NATIVE_DIR) : join(root(), 'native'),
    prebuilt: env.GPUCTL_BENCH_PREBUILT ? at(env.GPUCTL_BENCH_PREBUILT) : join(root(), 'dist', 'native', PROGRAM_NAME),
    cacheRoot: gpuctlDir(env, 'cache', 'bench'),
  };
}

/** Milliseconds from an environment variable, or the default. */
export function msFromEnv(env: Env, name: string, fallback: number): number {
  const value = Number(env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export const BUILD_TIMEOUT_MS = 10 * 60_000;
export const RUN_TIMEOUT_MS = 30 * 60_000;
export const LIST_TIMEOUT_MS = 30_000;
