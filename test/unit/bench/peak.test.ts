/** % of datasheet peak and of the measured copy ceiling, on an H100 SXM profile. */
import { describe, expect, it } from 'vitest';
import { ceilingGBs, peakFigures } from '../../../src/bench/peak.js';
import type { ResultLine } from '../../../src/bench/protocol.js';
import { matchProfile } from '../../../src/gpu/match.js';

const h100 = matchProfile('NVIDIA H100 80GB HBM3')!;
const line = (over: Partial<ResultLine>): ResultLine => ({
  type: 'result', suite: 'memory', name: 'triad', unit: 'GB/s', value: 0, medianMs: 1, samplesMs: [1], bytes: 0, flops: 0, size: {}, precision: 'fp32',
  check: { passed: true, metric: 'rel_l2', error: 0, bound: 1e-5 }, cpu: null, note: null, ...over,
});

describe('peakFigures', () => {
  it('a memory-bound kernel: bandwidth against the 3350 GB/s datasheet peak and the measured ceiling', () => {
    const f = peakFigures(line({ bytes: 2.68e9, medianMs: 1 }), h100, 3000, 'gpu');
    expect(f).toMatchObject({ peakBasis: 'bandwidth', peak: 3350, achievedGBs: 2680, achievedTflops: null });
    expect(f.pctOfPeak).toBeCloseTo(80, 10);
    expect(f.pctOfCeiling).toBeCloseTo(89.333, 3);
  });

  it('a GEMM: the precision\'s dense TFLOP/s, and no copy-ceiling share', () => {
    const f = peakFigures(line({ suite: 'compute', name: 'gemm_bf16', unit: 'TFLOP/s', flops: 1.1e12, bytes: 4e8, medianMs: 1.5, precision: 'bf16' }), h100, 3000, 'gpu');
    expect(f.peakBasis).toBe('bf16');
    expect(f.peak).toBe(989.5);
    expect(f.pctOfPeak).toBeCloseTo((100 * (1.1e12 / 1.5 / 1e9)) / 989.5, 10);
    expect(f.pctOfCeiling).toBeNull();
  });

  it('an FP8 GEMM (precision "fp8_e4m3", as the native program reports it) is held to the FP8 peak', () => {
    // Seen on the H200 (docs/captures/bench-h200.txt): 1444 TFLOP/s was once reported as 2154% of FP32.
    const f = peakFigures(line({ suite: 'compute', name: 'gemm_fp8', unit: 'TFLOP/s', flops: 1.1e12, bytes: 2.7e8, medianMs: 0.762, precision: 'fp8_e4m3' }), h100, 3000, 'gpu');
    expect(f.peakBasis).toBe('fp8');
    expect(f.peak).toBe(1979);
    expect(f.pctOfPeak).toBeCloseTo((100 * (1.1e12 / 0.762 / 1e9)) / 1979, 10);
  });

  it('a kernel that counts both is held to the roof its unit names', () => {
    const f = peakFigures(line({ suite: 'finance', name: 'black_scholes', bytes: 2.7e9, flops: 4e9, medianMs: 1 }), h100, 3000, 'gpu');
    expect(f.peakBasis).toBe('bandwidth');
    expect(f.pctOfCeiling).toBeCloseTo(90, 10);
    // VaR: a GEMM's TFLOP/s, though it reads 42 MB too.
    const v = peakFigures(line({ suite: 'finance', name: 'var_historical', unit: 'TFLOP/s', bytes: 4.2e7, flops: 1.72e10, medianMs: 0.39 }), h100, 3000, 'gpu');
    expect(v).toMatchObject({ peakBasis: 'fp32', pctOfCeiling: null });
  });

  it('Monte Carlo (Mpaths/s) and the backtest grid (Gsteps/s) are bound by no datasheet roof: no percentage (issue 10)', () => {
    // Once shown as "2.7% fp32" (4 flops per path counted) and "1.8% bw" (16.8 MB of input).
    const mc = peakFigures(line({ suite: 'finance', name: 'mc_european', unit: 'Mpaths/s', flops: 4 * 67108864, medianMs: 0.1453 }), h100, 3000, 'gpu');
    expect(mc).toMatchObject({ pctOfPeak: null, peakBasis: null, peak: null, pctOfCeiling: null });
    expect(mc.achievedTflops).toBeGreaterThan(0);
    const grid = peakFigures(line({ suite: 'finance', name: 'backtest_grid', unit: 'Gsteps/s', bytes: 4 * 256 * 16384 + 4 * 64 * 256, medianMs: 0.2845 }), h100, 3000, 'gpu');
    expect(grid).toMatchObject({ pctOfPeak: null, peakBasis: null, pctOfCeiling: null });
    expect(grid.achievedGBs).toBeGreaterThan(0);
  });

  it('host copies, latencies, CPU mode and unknown GPUs have no peak', () => {
    expect(peakFigures(line({ name: 'h2d_pinned', bytes: 1e9, medianMs: 20 }), h100, 3000, 'gpu')).toMatchObject({ pctOfPeak: null, pctOfCeiling: null, achievedGBs: 50 });
    expect(peakFigures(line({ suite: 'compute', name: 'launch_latency', unit: 'us', medianMs: 2 }), h100, 3000, 'gpu').pctOfPeak).toBeNull();
    expect(peakFigures(line({ bytes: 1e9 }), h100, 3000, 'cpu').pctOfPeak).toBeNull();
    const unknown = peakFigures(line({ bytes: 1.5e9 }), null, 3000, 'gpu');
    expect(unknown).toMatchObject({ pctOfPeak: null, peakBasis: null });
    expect(unknown.pctOfCeiling).toBeCloseTo(50, 10);
  });
});

describe('ceilingGBs', () => {
  it('is memcpy_d2d\'s bytes over its median, or null when it did not run', () => {
    expect(ceilingGBs([line({ name: 'memcpy_d2d', bytes: 3e9, medianMs: 1 })])).toBeCloseTo(3000, 10);
    expect(ceilingGBs([line({ name: 'triad', bytes: 3e9 })])).toBeNull();
  });
});
