/**
 * Where things are: the package's native/ sources and prebuilt binary, and the user's build cache.
 * Environment overrides (documented in docs/bench.md) let developers build a checkout's native/
 * and let tests point at fixtures without touching the installed package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
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
  const cacheHome = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), '.cache');
  return {
    nativeDir: env.GPUCTL_NATIVE_DIR ? at(env.GPUCTL_NATIVE_DIR) : join(root(), 'native'),
    prebuilt: env.GPUCTL_BENCH_PREBUILT ? at(env.GPUCTL_BENCH_PREBUILT) : join(root(), 'dist', 'native', PROGRAM_NAME),
    cacheRoot: join(cacheHome, 'gpuctl', 'bench'),
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
