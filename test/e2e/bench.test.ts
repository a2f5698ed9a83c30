/**
 * `gpuctl bench` as a process: the fake nvcc compiles the fixture native/ through real make, the
 * program it "builds" is the fake gpuctl-bench, and nvidia-smi is the fake replaying an H100.
 */
import { execaSync } from 'execa';
import { appendFileSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../../src/bench/report.js';
import { bench, benchEnv, calls, links } from './bench-helpers.js';

describe('gpuctl bench on an H100 (fakes)', () => {
  it('compiles once for sm_90, then reuses the cache; the table has figures, % of peak and of the copy ceiling', async () => {
    const setup = benchEnv();
    const first = await bench([], setup);
    expect(first.stderr).toContain('Compiled gpuctl-bench for sm_90');
    expect(first.exitCode).toBe(0);
    expect(links(setup.nvccLog)).toHaveLength(1);
    expect(links(setup.nvccLog)[0]).toContain('arch=compute_90,code=[sm_90,compute_90]');
    expect(first.stdout).toContain('Device: NVIDIA H100 80GB HBM3 (sm_90, driver 590.48.01, CUDA 13.0, SM 1980 MHz, memory 2619 MHz)');
    expect(first.stdout).toMatch(/Program: a fresh build for sm_90 \(nvcc 13\.0\): .*\/\.cache\/gpuctl\/bench\/[0-9a-f]{64}\/gpuctl-bench/);
    expect(first.stdout).toContain('Device-copy ceiling (memory/memcpy_d2d): 3000 GB/s = 89.6% of the 3350 GB/s datasheet peak');
    expect(first.stdout).toMatch(/memory\/triad\s+2989 GB\/s\s+89\.2% bw\s+99\.6%\s+rel_l2 1\.2e-7 ≤ 1e-5\s+125×\*/);
    expect(first.stdout).toMatch(/compute\/gemm_bf16\s+755 TFLOP\/s\s+76\.3% bf16\s+–/);
    expect(first.stdout).toContain('38 passed, 0 failed, 9 skipped'); // 9: the pair links and collectives need two GPUs

    const second = await bench(['--quick'], setup);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain('Program: a cached build for sm_90');
    expect(links(setup.nvccLog)).toHaveLength(1);
    // The program was asked for the kernel list, then for the run.
    expect(calls(setup.benchLog).slice(-2)).toEqual([['--list'], ['--quick']]);
  });

  it('a changed source byte rebuilds; a changed doc does not', async () => {
    const { cpSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const native = join(mkdtempSync(join(tmpdir(), 'native-')), 'native');
    cpSync(setupNative(), native, { recursive: true });
    const setup = benchEnv(undefined, { GPUCTL_NATIVE_DIR: native });
    expect((await bench(['--build-only'], setup)).exitCode).toBe(0);
    appendFileSync(join(native, 'README.md'), 'more docs\n');
    expect((await bench(['--build-only'], setup)).exitCode).toBe(0);
    expect(links(setup.nvccLog)).toHaveLength(1);
    appendFileSync(join(native, 'src/kernels.cu'), ' ');
    const rebuilt = await bench(['--build-only'], setup);
    expect(rebuilt.stderr).toContain('Compiled gpuctl-bench for sm_90');
    expect(links(setup.nvccLog)).toHaveLength(2);
  });

  it('two runs at once compile once', async () => {
    const setup = benchEnv();
    const [a, b] = await Promise.all([bench(['--build-only'], setup), bench(['--build-only'], setup)]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    expect(a.stdout).toBe(b.stdout);
    expect(links(setup.nvccLog)).toHaveLength(1);
  });

  it('--json is the documented contract, with every sample; --out writes the same document', async () => {
    const setup = benchEnv();
    const run = await bench(
      ['--json', '--quick', '--suite', 'memory,compute', '--repeat', '7', '--size', 'n=2048', '--out', 'result.json'],
      setup,
    );
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as BenchReport;
    expect(readFileSync(join(setup.home, 'result.json'), 'utf8')).toBe(`${run.stdout}\n`); // execa strips the final newline
    expect(report).toMatchObject({
      schemaVersion: 1,
      tool: { name: 'gpuctl', version: '0.1.0' },
      program: { source: 'built', arch: 'sm_90', nvcc: '13.0', version: '0.1.0', protocol: 1, cudaRuntime: '13.0' },
      mode: 'gpu',
      quick: true,
      repeat: 7,
      sizes: { n: 2048 },
      filters: { suites: ['memory', 'compute'], kernels: [] },
      device: {
        name: 'NVIDIA H100 80GB HBM3',
        computeCapability: '9.0',
        sms: 132,
        driverVersion: '590.48.01',
        cudaVersion: '13.0',
        runtimeCudaVersion: '13.0',
        clocks: { smMHz: 1980, memMHz: 2619 },
        profile: { id: 'h100-sxm', peakMemoryBandwidthGBs: 3350 },
      },
      ceiling: { suite: 'memory', name: 'memcpy_d2d' },
      ok: true,
      failures: [],
    });
    expect(report.results).toHaveLength(14);
    const gemm = report.results.find((r) => r.name === 'gemm_bf16')!;
    expect(gemm.samplesMs).toHaveLength(7);
    expect(gemm.size).toEqual({ n: 2048 });
    expect(gemm).toMatchObject({ peakBasis: 'bf16', peak: 989.5, pctOfCeiling: null });
    expect(gemm.pctOfPeak).toBeCloseTo((100 * gemm.value) / 989.5, 6);
    expect(calls(setup.benchLog).at(-1)).toEqual(['--suite', 'memory,compute', '--quick', '--repeat', '7', '--size', 'n=2048']);
  });

  it('--out refuses to replace an existing file without --force, before running anything', async () => {
    const setup = benchEnv();
    writeFileSync(join(setup.home, 'notes.json'), '{"mine":true}');
    const run = await bench(['--out', 'notes.json'], setup);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('notes.json already exists; not overwriting it.');
    expect(readFileSync(join(setup.home, 'notes.json'), 'utf8')).toBe('{"mine":true}');
    expect(calls(setup.benchLog)).toEqual([]);
  });

  it('--out --force refuses a FIFO (it stays one) and a missing directory, before running anything', async () => {
    const setup = benchEnv();
    const fifo = join(setup.home, 'pipe.json');
    execaSync('mkfifo', [fifo]);
    const run = await bench(['--out', 'pipe.json', '--force'], setup);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${fifo} is a FIFO (named pipe); gpuctl replaces only regular files.`);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    const missing = await bench(['--out', 'no-such-dir/report.json'], setup);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/Cannot write no-such-dir\/report\.json: .*no-such-dir no such file or directory \(ENOENT\)/);
    expect(calls(setup.benchLog)).toEqual([]);
  });

  it('--list prints the kernels without a GPU or nvcc', async () => {
    const setup = benchEnv(['c++']);
    const run = await bench(['--list', '--suite', 'finance'], setup);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^Suite\s+Kernel\s+Unit\s+What it measures\n/);
    expect(run.stdout).toMatch(/finance\s+mc_asian\s+Mpaths\/s\s+Monte Carlo arithmetic Asian call/);
    expect(run.stdout).not.toContain('memory');
  });

  it('an unknown kernel is a usage error from the program, exit 2', async () => {
    const run = await bench(['--kernel', 'warp_drive'], benchEnv());
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("rejected the options: unknown kernel 'warp_drive' (see --list).");
  });
});

function setupNative(): string {
  return join(import.meta.dirname, '../fixtures/bench/native');
}
