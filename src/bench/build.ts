/**
 * Which benchmark program runs: GPUCTL_BENCH_BIN when set; else, with nvcc, native/ compiled for
 * the architecture (found in the cache, or built once under the build lock); else the prebuilt fat
 * binary shipped in the package. Neither → exit 3 naming both remedies.
 */
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ctx } from '../context.js';
import { InterruptedError, MissingError, ToolError, UsageError } from '../errors.js';
import { DirError, makeDirs } from '../shared/make-dirs.js';
import { withLock } from '../shared/lock.js';
import { nvccBinary, probeNvcc } from '../gpu/nvcc.js';
import { archNumber, FAT_ARCHES, MIN_NVCC, nvccSupported, prebuiltCovers } from './arch.js';
import type { Toolchain } from './build-plan.js';
import { cacheKey, readSources } from './cache-key.js';
import { buildTimeoutMs, compileInto } from './compile.js';
import { probeCxx } from './cxx.js';
import { VERSION } from '../version.js';
import { benchPaths, PROGRAM_NAME, type BenchPaths } from '../shared/paths.js';

export type BinarySource = 'cache' | 'built' | 'prebuilt' | 'env';

export interface BenchBinary {
  path: string;
  source: BinarySource;
  /** sm_XX for a GPU build; "cpu" for the CPU-only build; "fat" for the prebuilt binary; null for GPUCTL_BENCH_BIN. */
  arch: string | null;
  /** nvcc release that built it (null: CPU-only build, prebuilt or given). */
  nvcc: string | null;
  key: string | null;
  /** The host C++ compiler that built the CPU-only build (its --version line). */
  cxx?: string;
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
export function describeSource(binary: BenchBinary, cpuMode = false): string {
  const what = binary.arch === 'cpu' ? `CPU-only build (${binary.cxx ?? 'host C++ compiler'})` : `build for ${binary.arch} (nvcc ${binary.nvcc})`;
  switch (binary.source) {
    case 'env':
      return `${binary.path} (GPUCTL_BENCH_BIN)`;
    case 'prebuilt':
      return cpuMode
        ? `the prebuilt binary shipped with gpuctl (no C++ compiler found): ${binary.path}`
        : `the prebuilt fat binary shipped with gpuctl (${FAT_ARCHES.sass.join(', ')} + PTX; nvcc not found): ${binary.path}`;
    case 'cache':
      return `a cached ${what}: ${binary.path}`;
    case 'built':
      return `a fresh ${what}: ${binary.path}`;
  }
}

// gpuctl is not on the npm registry (`npm install -g gpuctl` answers 404): a packed gpuctl is its tarball (README "Install").
const PACKED_HINT =
  'or install a packed gpuctl (`npm pack` in gpuctl\'s repository, then `npm install -g ./gpuctl-<version>.tgz`), which ships the prebuilt binary in dist/native/ (built by `npm run build:native-fat` at pack time).';

async function fromPrebuilt(paths: BenchPaths, arch: string | null, why: string): Promise<BenchBinary> {
  if ((arch === null || prebuiltCovers(arch)) && (await executable(paths.prebuilt))) return { path: paths.prebuilt, source: 'prebuilt', arch: 'fat', nvcc: null, key: null };
  const missing = `this gpuctl ships no prebuilt ${PROGRAM_NAME} (looked for ${paths.prebuilt})`;
  if (arch === null) {
    throw new MissingError(`No benchmark program for the CPU suite: ${why}, and ${missing}.`, 'c++', {
      hint: `Install a C++ compiler and make (Debian/Ubuntu: apt-get install g++ make; macOS: xcode-select --install; or set CXX), ${PACKED_HINT}`,
    });
  }
  throw new MissingError(`No benchmark program for ${arch}: ${why}, and ${missing}.`, 'nvcc', {
    hint: `Install a CUDA toolkit (12.4 or newer; 13 for the newest GPUs) so that nvcc is on PATH (gpuctl then compiles native/ once and caches it), ${PACKED_HINT}`,
  });
}

/** Cached or freshly compiled under the build lock. */
async function cachedOrBuilt(ctx: Ctx, paths: BenchPaths, toolchain: Toolchain, events: BuildEvents): Promise<BenchBinary | null> {
  const sources = await readSources(paths.nativeDir).catch(() => []);
  if (!sources.some((file) => file.path === 'Makefile')) return null;
  const key =
    toolchain.kind === 'nvcc' ? cacheKey({ sources, nvcc: toolchain.release, arch: toolchain.arch, version: VERSION }) : cacheKey({ sources, cxx: toolchain.version, arch: 'cpu', version: VERSION });
  const binary = (source: BinarySource): BenchBinary =>
    toolchain.kind === 'nvcc'
      ? { path: join(paths.cacheRoot, key, PROGRAM_NAME), source, arch: toolchain.arch, nvcc: toolchain.version, key }
      : { path: join(paths.cacheRoot, key, PROGRAM_NAME), source, arch: 'cpu', nvcc: null, key, cxx: toolchain.version };
  if (await executable(binary('cache').path)) return binary('cache');
  try {
    makeDirs(paths.cacheRoot); // not mkdir -p: it never returns under /proc
  } catch (error) {
    if (!(error instanceof DirError)) throw error;
    throw new UsageError(error.message, { hint: 'Set XDG_CACHE_HOME to a writable directory (the cache is $XDG_CACHE_HOME/gpuctl/bench).' });
  }
  const waitMs = buildTimeoutMs(ctx.env) + 60_000;
  const label = toolchain.kind === 'nvcc' ? `for ${toolchain.arch}` : '(CPU suite)';
  const by = toolchain.kind === 'nvcc' ? `nvcc ${toolchain.version}` : toolchain.version;
  const lockPath = join(paths.cacheRoot, `${key}.lock`);
  const wait = {
    signal: ctx.signal,
    clock: ctx.clock,
    waitMs,
    onWait: () => events.waiting?.(),
    timedOut: () =>
      new ToolError(`Another gpuctl has been building the benchmark program for over ${Math.round(waitMs / 60_000)} min.`, 'gpuctl-bench', 'tool_timeout', {
        hint: `If no other gpuctl is running, remove the lock: rm -r ${lockPath}`,
      }),
    interrupted: () => new InterruptedError('Interrupted while waiting for another build of gpuctl-bench.'),
  };
  return withLock(lockPath, wait, async () => {
    if (await executable(binary('cache').path)) return binary('cache');
    const started = ctx.clock.monotonic();
    events.building?.(`Compiling gpuctl-bench ${label} with ${by} (once; cached in ${paths.cacheRoot})`);
    await compileInto(ctx, { nativeDir: paths.nativeDir, toolchain, key, cacheRoot: paths.cacheRoot, onProgress: (what) => events.progress?.(`Compiling gpuctl-bench ${label}: ${what}`) });
    events.built?.(`Compiled gpuctl-bench ${label} in ${Math.round((ctx.clock.monotonic() - started) / 1000)} s`);
    return binary('built');
  });
}

/** GPUCTL_BENCH_BIN, checked; undefined when unset. */
async function fromEnv(ctx: Ctx): Promise<BenchBinary | undefined> {
  const given = ctx.env.GPUCTL_BENCH_BIN;
  if (!given) return undefined;
  if (!(await executable(given))) throw new UsageError(`GPUCTL_BENCH_BIN is set to ${given}, which is not an executable file.`);
  return { path: given, source: 'env', arch: null, nvcc: null, key: null };
}

/**
 * For --cpu and --list: the CPU-only build (make cpu), compiled with the host C++ compiler; no nvcc,
 * no CUDA headers, no architecture. Without a compiler, the prebuilt binary of a packed gpuctl.
 */
export async function resolveCpuBinary(ctx: Ctx, events: BuildEvents = {}): Promise<BenchBinary> {
  const given = await fromEnv(ctx);
  if (given) return given;
  const paths = benchPaths(ctx.env, ctx.cwd);
  const cxx = await probeCxx(ctx);
  if (cxx.kind === 'broken') {
    throw new ToolError(`The C++ compiler ${cxx.file} does not work: ${cxx.message}.`, cxx.file, 'tool_failed', {
      hint: 'Set CXX to a working C++ compiler (g++ or clang++).',
    });
  }
  if (cxx.kind === 'absent') return fromPrebuilt(paths, null, `no C++ compiler on PATH (tried ${cxx.tried.join(', ')})`);
  const built = await cachedOrBuilt(ctx, paths, { kind: 'cxx', file: cxx.file, version: cxx.version }, events);
  return built ?? fromPrebuilt(paths, null, `the native/ sources are missing (${paths.nativeDir})`);
}

export async function resolveBinary(ctx: Ctx, arch: string, events: BuildEvents = {}): Promise<BenchBinary> {
  const given = await fromEnv(ctx);
  if (given) return given;
  const paths = benchPaths(ctx.env, ctx.cwd);
  const nvcc = await probeNvcc(ctx);
  if (nvcc.kind === 'absent') return fromPrebuilt(paths, arch, `nvcc is not on PATH`);
  if (nvcc.kind === 'broken') {
    if (nvcc.remedy) throw new MissingError(`${nvcc.message}.`, 'nvcc', { hint: nvcc.remedy });
    throw new ToolError(`nvcc is on PATH but does not work: ${nvcc.message}.`, 'nvcc', 'tool_failed', {
      hint: 'Run `nvcc --version` to see what is wrong; set NVCC to a working nvcc, or take it off PATH to use the prebuilt binary.',
    });
  }
  if (!nvccSupported(nvcc.version)) return fromPrebuilt(paths, arch, `nvcc ${nvcc.version} is older than CUDA ${MIN_NVCC}, the oldest toolkit native/ supports`);
  if (nvcc.targets.length && !nvcc.targets.some((target) => archNumber(target) === archNumber(arch))) {
    throw new UsageError(`nvcc ${nvcc.version} cannot build for ${arch}; it targets ${nvcc.targets.join(', ')}.`, {
      hint: 'Pick one of those with --arch, or install a CUDA toolkit that supports this GPU (CUDA 12.8+ for sm_100/sm_120, 13 for sm_110).',
    });
  }
  const built = await cachedOrBuilt(ctx, paths, { kind: 'nvcc', arch, file: nvccBinary(ctx.env), release: nvcc.build ?? nvcc.version, version: nvcc.version }, events);
  return built ?? fromPrebuilt(paths, arch, `the native/ sources are missing (${paths.nativeDir})`);
}
