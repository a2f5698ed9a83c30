/**
 * [slow] The CPU suite from a clone on a machine with Node and a C++ compiler but no nvcc: a hermetic
 * PATH (node, make, the real c++ with its assembler and linker, and the few shell tools make's recipes
 * use) runs `gpuctl bench --cpu --quick --json` on the built CLI, which compiles native/ with the host
 * compiler alone (make cpu) and passes every check. Then native/Makefile itself, with real make and
 * c++ at -O0: the version from package.json, a no-op rebuild, header dependencies and a flags change.
 * Skipped, with the reason in the test summary, only when no C++ compiler is on PATH (CI has g++).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../../src/bench/report.js';
import { onPath, ROOT, runGpuctl, tempHome } from '../helpers/cli.js';

const cxx = onPath('c++') || onPath('g++');
const NO_CXX = 'no C++ compiler (c++ or g++) on PATH, so the CPU-only build of native/ was not compiled';
const SHELL_TOOLS = ['make', 'as', 'ld', 'sh', 'mkdir', 'cmp', 'sed', 'grep', 'head', 'date', 'rm'];

/** node, c++ and what make needs; nvcc is not among them, whatever the host has. */
function hermeticPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-cpu-only-bin-'));
  symlinkSync(process.execPath, join(dir, 'node'));
  symlinkSync(cxx, join(dir, 'c++'));
  for (const tool of SHELL_TOOLS) {
    const path = onPath(tool);
    if (path) symlinkSync(path, join(dir, tool));
  }
  return dir;
}

describe(`[slow] the CPU suite with no nvcc (${cxx ? `with ${cxx}` : 'no C++ compiler'})`, () => {
  it('gpuctl bench --cpu --quick --json compiles native/ with c++ alone and passes every check', { timeout: 15 * 60_000 }, async (ctx) => {
    if (!cxx) ctx.skip(NO_CXX);
    const path = hermeticPath();
    expect(onPath('nvcc', path)).toBe('');
    const home = tempHome();
    const env = {
      PATH: path,
      HOME: home,
      XDG_CACHE_HOME: join(home, '.cache'),
      GPUCTL_BENCH_PREBUILT: join(home, 'no-prebuilt/gpuctl-bench'),
    };
    const run = await runGpuctl(['bench', '--cpu', '--quick', '--json'], { env, timeoutMs: 14 * 60_000 });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toMatch(/sm_\d/);
    const report = JSON.parse(run.stdout) as BenchReport;
    expect(report).toMatchObject({
      mode: 'cpu',
      quick: true,
      ok: true,
      failures: [],
      program: { source: 'built', arch: 'cpu', nvcc: null, protocol: 1, cudaRuntime: null },
    });
    expect(report.results.map((r) => r.name)).toEqual([
      'd2d_copy',
      'triad',
      'sma',
      'ema',
      'bollinger',
      'rsi',
      'black_scholes',
      'mc_european',
      'mc_asian',
      'var_historical',
      'backtest_grid',
      'es_historical',
      'zscore',
      'momentum',
      'meanvar',
      ...['ind_1x1024', 'ind_64x1024', 'bs_1024', 'bs_65536', 'var_1', 'var_1_full', 'var_1_f16'].flatMap((q) => [
        `lat_${q}_cpu1`,
        `lat_${q}_cpuall`,
      ]),
    ]);
    for (const result of report.results) {
      expect(result.check.passed, `${result.suite}/${result.name}`).toBe(true);
      expect(result.value, `${result.suite}/${result.name}`).toBeGreaterThan(0);
    }
    expect(report.skipped.map((s) => s.name)).toContain('gemm_bf16');
    expect(report.skipped.map((s) => s.name)).toContain('lat_bs_1024_graph');
    for (const result of report.results.filter((r) => r.suite === 'latency')) {
      expect(result.extra?.p99Us, result.name).toBe(result.value);
      expect(result.extra?.threads, result.name).toEqual(result.name.endsWith('_cpu1') ? 1 : expect.any(Number));
    }
    // The screened float32 VaR (its check above also required the full float32 form's VaR bit for bit) recomputed
    // a few rows, not all 4,096.
    const screened = report.results.find((r) => r.name === 'lat_var_1_cpu1');
    expect(screened?.extra?.candidatesMax).toBeGreaterThan(0);
    expect(screened?.extra?.candidatesMax).toBeLessThan(4096);

    // Only GPU-only kernels selected: said so, and a failure (issue 21), not "0 passed".
    const gpuOnly = await runGpuctl(['bench', '--cpu', '--quick', '--json', '--kernel', 'lat_bs_1024_graph,gemm_bf16'], {
      env,
      timeoutMs: 10 * 60_000,
    });
    expect(gpuOnly.exitCode).toBe(1);
    const failed = JSON.parse(gpuOnly.stdout) as BenchReport;
    expect(failed.results).toEqual([]);
    expect(failed.failures).toEqual([
      expect.objectContaining({ code: 'gpu_only', message: expect.stringContaining('GPU-only') as string }),
    ]);
  });

  it(
    'native/Makefile: version from package.json, no-op rebuilds, header dependencies, a flags change rebuilds',
    { timeout: 15 * 60_000 },
    async (ctx) => {
      if (!cxx) ctx.skip(NO_CXX);
      const top = mkdtempSync(join(tmpdir(), 'gpuctl-makefile-'));
      cpSync(join(ROOT, 'native'), join(top, 'native'), { recursive: true, filter: (src) => !/\/build(\/|$)/.test(src) });
      writeFileSync(join(top, 'package.json'), JSON.stringify({ name: 'gpuctl', version: '9.9.9-test' }, null, 2));
      const out = join(top, 'out');
      mkdirSync(out);
      const env = { PATH: hermeticPath() };
      const make = async (...extra: string[]) => {
        const result = await execa(
          'make',
          ['-C', join(top, 'native'), 'cpu', `OUT=${out}`, 'CXX=c++', 'CXXFLAGS=-O0 -std=c++17 -pthread', ...extra],
          { env, extendEnv: false, reject: false, timeout: 10 * 60_000 },
        );
        expect(result.exitCode, result.stderr).toBe(0);
        return [...result.stdout.matchAll(/ -c src\/(\w+\.cc?p?p?) /g)].map((m) => m[1]).sort();
      };
      const version = async () =>
        JSON.parse((await execa(join(out, 'gpuctl-bench-cpu'), ['--version'])).stdout) as {
          version: string;
          cudaRuntime: unknown;
          built: string;
        };

      const all = await make();
      expect(all).toContain('cpu_suite.cpp');
      expect(all).toContain('gpu_none.cc');
      expect(all).not.toContain('cublaslt_dl.cpp');
      expect(await version()).toMatchObject({
        version: '9.9.9-test',
        cudaRuntime: null,
        built: expect.stringMatching(/ cpu-only$/) as string,
      });

      // The screened VaR against the full float32 form on fresh seeds and adversarial cases, with its two mutants
      // caught (cpu_var_screen_check.cpp): a few seconds at -O0.
      const selfTest = await execa(join(out, 'gpuctl-bench-cpu'), ['--self-test', 'var_screen'], { reject: false, timeout: 5 * 60_000 });
      expect(selfTest.exitCode, selfTest.stdout).toBe(0);
      expect(JSON.parse(selfTest.stdout)).toMatchObject({ type: 'selftest', name: 'var_screen', wrong: 0, ok: true });

      expect(await make()).toEqual([]);

      const later = new Date(Date.now() + 5_000);
      utimesSync(join(top, 'native/src/philox.hpp'), later, later);
      const touched = await make();
      expect(touched).toContain('cpu_suite.cpp');
      expect(touched).not.toContain('json.cpp');

      expect(await make('CXXFLAGS=-O0 -std=c++17 -pthread -DGPUCTL_FLAGS_CHANGED')).toEqual(all);

      // A new version relinks (build_info.cc is compiled at every link) and recompiles nothing else.
      writeFileSync(join(top, 'package.json'), readFileSync(join(top, 'package.json'), 'utf8').replace('9.9.9-test', '9.9.10-test'));
      utimesSync(join(top, 'package.json'), new Date(Date.now() + 10_000), new Date(Date.now() + 10_000));
      expect(await make('CXXFLAGS=-O0 -std=c++17 -pthread -DGPUCTL_FLAGS_CHANGED')).toEqual(['build_info.cc']);
      expect((await version()).version).toBe('9.9.10-test');
    },
  );
});
