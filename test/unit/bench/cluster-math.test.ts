/** busbw arithmetic (nccl-tests' definitions), latency percentiles, and the outlier rule. */
import { describe, expect, it } from 'vitest';
import { algbw, busFactor, collectivePoint } from '../../../src/bench/collectives.js';
import { latencyStats, percentile } from '../../../src/bench/latency-stats.js';
import { findOutliers, spreadRows } from '../../../src/bench/outlier.js';

describe('busbw as nccl-tests defines it', () => {
  it('factors: all-reduce 2(n-1)/n, all-gather and reduce-scatter (n-1)/n, broadcast 1', () => {
    expect(busFactor('all_reduce', 2)).toBe(1);
    expect(busFactor('all_reduce', 4)).toBe(1.5);
    expect(busFactor('all_reduce', 8)).toBe(1.75);
    expect(busFactor('all_gather', 4)).toBe(0.75);
    expect(busFactor('reduce_scatter', 8)).toBe(0.875);
    expect(busFactor('broadcast', 8)).toBe(1);
    expect(busFactor('all_reduce', 1)).toBe(0);
    expect(() => busFactor('all_reduce', 0)).toThrow(RangeError);
  });

  it('algbw = bytes / time in 10^9 B/s; 1 GiB all-reduce in 3.376 ms on 2 GPUs = 318 GB/s busbw', () => {
    expect(algbw(1e9, 1000)).toBe(1);
    // size.bytes as the program prints it (9 significant digits); the name holds the exact size
    const p = collectivePoint({ suite: 'collectives', name: 'all_reduce_1073741824', size: { bytes: 1073741820, ranks: 2 }, medianMs: 3.376 });
    expect(p?.bytes).toBe(2 ** 30);
    expect(p?.algbw).toBeCloseTo(318.05, 1);
    expect(p?.busbw).toBeCloseTo(318.05, 1);
    const q = collectivePoint({ suite: 'collectives', name: 'all_reduce_1073741824', size: { bytes: 2 ** 30, ranks: 4 }, medianMs: 3.376 });
    expect(q?.busbw).toBeCloseTo(477.1, 1);
    const g = collectivePoint({ suite: 'collectives', name: 'all_gather_1048576', size: { bytes: 2 ** 20, ranks: 8 }, medianMs: 0.01 });
    expect(g).toMatchObject({ op: 'all_gather', ranks: 8 });
    expect(g?.busbw).toBeCloseTo((2 ** 20 / 1e-5 / 1e9) * 0.875, 6);
  });

  it('ignores lines that are not collectives or lack the sizes', () => {
    expect(collectivePoint({ suite: 'links', name: 'all_reduce_8', size: { bytes: 8, ranks: 2 }, medianMs: 1 })).toBeNull();
    expect(collectivePoint({ suite: 'collectives', name: 'all_reduce_8', size: { bytes: 8 }, medianMs: 1 })).toBeNull();
    expect(collectivePoint({ suite: 'collectives', name: 'gather_8', size: { bytes: 8, ranks: 2 }, medianMs: 1 })).toBeNull();
  });
});

describe('latency percentiles (nearest rank)', () => {
  it('on 1..1000 ms: p50 = 500, p95 = 950, p99 = 990, p99.9 = 999, max = 1000 (in us)', () => {
    const ms = Array.from({ length: 1000 }, (_, i) => (1000 - i) / 1000); // descending: the order does not matter
    const s = latencyStats(ms)!;
    expect(s.count).toBe(1000);
    for (const [got, want] of [[s.p50Us, 500], [s.p95Us, 950], [s.p99Us, 990], [s.p999Us, 999], [s.maxUs, 1000]] as const) expect(got).toBeCloseTo(want, 9);
  });

  it('one slow request in 10,000 shows in p99.9 and max only', () => {
    const ms = Array<number>(10_000).fill(0.02);
    ms[1234] = 1.5;
    const s = latencyStats(ms)!;
    expect([s.p50Us, s.p99Us, s.p999Us]).toEqual([20, 20, 20]);
    expect(s.maxUs).toBe(1500);
    ms[99] = 1.0;
    ms[7] = 0.9;
    ms[8] = 0.8;
    ms[9] = 0.7;
    ms[10] = 0.6;
    ms[11] = 0.5;
    ms[12] = 0.4;
    ms[13] = 0.3;
    ms[14] = 0.25;
    ms[15] = 0.22;
    expect(latencyStats(ms)!.p999Us).toBeCloseTo(220, 9); // rank 9990 of 10,000: the 11th slowest
  });

  it('edge cases: empty → null; one sample is every percentile', () => {
    expect(latencyStats([])).toBeNull();
    expect(percentile([], 50)).toBeNaN();
    expect(latencyStats([0.005])).toEqual({ count: 1, p50Us: 5, p95Us: 5, p99Us: 5, p999Us: 5, maxUs: 5 });
  });
});

const rate = (gpu: number, value: number) => ({ gpu, results: [{ suite: 'memory', name: 'triad', unit: 'GB/s', value, medianMs: 1000 / value, higherIsBetter: true }] });

describe('the outlier rule', () => {
  it('names a GPU more than the margin below the median of its peers', () => {
    const rows = spreadRows([rate(0, 4000), rate(1, 4010), rate(2, 3990), rate(3, 3500)]);
    expect(rows[0]?.spreadPct).toBeCloseTo((510 / 3995) * 100, 6);
    const out = findOutliers(rows, 10);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ gpu: 3, suite: 'memory', name: 'triad', figure: 3500, peerMedian: 4000 });
    expect(out[0]?.worsePct).toBeCloseTo(12.5, 9);
    expect(findOutliers(rows, 15)).toEqual([]);
  });

  it('exactly at the margin is not an outlier; with two GPUs only the slower one is named', () => {
    expect(findOutliers(spreadRows([rate(0, 100), rate(1, 90)]), 10)).toEqual([]);
    const two = findOutliers(spreadRows([rate(0, 100), rate(1, 89)]), 10);
    expect(two.map((o) => o.gpu)).toEqual([1]);
  });

  it('for latencies (lower is better) compares median times: a slower GPU is named, a faster one not', () => {
    const lat = (gpu: number, ms: number) => ({ gpu, results: [{ suite: 'latency', name: 'lat_bs_1024_graph', unit: 'us', value: ms * 1500, medianMs: ms, higherIsBetter: false }] });
    const out = findOutliers(spreadRows([lat(0, 0.02), lat(1, 0.021), lat(2, 0.03), lat(3, 0.01)]), 10);
    expect(out.map((o) => [o.gpu, Math.round(o.worsePct)])).toEqual([[2, 50]]);
  });

  it('kernels that measure the host (pageable copies) are side by side but never name a GPU', () => {
    const copy = (gpu: number, pageable: number, triad: number) => ({
      gpu,
      results: [
        { suite: 'memory', name: 'h2d_pageable', unit: 'GB/s', value: pageable, medianMs: 1000 / pageable, higherIsBetter: true },
        { suite: 'memory', name: 'triad', unit: 'GB/s', value: triad, medianMs: 1000 / triad, higherIsBetter: true },
      ],
    });
    // The 4 x H200 figures of 2026-11-26 (h2d_pageable, four at once): GPU 1 25% below its peers.
    const rows = spreadRows([copy(0, 9.006, 4328), copy(1, 6.638, 4306), copy(2, 8.551, 4331), copy(3, 8.882, 3000)]);
    expect(rows.find((r) => r.name === 'h2d_pageable')).toMatchObject({ notJudged: 'pageable copies depend on the host' });
    expect(rows.find((r) => r.name === 'triad')?.notJudged).toBeNull();
    expect(findOutliers(rows, 10).map((o) => [o.gpu, o.name])).toEqual([[3, 'triad']]);
  });

  it('one GPU: no peers, no outlier', () => {
    expect(findOutliers(spreadRows([rate(0, 1)]), 1)).toEqual([]);
  });
});
