/**
 * Which benchmark program runs: GPUCTL_BENCH_BIN when set; else, with nvcc, native/ compiled for
 * the architecture (found in the cache, or built once under the build lock); else the prebuilt fat
 * binary shipped in the package. Neither → exit 3 naming both remedies.
 */
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ctx } from '../context.js';
import { MissingError, ToolError, UsageError } from '../errors.js';
import { DirError, makeDirs } from '../shared/make-dirs.js';
import { nvccBinary, probeNvcc } from '../gpu/nvcc.js';
import { archNumber, FAT_ARCHES, prebuiltCovers } from './arch.js';
import { cacheKey, readSources } from './cache-key.js';
import { buildTimeoutMs, compileInto } from './compile.js';
import { withLock } from './lock.js';
import { benchPaths, PROGRAM_NAME, type BenchPaths } from './paths.js';

export type BinarySource = 'cache' | 'built' | 'prebuilt' | 'env';

export interface BenchBinary {
  path: string;
  source: BinarySource;
  /** sm_XX for a build; "fat" for the prebuilt binary; null for GPUCTL_BENCH_BIN. */
  arch: string | null;
  /** nvcc release that built it (null: prebuilt or given). */
  nvcc: string | null;
  key: string | null;
}

export interface BuildEvents {
  /** A compile starts (it takes a while, once per source/nvcc/arch). */
  building?(message: string): void;
  progress?(message: string): void;
  built?(message: string): void;
  /** Another gpuctl holds the build lock for this key. */
  waiting?(): void;
}

const executable = (path: string) => access(path, constants.X_OK).then(() => true, () => false);

/** Says which program runs, for the user (gpuctl always says whether it compiled, reused or fell back). */
export function describeSource(binary: BenchBinary): string {
  switch (binary.source) {
    case 'env':
      return `${binary.path} (GPUCTL_BENCH_BIN)`;
    case 'prebuilt':
      return `the prebuilt fat binary shipped with gpuctl (${FAT_ARCHES.join(', ')} + PTX; nvcc not found): ${binary.path}`;
    case 'cache':
      return `a cached build for ${binary.arch} (nvcc ${binary.nvcc}): ${binary.path}`;
    case 'built':
      return `a fresh build for ${binary.arch} (nvcc ${binary.nvcc}): ${binary.path}`;
  }
}
async function fromPrebuilt(paths: BenchPaths, arch: string, why: string): Promise<BenchBinary> {
  if (prebuiltCovers(arch) && (await executable(paths.prebuilt))) return { path: paths.prebuilt, source: 'prebuilt', arch: 'fat', nvcc: null, key: null };
  throw new MissingError(`No benchmark program for ${arch}: ${why}, and this gpuctl package ships no prebuilt ${PROGRAM_NAME} (looked for ${paths.prebuilt}).`, 'nvcc', {
    hint:
      'Install the CUDA 13 toolkit so that nvcc is on PATH (gpuctl then compiles native/ once and caches it), ' +
      'or install a gpuctl package that ships the prebuilt binary (built by `npm run build:native-fat` at pack time).',
  });
}

export async function resolveBinary(ctx: Ctx, arch: string, events: BuildEvents = {}): Promise<BenchBinary> {
  const given = ctx.env.GPUCTL_BENCH_BIN;
  if (given) {
    if (!(await executable(given))) throw new UsageError(`GPUCTL_BENCH_BIN is set to ${given}, which is not an executable file.`);
    return { path: given, source: 'env', arch: null, nvcc: null, key: null };
  }
  const paths = benchPaths(ctx.env, ctx.cwd);
  const nvcc = await probeNvcc(ctx);
  if (nvcc.kind === 'absent') return fromPrebuilt(paths, arch, `nvcc is not on PATH`);
  if (nvcc.kind === 'broken') {
    throw new ToolError(`nvcc is on PATH but does not work: ${nvcc.message}.`, 'nvcc', 'tool_failed', {
      hint: 'Run `nvcc --version` to see what is wrong; set NVCC to a working nvcc, or take it off PATH to use the prebuilt binary.',
    });
  }
  if (nvcc.targets.length && !nvcc.targets.some((target) => archNumber(target) === archNumber(arch))) {
    throw new UsageError(`nvcc ${nvcc.version} cannot build for ${arch}; it targets ${nvcc.targets.join(', ')}.`, {
      hint: 'Pick one of those with --arch, or install a CUDA toolkit that supports this GPU.',
    });
  }
  const sources = await readSources(paths.nativeDir).catch(() => []);
  if (!sources.some((file) => file.path === 'Makefile')) return fromPrebuilt(paths, arch, `the native/ sources are missing (${paths.nativeDir})`);
  const release = nvcc.build ?? nvcc.version;
  const key = cacheKey({ sources, nvcc: release, arch });
  const binary = (source: BinarySource): BenchBinary => ({ path: join(paths.cacheRoot, key, PROGRAM_NAME), source, arch, nvcc: nvcc.version, key });
  if (await executable(binary('cache').path)) return binary('cache');
  try {
    makeDirs(paths.cacheRoot); // not mkdir -p: it never returns under /proc
  } catch (error) {
    if (!(error instanceof DirError)) throw error;
    throw new UsageError(error.message, { hint: 'Set XDG_CACHE_HOME to a writable directory (the cache is $XDG_CACHE_HOME/gpuctl/bench).' });
  }
  const waitMs = buildTimeoutMs(ctx.env) + 60_000;
  return withLock(join(paths.cacheRoot, `${key}.lock`), { signal: ctx.signal, waitMs, onWait: () => events.waiting?.() }, async () => {
    if (await executable(binary('cache').path)) return binary('cache');
    const started = Date.now();
    events.building?.(`Compiling gpuctl-bench for ${arch} with nvcc ${nvcc.version} (once; cached in ${paths.cacheRoot})`);
    await compileInto(ctx, {
      nativeDir: paths.nativeDir,
      arch,
      nvccFile: nvccBinary(ctx.env),
      nvccRelease: release,
      key,
      cacheRoot: paths.cacheRoot,
      onProgress: (what) => events.progress?.(`Compiling gpuctl-bench for ${arch}: ${what}`),
    });
    events.built?.(`Compiled gpuctl-bench for ${arch} in ${Math.round((Date.now() - started) / 1000)} s`);
    return binary('built');
  });
}
