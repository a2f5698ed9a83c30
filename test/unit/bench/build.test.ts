/**
 * Which program runs and how it is built, with nvcc and make faked in the exec table: cache misses
 * and hits, the prebuilt fallback, and every way the toolchain can fail.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveBinary, resolveCpuBinary } from '../../../src/bench/build.js';
import { compilerErrors, makePlan } from '../../../src/bench/build-plan.js';
import { benchList } from '../../../src/bench/main.js';
import { parseBenchOptions } from '../../../src/bench/options.js';
import { InterruptedError, MissingError, ToolError, UsageError } from '../../../src/errors.js';
import type { ExecRequest, ExecResult } from '../../../src/exec.js';
import { FIXTURES } from '../../helpers/cli.js';
import { exited, makeTestCtx, type ExecRule } from '../../helpers/ctx.js';

const NATIVE = join(FIXTURES, 'bench/native');
const VERSION = 'nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 13.0, V13.0.88\nBuild cuda_13.0.r13.0/compiler.36424714_0\n';
const CODES = 'sm_75\nsm_80\nsm_86\nsm_87\nsm_88\nsm_89\nsm_90\nsm_100\nsm_110\nsm_103\nsm_120\nsm_121\n';
const NVCC_ERROR = 'src/gemm.cu(12): error: identifier "undefined_symbol" is undefined\n      return undefined_symbol;\n             ^\n\n1 error detected in the compilation of "src/gemm.cu".\nmake: *** [Makefile:64: /tmp/x/obj-sm_90/gemm.o] Error 2\n';

const nvccOk: ExecRule[] = [
  { match: ['nvcc', '--version'], result: exited(VERSION) },
  { match: ['nvcc', '--list-gpu-code'], result: exited(CODES) },
];
const outOf = (request: ExecRequest) => request.args.find((a) => a.startsWith('OUT='))!.slice(4);
/** A make that "compiles": writes $(OUT)/gpuctl-bench and an object file, as the real Makefile does. */
const makeBuilds = (request: ExecRequest): ExecResult => {
  writeFileSync(join(outOf(request), 'gpuctl-bench'), '#!/bin/sh\n');
  chmodSync(join(outOf(request), 'gpuctl-bench'), 0o755);
  writeFileSync(join(outOf(request), 'kernels.o'), 'obj');
  return exited('nvcc -c src/kernels.cu -o kernels.o\n');
};
const isMake = (request: ExecRequest) => request.file === 'make';

function setup(rules: ExecRule[], env: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), 'bench-build-'));
  const ctx = makeTestCtx({ rules, env: { GPUCTL_NATIVE_DIR: NATIVE, XDG_CACHE_HOME: join(home, 'cache'), GPUCTL_BENCH_PREBUILT: join(home, 'no-prebuilt'), ...env } });
  return { ctx, home, cacheRoot: join(home, 'cache/gpuctl/bench') };
}

describe('build cache', () => {
  it('a miss compiles native/ into a temp dir and renames it into place; the next call is a hit', async () => {
    const { ctx, cacheRoot } = setup([...nvccOk, { match: isMake, result: makeBuilds }]);
    const built = await resolveBinary(ctx, 'sm_90');
    expect(built).toMatchObject({ source: 'built', arch: 'sm_90', nvcc: '13.0' });
    expect(built.path).toBe(join(cacheRoot, built.key!, 'gpuctl-bench'));
    const make = ctx.calls.find(isMake)!;
    expect(make.args.join(' ')).toMatch(new RegExp(`^-C ${NATIVE} -j\\d+ ARCH=sm_90 OUT=${cacheRoot}/\\.build-[0-9a-f]{12}-\\w+ NVCC=nvcc$`));
    expect(make.timeoutMs).toBe(600_000);
    // Only the program and its build record are kept; no temp directory is left behind.
    expect(readdirSync(join(cacheRoot, built.key!)).sort()).toEqual(['build.json', 'gpuctl-bench']);
    expect(JSON.parse(readFileSync(join(cacheRoot, built.key!, 'build.json'), 'utf8'))).toMatchObject({ arch: 'sm_90', nvcc: 'V13.0.88' });
    expect(readdirSync(cacheRoot).filter((name) => name.startsWith('.build-'))).toEqual([]);

    const again = await resolveBinary(ctx, 'sm_90');
    expect(again).toEqual({ ...built, source: 'cache' });
    expect(ctx.calls.filter(isMake)).toHaveLength(1);
  });

  it('another architecture or nvcc build is another entry', async () => {
    const { ctx } = setup([...nvccOk, { match: isMake, result: makeBuilds }]);
    const sm90 = await resolveBinary(ctx, 'sm_90');
    const sm80 = await resolveBinary(ctx, 'sm_80');
    expect(sm80.key).not.toBe(sm90.key);
    const other = setup([{ match: ['nvcc', '--version'], result: exited(VERSION.replace(/V13\.0\.88/, 'V13.0.48')) }, nvccOk[1]!, { match: isMake, result: makeBuilds }]);
    expect((await resolveBinary(other.ctx, 'sm_90')).key).not.toBe(sm90.key);
  });

  it('two builds of one key at once compile once (the build lock)', async () => {
    let makes = 0;
    const slowMake = (request: ExecRequest): ExecResult => {
      makes += 1;
      return makeBuilds(request);
    };
    const { ctx } = setup([...nvccOk, { match: isMake, result: slowMake }]);
    const [a, b] = await Promise.all([resolveBinary(ctx, 'sm_90'), resolveBinary(ctx, 'sm_90')]);
    expect(makes).toBe(1);
    expect([a.source, b.source].sort()).toEqual(['built', 'cache']);
    expect(a.path).toBe(b.path);
  });
});

describe('without nvcc', () => {
  it('uses the prebuilt fat binary and says so', async () => {
    const { ctx, home } = setup([{ match: ['nvcc', '--version'], result: { kind: 'not-found', file: 'nvcc' } }]);
    const prebuilt = join(home, 'gpuctl-bench');
    writeFileSync(prebuilt, '#!/bin/sh\n');
    chmodSync(prebuilt, 0o755);
    const binary = await resolveBinary({ ...ctx, env: { ...ctx.env, GPUCTL_BENCH_PREBUILT: prebuilt } }, 'sm_89');
    expect(binary).toEqual({ path: prebuilt, source: 'prebuilt', arch: 'fat', nvcc: null, key: null });
  });

  it('and no prebuilt binary: exit 3 naming both remedies', async () => {
    const { ctx } = setup([{ match: ['nvcc', '--version'], result: { kind: 'not-found', file: 'nvcc' } }]);
    const error = await resolveBinary(ctx, 'sm_90').then(() => { throw new Error('resolved'); }, (e: unknown) => e as MissingError);
    expect(error).toBeInstanceOf(MissingError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/^No benchmark program for sm_90: nvcc is not on PATH, and this gpuctl ships no prebuilt gpuctl-bench/);
    expect(error.hint).toMatch(/Install a CUDA toolkit \(12\.4 or newer; 13 for the newest GPUs\)/);
    expect(error.hint).toMatch(/npm run build:native-fat/);
  });

  it('NVCC naming no program is said (exit 3), not a fall-back to the prebuilt binary as if there were no nvcc', async () => {
    const { ctx, home } = setup([{ match: () => true, result: { kind: 'not-found', file: '/opt/cuda-12.4/bin/nvcc' } }], {
      NVCC: '/opt/cuda-12.4/bin/nvcc',
    });
    const prebuilt = join(home, 'gpuctl-bench');
    writeFileSync(prebuilt, '#!/bin/sh\n');
    chmodSync(prebuilt, 0o755);
    const error = await resolveBinary({ ...ctx, env: { ...ctx.env, GPUCTL_BENCH_PREBUILT: prebuilt } }, 'sm_90').then(
      () => 'resolved',
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MissingError);
    expect(error).toMatchObject({
      exitCode: 3,
      message: 'NVCC is set to "/opt/cuda-12.4/bin/nvcc", and there is no such program.',
      hint: 'Point NVCC at nvcc, or unset it to use nvcc from PATH.',
    });
  });

  it('NVCC set and empty is unset: nvcc from PATH builds', async () => {
    const { ctx } = setup([...nvccOk, { match: isMake, result: makeBuilds }], { NVCC: '' });
    const binary = await resolveBinary(ctx, 'sm_90');
    expect(binary).toMatchObject({ source: 'built', arch: 'sm_90' });
    expect(ctx.calls.filter((c) => c.file !== 'make').map((c) => c.file)).toEqual(['nvcc', 'nvcc']);
  });
});

describe('CUDA 12', () => {
  const v12 = (release: string, build: string) => `nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release ${release}, ${build}\n`;
  it('nvcc 12.4 builds native/ (for an architecture it targets)', async () => {
    const { ctx } = setup([
      { match: ['nvcc', '--version'], result: exited(v12('12.4', 'V12.4.131')) },
      { match: ['nvcc', '--list-gpu-code'], result: exited('sm_50\nsm_52\nsm_53\nsm_60\nsm_61\nsm_62\nsm_70\nsm_72\nsm_75\nsm_80\nsm_86\nsm_87\nsm_89\nsm_90\n') },
      { match: isMake, result: makeBuilds },
    ]);
    expect(await resolveBinary(ctx, 'sm_89')).toMatchObject({ source: 'built', arch: 'sm_89', nvcc: '12.4' });
    await expect(resolveBinary(ctx, 'sm_120')).rejects.toThrow('nvcc 12.4 cannot build for sm_120; it targets sm_50');
  });

  it('nvcc older than 12.4 is not used: the prebuilt binary, or exit 3 saying why', async () => {
    const { ctx } = setup([{ match: ['nvcc', '--version'], result: exited(v12('12.2', 'V12.2.140')) }, { match: ['nvcc', '--list-gpu-code'], result: exited('sm_90\n') }]);
    await expect(resolveBinary(ctx, 'sm_90')).rejects.toThrow(/nvcc 12\.2 is older than CUDA 12\.4, the oldest toolkit native\/ supports/);
    expect(ctx.calls.some(isMake)).toBe(false);
  });
});

describe('the CPU-only build (--cpu, --list)', () => {
  const gxx = 'g++ (Debian 12.2.0-14+deb12u1) 12.2.0\nCopyright (C) 2022 Free Software Foundation, Inc.\n';
  const makeCpu = (request: ExecRequest): ExecResult => {
    writeFileSync(join(outOf(request), 'gpuctl-bench-cpu'), '#!/bin/sh\n');
    chmodSync(join(outOf(request), 'gpuctl-bench-cpu'), 0o755);
    return exited('g++ -c src/cpu_suite.cpp -o cpu_suite.o\n');
  };

  it('compiles `make cpu` with the host C++ compiler; nvcc is never asked', async () => {
    const { ctx, cacheRoot } = setup([{ match: ['c++', '--version'], result: exited(gxx) }, { match: isMake, result: makeCpu }]);
    const built = await resolveCpuBinary(ctx);
    expect(built).toMatchObject({ source: 'built', arch: 'cpu', nvcc: null, cxx: 'g++ (Debian 12.2.0-14+deb12u1) 12.2.0' });
    expect(ctx.calls.find(isMake)!.args.join(' ')).toMatch(new RegExp(`^-C ${NATIVE} -j\\d+ cpu OUT=${cacheRoot}/\\.build-[0-9a-f]{12}-\\w+ CXX=c\\+\\+$`));
    expect(readdirSync(join(cacheRoot, built.key!)).sort()).toEqual(['build.json', 'gpuctl-bench']);
    expect(JSON.parse(readFileSync(join(cacheRoot, built.key!, 'build.json'), 'utf8'))).toMatchObject({ arch: 'cpu', cxx: 'g++ (Debian 12.2.0-14+deb12u1) 12.2.0' });
    expect(ctx.calls.some((c) => c.file === 'nvcc')).toBe(false);
    expect(await resolveCpuBinary(ctx)).toEqual({ ...built, source: 'cache' });
  });

  it('takes $CXX, else the first of c++, g++, clang++ on PATH', async () => {
    const env = setup([{ match: ['/opt/gcc/bin/g++-13', '--version'], result: exited('g++-13 (GCC) 13.2.0\n') }, { match: isMake, result: makeCpu }], { CXX: '/opt/gcc/bin/g++-13' });
    await resolveCpuBinary(env.ctx);
    expect(env.ctx.calls.find(isMake)!.args).toContain('CXX=/opt/gcc/bin/g++-13');
    const clang = setup([
      { match: ['c++', '--version'], result: { kind: 'not-found', file: 'c++' } },
      { match: ['g++', '--version'], result: { kind: 'not-found', file: 'g++' } },
      { match: ['clang++', '--version'], result: exited('Homebrew clang version 18.1.8\n') },
      { match: isMake, result: makeCpu },
    ]);
    expect((await resolveCpuBinary(clang.ctx)).cxx).toBe('Homebrew clang version 18.1.8');
  });

  it('no C++ compiler: the prebuilt binary of a packed gpuctl, else exit 3 naming the compiler, never an sm_ architecture', async () => {
    const none = [
      { match: ['c++', '--version'], result: { kind: 'not-found', file: 'c++' } },
      { match: ['g++', '--version'], result: { kind: 'not-found', file: 'g++' } },
      { match: ['clang++', '--version'], result: { kind: 'not-found', file: 'clang++' } },
    ] satisfies ExecRule[];
    const { ctx, home } = setup(none);
    const error = await resolveCpuBinary(ctx).then(() => { throw new Error('resolved'); }, (e: unknown) => e as MissingError);
    expect(error).toBeInstanceOf(MissingError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/^No benchmark program for the CPU suite: no C\+\+ compiler on PATH \(tried c\+\+, g\+\+, clang\+\+\)/);
    expect(error.hint).toMatch(/apt-get install g\+\+ make/);
    // gpuctl is not on the npm registry: the hint names the packed tarball, not `npm install -g gpuctl` (a 404, or someone else's package).
    expect(error.hint).toContain('`npm pack` in gpuctl\'s repository, then `npm install -g ./gpuctl-<version>.tgz`');
    expect(error.hint).not.toMatch(/npm install -g gpuctl\b/);
    expect(`${error.message} ${error.hint}`).not.toMatch(/sm_\d|nvcc|CUDA/);
    const prebuilt = join(home, 'gpuctl-bench');
    writeFileSync(prebuilt, '#!/bin/sh\n');
    chmodSync(prebuilt, 0o755);
    expect(await resolveCpuBinary({ ...ctx, env: { ...ctx.env, GPUCTL_BENCH_PREBUILT: prebuilt } })).toMatchObject({ source: 'prebuilt', path: prebuilt });
  });
});

describe('toolchain failures', () => {
  it('nvcc that hangs on --version is a tool error', async () => {
    const { ctx } = setup([{ match: ['nvcc', '--version'], result: { kind: 'timeout', timeoutMs: 15_000, stdout: '', stderr: '' } }]);
    await expect(resolveBinary(ctx, 'sm_90')).rejects.toThrow(/nvcc is on PATH but does not work: nvcc --version did not succeed \(timeout\)/);
  });

  it('an architecture nvcc does not target is a usage error listing what it does', async () => {
    const { ctx } = setup(nvccOk);
    await expect(resolveBinary(ctx, 'sm_95')).rejects.toThrow(UsageError);
    await expect(resolveBinary(ctx, 'sm_95')).rejects.toThrow('nvcc 13.0 cannot build for sm_95; it targets sm_75, sm_80');
  });

  it('a compile error shows the compiler\'s first error lines, keeps the log, caches nothing', async () => {
    const { ctx, cacheRoot } = setup([...nvccOk, { match: isMake, result: exited('', 2, NVCC_ERROR) }]);
    const error = await resolveBinary(ctx, 'sm_90').then(() => { throw new Error('resolved'); }, (e: unknown) => e as ToolError);
    expect(error).toBeInstanceOf(ToolError);
    expect(error.message).toBe(
      `Compiling ${NATIVE} for sm_90 with nvcc V13.0.88 failed (make exit 2):\n` +
        '  src/gemm.cu(12): error: identifier "undefined_symbol" is undefined\n' +
        '        return undefined_symbol;\n' +
        '  1 error detected in the compilation of "src/gemm.cu".\n' +
        '  make: *** [Makefile:64: /tmp/x/obj-sm_90/gemm.o] Error 2',
    );
    const log = /in (\S+\.log)\./.exec(error.hint ?? '')?.[1];
    expect(readFileSync(log!, 'utf8')).toContain('undefined_symbol');
    expect(readdirSync(cacheRoot).filter((name) => !name.endsWith('.log'))).toEqual([]);
  });

  it('a compile that hangs times out (overridable) and says how to allow longer', async () => {
    const { ctx } = setup([...nvccOk, { match: (r) => isMake(r) && r.timeoutMs === 1234, result: { kind: 'timeout', timeoutMs: 1234, stdout: 'nvcc -c src/gemm.cu\n', stderr: '' } }], {
      GPUCTL_BENCH_BUILD_TIMEOUT_MS: '1234',
    });
    const error = await resolveBinary(ctx, 'sm_90').then(() => { throw new Error('resolved'); }, (e: unknown) => e as ToolError);
    expect(error.code).toBe('tool_timeout');
    expect(error.message).toBe(`Compiling ${NATIVE} for sm_90 with nvcc V13.0.88 did not finish within 1 s.`);
    expect(error.hint).toContain('GPUCTL_BENCH_BUILD_TIMEOUT_MS=1800000');
  });

  it('no make: exit 3 with the package to install', async () => {
    const { ctx } = setup([...nvccOk, { match: isMake, result: { kind: 'not-found', file: 'make' } }]);
    await expect(resolveBinary(ctx, 'sm_90')).rejects.toThrow(MissingError);
  });

  it('make that succeeds without producing the program is an error, not a broken cache entry', async () => {
    const { ctx, cacheRoot } = setup([...nvccOk, { match: isMake, result: exited('') }]);
    await expect(resolveBinary(ctx, 'sm_90')).rejects.toThrow(/succeeded but produced no gpuctl-bench/);
    expect(existsSync(cacheRoot) ? readdirSync(cacheRoot).filter((n) => !n.endsWith('.log')) : []).toEqual([]);
  });

  it('GPUCTL_BENCH_BIN runs that program without probing nvcc', async () => {
    const { ctx } = setup([], { GPUCTL_BENCH_BIN: '/bin/sh' });
    expect(await resolveBinary(ctx, 'sm_90')).toEqual({ path: '/bin/sh', source: 'env', arch: null, nvcc: null, key: null });
    const missing = setup([], { GPUCTL_BENCH_BIN: '/nonexistent/gpuctl-bench' });
    await expect(resolveBinary(missing.ctx, 'sm_90')).rejects.toThrow(UsageError);
  });
});

describe('build plan', () => {
  it('make argv', () => {
    const nvcc = { kind: 'nvcc', arch: 'sm_89', file: '/usr/local/cuda/bin/nvcc', release: 'V13.0.88', version: '13.0' } as const;
    expect(makePlan({ make: 'make', nativeDir: '/pkg/native', toolchain: nvcc, out: '/c/.b', jobs: 4 })).toEqual({
      file: 'make',
      args: ['-C', '/pkg/native', '-j4', 'ARCH=sm_89', 'OUT=/c/.b', 'NVCC=/usr/local/cuda/bin/nvcc'],
    });
    expect(makePlan({ make: 'make', nativeDir: '/pkg/native', toolchain: { kind: 'cxx', file: 'g++', version: 'g++ 12.2.0' }, out: '/c/.b', jobs: 2 })).toEqual({
      file: 'make',
      args: ['-C', '/pkg/native', '-j2', 'cpu', 'OUT=/c/.b', 'CXX=g++'],
    });
  });

  it('compilerErrors falls back to the last lines when nothing looks like an error', () => {
    expect(compilerErrors('a\nb\nc\n', 2)).toEqual(['b', 'c']);
    expect(compilerErrors("nvcc fatal   : Unsupported gpu architecture 'compute_70'\n")).toEqual(["nvcc fatal   : Unsupported gpu architecture 'compute_70'"]);
  });
});

describe('the compile step on the spinner', () => {
  it('a failed compile ends it as failed; Ctrl-C ends it without saying the compile failed (the error says Interrupted)', async () => {
    const said: string[] = [];
    const events = { building: () => said.push('building'), buildFailed: () => said.push('failed') };
    const gxx = 'g++ (Debian 12.2.0-14+deb12u1) 12.2.0\n';
    const run = (result: ExecResult) => {
      const { ctx } = setup([{ match: ['c++', '--version'], result: exited(gxx) }, { match: isMake, result }]);
      return benchList(parseBenchOptions({ suite: [], kernel: [], size: [], quick: false, cpu: true, list: true, buildOnly: false, force: false }), ctx, events);
    };
    await expect(run({ kind: 'interrupted', stdout: '', stderr: '' })).rejects.toThrow(InterruptedError);
    expect(said).not.toContain('failed');
    await expect(run(exited('', 2, 'make: *** [Makefile:1: x] Error 1\n'))).rejects.toThrow();
    expect(said.at(-1)).toBe('failed');
  });
});
