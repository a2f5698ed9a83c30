/** CI use: --cpu without a GPU, --baseline gating with its exit code, and the GitHub step summary. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../../src/bench/report.js';
import { bench, benchEnv, calls } from './bench-helpers.js';

describe('gpuctl bench --cpu', () => {
  it('runs the latency requests on the CPU (one thread, all threads) in the latency table; GPU-only kernels alone are an error (issue 21)', async () => {
    const setup = benchEnv(['c++']);
    const run = await bench(['--cpu', '--quick', '--suite', 'latency'], setup);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/bs_1024\s+cpu1\s+4\.\d+/);
    expect(run.stdout).toMatch(/bs_1024\s+cpuall\s+3\.\d+/);
    expect(run.stdout).toMatch(/var_1_full\s+cpu1\s+3\.\d+/); // the VaR update's full float32 read, its own rows
    expect(run.stdout).toMatch(/var_1_f16\s+cpu1\s+2\.\d+/); // and its binary16 storage form
    // the 5 _stream rows' two CPU forms + the VaR row's full-read and binary16 forms; the 5 _graph rows
    expect(run.stdout).toContain('14 passed, 0 failed, 5 skipped');
    const gpuOnly = await bench(['--cpu', '--quick', '--kernel', 'lat_bs_1024_graph,gemm_bf16'], setup);
    expect(gpuOnly.exitCode).toBe(1);
    expect(`${gpuOnly.stdout}${gpuOnly.stderr}`).toContain('every selected kernel is GPU-only');
    expect(gpuOnly.stdout).not.toContain('0 passed, 0 failed');
  });

  it('runs the CPU implementations with no GPU, no nvidia-smi and no nvcc (the host C++ compiler builds them); GPU-only kernels are skipped', async () => {
    const setup = benchEnv(['c++']);
    const run = await bench(['--cpu', '--quick'], setup);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('Compiled gpuctl-bench (CPU suite)');
    expect(run.stdout).toMatch(/Program: a fresh CPU-only build \(c\+\+ \(Debian 12\.2\.0-14\+deb12u1\) 12\.2\.0\)/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/sm_\d|nvcc/);
    expect(calls(setup.cxxLog).some((argv) => argv.includes('-c'))).toBe(true);
    expect(run.stdout).toContain('gpuctl-bench 0.1.0 · CPU mode · quick sizes');
    expect(run.stdout).toMatch(/finance\/sma\s+18\.0 GB\/s\s+–\s+–\s+rel_l2/);
    expect(run.stdout).toContain('– skipped, GPU-only kernel: not run in --cpu mode: memory/memcpy_d2d, memory/h2d_pinned');
    // 15 CPU kernels (es_historical, zscore, momentum, meanvar: issue 21) + two CPU forms of each of the 5 latency _stream
    // rows + the VaR row's two full-read and two binary16 forms; 12 GPU-only + 15 links/collectives/latency-graph rows
    expect(run.stdout).toContain('29 passed, 0 failed, 27 skipped');
    const json = JSON.parse((await bench(['--cpu', '--quick', '--json'], setup)).stdout) as BenchReport;
    expect(json).toMatchObject({
      mode: 'cpu',
      device: null,
      ceiling: null,
      ok: true,
      program: { source: 'cache', arch: 'cpu', nvcc: null, cudaRuntime: null },
    });
    expect(json.host.logicalCores).toBeGreaterThan(0);
    expect(json.results.every((r) => r.pctOfPeak === null && r.cpu === null)).toBe(true);
  });
});

describe('gpuctl bench --baseline', () => {
  async function baseline(setup: ReturnType<typeof benchEnv>): Promise<string> {
    const run = await bench(['--quick', '--suite', 'finance', '--json', '--out', 'main.json'], setup);
    expect(run.exitCode).toBe(0);
    return join(setup.home, 'main.json');
  }

  it('30% slower with tight samples: exit 1 with a before/after table', async () => {
    const setup = benchEnv();
    await baseline(setup);
    const run = await bench(['--quick', '--suite', 'finance', '--baseline', 'main.json', '--max-regression', '10'], setup, {
      FAKE_BENCH_SCALE: '1.3',
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Compared with main.json (fails on > 10% slower and beyond the noise margin):');
    expect(run.stdout).toMatch(/finance\/sma\s+2610 GB\/s\s+2008 GB\/s\s+\+30\.0%\s+±\d\.\d%\s+REGRESSED/);
    expect(run.stdout).toContain('13 kernels regressed.'); // the fake's 13 finance kernels (issue 21: es_historical, zscore, momentum, meanvar)
  });

  it('the same slowdown inside wide sample noise passes, reported as within noise', async () => {
    const setup = benchEnv();
    await bench(['--quick', '--suite', 'finance', '--json', '--out', 'main.json'], setup, { FAKE_BENCH_JITTER: '0.5' });
    const run = await bench(['--quick', '--suite', 'finance', '--baseline', 'main.json', '--max-regression', '10'], setup, {
      FAKE_BENCH_SCALE: '1.3',
      FAKE_BENCH_JITTER: '0.5',
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/finance\/sma\s+.*\+30\.0%\s+±\d+\.\d%\s+within noise/);
    expect(run.stdout).toContain('No regression.');
  });

  it('a baseline that shares no kernel with the run compared nothing: exit 1, not "No regression" (issue 18)', async () => {
    const setup = benchEnv();
    await baseline(setup);
    const run = await bench(['--quick', '--suite', 'memory', '--baseline', 'main.json'], setup);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Nothing compared: no kernel of this run has a comparable figure in the baseline.');
    expect(run.stdout).not.toContain('No regression.');
  });

  it('a baseline figure that is not a positive finite number is refused when the file is read (issue 18)', async () => {
    const setup = benchEnv();
    const path = await baseline(setup);
    const report = JSON.parse(readFileSync(path, 'utf8')) as { results: Array<{ value: number }> };
    report.results[0]!.value = 1e-308;
    writeFileSync(path, JSON.stringify(report));
    const run = await bench(['--quick', '--suite', 'finance', '--baseline', 'main.json'], setup);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('results[0].value is 1e-308, not a positive finite number');
  });

  it('faster is an improvement; kernels on one side only are reported, not fatal', async () => {
    const setup = benchEnv();
    await baseline(setup);
    const run = await bench(['--quick', '--kernel', 'sma,ema,triad', '--baseline', 'main.json', '--json'], setup, {
      FAKE_BENCH_SCALE: '0.5',
    });
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as BenchReport & {
      baseline: { regressed: number; kernels: Array<{ name: string; verdict: string }> };
    };
    const verdicts = Object.fromEntries(report.baseline.kernels.map((k) => [k.name, k.verdict]));
    expect(verdicts).toMatchObject({
      sma: 'improved',
      ema: 'improved',
      triad: 'only-new',
      rsi: 'only-baseline',
      mc_asian: 'only-baseline',
    });
    expect(report.baseline.regressed).toBe(0);
  });

  it('a kernel that fails its check is missing from the comparison, marked as failed, and fails the run', async () => {
    const setup = benchEnv();
    await baseline(setup);
    const run = await bench(['--quick', '--suite', 'finance', '--baseline', 'main.json'], setup, { FAKE_BENCH_FAIL_CHECK: 'rsi' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/finance\/rsi\s+2300 GB\/s\s+–\s+–\s+–\s+missing \(failed in this run\)/);
    expect(run.stdout).toContain('No regression.');
  });

  it('appends a markdown summary to GITHUB_STEP_SUMMARY, keeping what was there', async () => {
    const setup = benchEnv();
    await baseline(setup);
    const summary = join(setup.home, 'summary.md');
    writeFileSync(summary, '## Earlier step\n');
    const run = await bench(['--quick', '--suite', 'finance', '--baseline', 'main.json'], setup, {
      FAKE_BENCH_SCALE: '1.3',
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(run.exitCode).toBe(1);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('## Earlier step\n### ❌ gpuctl bench (GPU, quick sizes)\n')).toBe(true);
    expect(text).toContain('| Kernel | Figure | % peak | % copy | Check | vs CPU | Median |');
    expect(text).toMatch(/\| finance\/sma \| 2610 GB\/s \| 2008 GB\/s \| \+30\.0% \| \*\*REGRESSED\*\* \|/);
  });

  it('a step summary that cannot be written is a warning: the run keeps its own exit code, not "unexpected error" (issue 22)', async () => {
    const setup = benchEnv();
    await baseline(setup);
    const summary = join(setup.home, 'no-such-dir', 'summary.md');
    const run = await bench(['--quick', '--suite', 'finance', '--baseline', 'main.json'], setup, { GITHUB_STEP_SUMMARY: summary });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`Warning: Could not append to GITHUB_STEP_SUMMARY (${summary}).`);
    expect(run.stderr).not.toMatch(/unexpected error/i);
    expect(run.stdout).toContain('No regression.');
  });

  it('an unreadable baseline is a usage error before anything runs', async () => {
    const setup = benchEnv();
    writeFileSync(join(setup.home, 'bad.json'), '{"schemaVersion":1}');
    const run = await bench(['--baseline', 'bad.json'], setup);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('The baseline bad.json cannot be used: it has no "results" list');
    expect((await bench(['--baseline', 'missing.json'], setup)).stderr).toContain(
      'Cannot read the baseline missing.json: no such file or directory (ENOENT).',
    );
  });
});
