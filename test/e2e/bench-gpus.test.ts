/** `gpuctl bench --gpus`: several GPUs at once, the outlier rule, links and collectives (fake program, 2 x H200). */
import { describe, expect, it } from 'vitest';
import type { MultiGpuReport } from '../../src/bench/multi.js';
import type { BenchReport } from '../../src/bench/report.js';
import { bench, benchEnv, calls } from './bench-helpers.js';

const X2 = { FAKE_NVIDIA_SMI_FIXTURE: 'h200-x2/gpus.query-gpu.csv' };

describe('gpuctl bench --gpus all on 2 GPUs', () => {
  it('runs the per-GPU suites on each GPU at once and puts them side by side', async () => {
    const setup = benchEnv(['nvcc', 'nvidia-smi'], X2);
    const run = await bench(['--gpus', 'all', '--suite', 'memory,latency', '--quick', '--json'], setup);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout) as MultiGpuReport;
    expect(doc.kind).toBe('multi-gpu');
    expect(doc.gpus).toEqual([0, 1]);
    expect(doc.perGpu.map((p) => p.report.device?.index)).toEqual([0, 1]);
    // Each GPU's process ran on that GPU's own CPUs, as the program reported.
    expect(doc.perGpu.map((p) => [p.report.device?.cpuAffinity, p.report.device?.numaNode])).toEqual([
      ['0-7', 0],
      ['8-15', 1],
    ]);
    expect(doc.cluster).toBeNull();
    const triad = doc.spread.find((r) => r.name === 'triad');
    expect(triad?.figures.map((f) => f.gpu)).toEqual([0, 1]);
    expect(doc.outliers).toEqual([]);
    const runs = calls(setup.benchLog).filter((a) => !a.includes('--list') && !a.includes('--version'));
    expect(runs).toContainEqual(['--suite', 'memory,latency', '--quick']);
    expect(runs).toContainEqual(['--suite', 'memory,latency', '--quick', '--device', '1', '--gpus', '1']);
  });

  it('names a GPU more than --outlier below its peers and exits 1', async () => {
    const setup = benchEnv(['nvcc', 'nvidia-smi'], { ...X2, FAKE_BENCH_SLOW_GPU: '1:1.25' });
    const run = await bench(['--gpus', '0,1', '--suite', 'memory', '--quick', '--json', '--outlier', '15%'], setup);
    expect(run.exitCode).toBe(1);
    const doc = JSON.parse(run.stdout) as MultiGpuReport;
    expect(doc.outlierPct).toBe(15);
    expect(new Set(doc.outliers.map((o) => o.gpu))).toEqual(new Set([1]));
    // GPU 1 is as slow on the pageable copies, which are shown side by side but judge the host, not a GPU.
    const pageable = doc.spread.find((r) => r.name === 'h2d_pageable');
    expect(pageable?.notJudged).toBe('pageable copies depend on the host');
    expect(pageable!.figures[1]!.value).toBeLessThan(pageable!.figures[0]!.value * 0.85);
    expect(doc.outliers.filter((o) => o.name.endsWith('_pageable'))).toEqual([]);
    expect(doc.outliers.find((o) => o.name === 'triad')?.worsePct).toBeCloseTo(20, 1);
    const human = await bench(['--gpus', 'all', '--suite', 'memory', '--quick', '--outlier', '15'], setup);
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toMatch(/✗ GPU1 memory\/triad: 20\.0% worse than its peers’ median/);
    expect(human.stdout).toMatch(/memory\/h2d_pageable †/);
    expect(human.stdout).toContain('† pageable copies depend on the host: shown, not judged by --outlier.');
    const lenient = await bench(['--gpus', 'all', '--suite', 'memory', '--quick', '--outlier', '25'], setup);
    expect(lenient.exitCode).toBe(0);
  });

  it('links and collectives span the GPUs in one process: a pair matrix and busbw as nccl-tests defines it', async () => {
    const setup = benchEnv(['nvcc', 'nvidia-smi'], X2);
    const run = await bench(['--gpus', 'all', '--suite', 'links,collectives', '--json'], setup);
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout) as MultiGpuReport;
    expect(doc.perGpu).toEqual([]);
    const names = doc.cluster?.results.map((r) => r.name) ?? [];
    expect(names).toEqual(
      expect.arrayContaining(['p2p_ce_uni_0_1', 'p2p_ce_uni_1_0', 'h2d_numa_0', 'h2d_numa_1', 'all_reduce_524288', 'broadcast_8']),
    );
    const ar = doc.cluster?.results.find((r) => r.name === 'all_reduce_524288');
    expect(ar?.extra?.busbw).toBeCloseTo(ar!.extra!.algbw! * 1, 9); // 2 ranks: 2(n-1)/n = 1
    expect(ar?.pctOfPeak).toBeNull();
    expect(calls(setup.benchLog)).toContainEqual(['--suite', 'links,collectives', '--gpus', '0,1']);
    const human = await bench(['--gpus', 'all', '--suite', 'links,collectives'], setup);
    expect(human.stdout).toContain('Peer copy, copy engine, one direction');
    expect(human.stdout).toMatch(/GPU0\s+–\s+390/);
    expect(human.stdout).toContain('NCCL collectives on 2 GPUs: busbw (algbw), GB/s');
  });
});

describe('gpuctl bench on one GPU (the default --gpus 0)', () => {
  it('behaves as before; links without a peer are skipped with the reason, latency gets its table', async () => {
    const setup = benchEnv(['nvcc', 'nvidia-smi'], X2);
    const run = await bench(['--suite', 'links,latency', '--quick', '--json'], setup);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as BenchReport;
    expect(report.skipped).toContainEqual({ suite: 'links', name: 'p2p_ce_uni', reason: 'needs two or more GPUs (--gpus)' });
    expect(report.results.map((r) => r.name)).toEqual(expect.arrayContaining(['h2d_numa_0', 'lat_bs_1024_graph']));
    const human = await bench(['--suite', 'latency', '--quick'], setup);
    expect(human.stdout).toMatch(/Request latency: host wall clock per request, us \(1000 requests; CPU: one thread\)/);
    expect(human.stdout).toMatch(/bs_1024\s+graph\s+12\.\d+\s+/);
    // every row ran in the latency table: no "No kernel ran." above "10 passed" (seen on the H200, 2026-12-04)
    expect(human.stdout).not.toContain('No kernel ran');
  });

  it('rejects a GPU the host does not have, and --gpus with --cpu', async () => {
    const setup = benchEnv(['nvcc', 'nvidia-smi'], X2);
    const bad = await bench(['--gpus', '5', '--quick'], setup);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--gpus 5: no such GPU (this host has GPUs 0, 1)');
    const cpu = await bench(['--gpus', 'all', '--cpu'], setup);
    expect(cpu.exitCode).toBe(2);
    expect(cpu.stderr).toContain('--gpus goes with a GPU run, not with --cpu.');
  });
});
