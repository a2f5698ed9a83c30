/**
 * Which program runs and how it is built, with nvcc and make faked in the exec table: cache misses
 * and hits, the prebuilt fallback, and every way the toolchain can fail.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveBinary } from '../../../src/bench/build.js';
import { compilerErrors, makePlan } from '../../../src/bench/build-plan.js';
import { MissingError, ToolError, UsageError } from '../../../src/errors.js';
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
    expect(error.message).toMatch(/^No benchmark program for sm_90: nvcc is not on PATH, and this gpuctl package ships no prebuilt gpuctl-bench/);
    expect(error.hint).toMatch(/Install the CUDA 13 toolkit/);
    expect(error.hint).toMatch(/npm run build:native-fat/);
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
    expect(makePlan({ make: 'make', nativeDir: '/pkg/native', arch: 'sm_89', out: '/c/.b', nvcc: '/usr/local/cuda/bin/nvcc', jobs: 4 })).toEqual({
      file: 'make',
      args: ['-C', '/pkg/native', '-j4', 'ARCH=sm_89', 'OUT=/c/.b', 'NVCC=/usr/local/cuda/bin/nvcc'],
    });
  });

  it('compilerErrors falls back to the last lines when nothing looks like an error', () => {
    expect(compilerErrors('a\nb\nc\n', 2)).toEqual(['b', 'c']);
    expect(compilerErrors("nvcc fatal   : Unsupported gpu architecture 'compute_70'\n")).toEqual(["nvcc fatal   : Unsupported gpu architecture 'compute_70'"]);
  });
});
