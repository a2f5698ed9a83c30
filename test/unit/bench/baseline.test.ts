/** Baseline gating: regression, noise within the margin, improvement, missing kernels, other sizes. */
import { describe, expect, it } from 'vitest';
import { compareKernel, compareRuns, gateFails, noiseMarginMs, type ComparableResult } from '../../../src/bench/baseline.js';
import { parseBaseline, readBaseline } from '../../../src/bench/baseline-file.js';
import { mad, median } from '../../../src/bench/stats.js';

const around = (m: number, spread: number, n = 9) => Array.from({ length: n }, (_, i) => m + spread * ((i % 3) - 1));
const result = (name: string, medianMs: number, spread = 0.001, size: Record<string, number> = { bytes: 1024 }): ComparableResult => ({
  suite: 'memory', name, unit: 'GB/s', value: 1000 / medianMs, medianMs, samplesMs: around(medianMs, spread), size,
});

describe('stats', () => {
  it('median and MAD', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
    expect(mad([5])).toBe(0);
  });
});

describe('noise margin', () => {
  it('is 3 combined robust sigmas: 3·√((1.4826·MAD₁)² + (1.4826·MAD₂)²)', () => {
    // MAD of around(m, 0.1) is 0.1 (a third of the samples sit on the median).
    expect(noiseMarginMs(around(1, 0.1), around(1, 0.1))).toBeCloseTo(3 * Math.sqrt(2) * 1.4826 * 0.1, 10);
    expect(noiseMarginMs([1], [1])).toBe(0);
  });
});

describe('compareKernel', () => {
  it('a pageable copy that got slower is shown but never fails the gate', () => {
    const k = compareKernel(result('d2h_pageable', 16), result('d2h_pageable', 21.3, 0.01), 10);
    expect(k).toMatchObject({ verdict: 'ungated', reason: 'pageable copies depend on the host; shown, not gated' });
    expect(k.deltaPct).toBeCloseTo(33.125, 3);
    const runs = compareRuns({ mode: 'gpu', device: null, results: [result('d2h_pageable', 16)] }, { mode: 'gpu', device: null, results: [result('d2h_pageable', 21.3)] }, 10);
    expect(runs.regressed).toBe(0);
    expect(compareKernel(result('d2d_copy', 16), result('d2d_copy', 21.3), 10).verdict).toBe('regressed');
  });

  it('20% slower with tight samples regresses at a 10% threshold', () => {
    const k = compareKernel(result('triad', 1.0), result('triad', 1.2), 10);
    expect(k.verdict).toBe('regressed');
    expect(k.deltaPct).toBeCloseTo(20, 10);
  });

  it('20% slower but within the noise of wide samples is noise, not a regression', () => {
    const k = compareKernel(result('triad', 1.0, 0.2), result('triad', 1.2, 0.2), 10);
    expect(k.verdict).toBe('noise');
    expect(k.noiseMs!).toBeGreaterThan(0.2);
  });

  it('the threshold is strict (docs/bench.md: Δ > PCT% of the old median): exactly PCT% slower passes, a hair more regresses', () => {
    // 2.0 → 2.5 ms is exactly 25% in floating point; samples without spread, so the noise margin is 0.
    const exactly = compareKernel(result('triad', 2.0, 0), result('triad', 2.5, 0), 25);
    expect(exactly.deltaPct).toBe(25);
    expect(exactly.verdict).toBe('unchanged');
    expect(compareKernel(result('triad', 2.0, 0), result('triad', 2.5, 0), 24.999).verdict).toBe('regressed');
    expect(compareKernel(result('triad', 2.5, 0), result('triad', 2.0, 0), 20).verdict).toBe('unchanged');
    expect(compareKernel(result('triad', 2.5, 0), result('triad', 2.0, 0), 19.999).verdict).toBe('improved');
  });

  it('slower by less than the threshold is unchanged, however tight the samples', () => {
    expect(compareKernel(result('triad', 1.0, 0), result('triad', 1.05, 0), 10).verdict).toBe('unchanged');
  });

  it('much faster is an improvement', () => {
    const k = compareKernel(result('triad', 1.0), result('triad', 0.7), 10);
    expect(k.verdict).toBe('improved');
    expect(k.deltaPct).toBeCloseTo(-30, 10);
  });

  it('other sizes or another unit are not compared', () => {
    expect(compareKernel(result('triad', 1), result('triad', 2, 0.001, { bytes: 2048 }), 10)).toMatchObject({ verdict: 'incomparable', reason: 'ran at other sizes' });
    expect(compareKernel(result('triad', 1), { ...result('triad', 2), unit: 'TB/s' }, 10)).toMatchObject({ verdict: 'incomparable', reason: 'unit changed from GB/s' });
  });
});

describe('compareRuns', () => {
  const run = (results: ComparableResult[], mode: 'gpu' | 'cpu' = 'gpu', device = 'NVIDIA H100 80GB HBM3') => ({ mode, device: { name: device }, results });

  it('reports kernels on one side only without failing, and counts regressions', () => {
    const comparison = compareRuns(run([result('triad', 1), result('old', 1)]), run([result('triad', 1.5), result('new', 1)]), 10);
    expect(comparison.regressed).toBe(1);
    expect(comparison.kernels.map((k) => [k.name, k.verdict])).toEqual([
      ['triad', 'regressed'],
      ['new', 'only-new'],
      ['old', 'only-baseline'],
    ]);
  });

  it('another device is a warning; another mode compares nothing', () => {
    expect(compareRuns(run([result('triad', 1)]), run([result('triad', 1)], 'gpu', 'NVIDIA H200'), 10).warnings).toEqual([
      'The baseline ran on NVIDIA H100 80GB HBM3, this run on NVIDIA H200.',
    ]);
    const modes = compareRuns(run([result('triad', 1)], 'gpu'), run([result('triad', 50)], 'cpu'), 10);
    expect(modes.regressed).toBe(0);
    expect(modes.kernels[0]?.verdict).toBe('incomparable');
    expect(gateFails(modes)).toBe(true);
  });

  it('a gate that compared no kernel fails; one that compared and found none slower passes', () => {
    const disjoint = compareRuns(run([result('old', 1)]), run([result('new', 1)]), 10);
    expect(disjoint.regressed).toBe(0);
    expect(disjoint.compared).toBe(0);
    expect(gateFails(disjoint)).toBe(true);
    const same = compareRuns(run([result('triad', 1), result('old', 1)]), run([result('triad', 1), result('new', 1)]), 10);
    expect(same.compared).toBe(1);
    expect(gateFails(same)).toBe(false);
  });
});

describe('parseBaseline', () => {
  it('reads a report', () => {
    const text = JSON.stringify({ schemaVersion: 1, mode: 'cpu', device: null, results: [result('triad', 1)] });
    expect(parseBaseline(text)).toEqual({ mode: 'cpu', device: null, results: [result('triad', 1)] });
  });

  it.each([
    ['not JSON', '{', 'it is not JSON'],
    ['no results', '{"schemaVersion":1}', 'it has no "results" list (is it the output of `gpuctl bench --json`?)'],
    ['another schema', '{"schemaVersion":2,"results":[]}', 'its schemaVersion is 2; this gpuctl reads 1'],
    ['a result without samples', '{"schemaVersion":1,"results":[{"suite":"memory","name":"x","unit":"GB/s","value":1,"medianMs":1}]}', 'results[0] lacks suite, name, unit, value, medianMs or samplesMs'],
    ['a subnormal value', '{"schemaVersion":1,"results":[{"suite":"memory","name":"x","unit":"GB/s","value":1e-308,"medianMs":1,"samplesMs":[1]}]}', 'results[0].value is 1e-308, not a positive finite number'],
    ['a negative value', '{"schemaVersion":1,"results":[{"suite":"memory","name":"x","unit":"GB/s","value":-5,"medianMs":1,"samplesMs":[1]}]}', 'results[0].value is -5, not a positive finite number'],
    ['a zero median', '{"schemaVersion":1,"results":[{"suite":"memory","name":"x","unit":"GB/s","value":1,"medianMs":0,"samplesMs":[1]}]}', 'results[0].medianMs is 0, not a positive finite number'],
    ['a huge value', '{"schemaVersion":1,"results":[{"suite":"memory","name":"x","unit":"GB/s","value":1e999,"medianMs":1,"samplesMs":[1]}]}', 'results[0].value is Infinity, not a positive finite number'],
  ])('%s', (_what, text, message) => expect(() => parseBaseline(text)).toThrow(message));
});

it('a baseline that is not there is said in words, not as a bare errno code', async () => {
  await expect(readBaseline('missing.json', '/nonexistent-dir')).rejects.toThrow(
    'Cannot read the baseline missing.json: no such file or directory (ENOENT).',
  );
});

describe('the gate, verdict by verdict', () => {
  const run = (results: ComparableResult[], mode: 'gpu' | 'cpu' = 'gpu') => ({ mode, device: null, results });

  it('one regressed kernel fails the gate', () => {
    const one = compareRuns(run([result('triad', 1), result('copy', 1)]), run([result('triad', 1.5), result('copy', 1)]), 10);
    expect(one.regressed).toBe(1);
    expect(gateFails(one)).toBe(true);
  });

  it('the same sizes written in another key order are comparable (a report is JSON; key order is not meaning)', () => {
    const k = compareKernel(result('triad', 1, 0.001, { bytes: 1024, iters: 8 }), result('triad', 1.5, 0.001, { iters: 8, bytes: 1024 }), 10);
    expect(k.verdict).toBe('regressed');
  });

  it('the noise margin is strict too: slower by exactly the margin is noise, not a regression', () => {
    const before = result('triad', 0.5, 0.25);
    const flat = [0.6, 0.6, 0.6];
    const noise = noiseMarginMs(before.samplesMs, flat);
    expect(0.5 + noise - 0.5).toBe(noise); // the delta below is exactly the margin in floating point
    const k = compareKernel(before, { ...before, medianMs: 0.5 + noise, samplesMs: flat }, 10);
    expect(k.deltaPct!).toBeGreaterThan(10);
    expect(k).toMatchObject({ verdict: 'noise', reason: 'slower, but within the noise margin' });
  });

  it('faster beyond the threshold but within the noise is unchanged (noise is only ever "slower")', () => {
    const k = compareKernel(result('triad', 1.2, 0.2), result('triad', 1.0, 0.2), 10);
    expect(k.deltaPct!).toBeLessThan(-10);
    expect(k).toMatchObject({ verdict: 'unchanged', reason: null });
  });

  it('a faster pageable copy is an improvement like any other (only a regression is ungated)', () => {
    expect(compareKernel(result('d2h_pageable', 21.3), result('d2h_pageable', 16), 10)).toMatchObject({ verdict: 'improved', reason: null });
  });

  it('a slower pageable copy still counts as compared: a gate over it alone passes', () => {
    const c = compareRuns(run([result('d2h_pageable', 16)]), run([result('d2h_pageable', 21.3)]), 10);
    expect(c.kernels[0]?.verdict).toBe('ungated');
    expect(c.compared).toBe(1);
    expect(gateFails(c)).toBe(false);
  });

  it('a kernel within the noise is not counted as regressed and does not fail the gate', () => {
    const c = compareRuns(run([result('triad', 1.0, 0.2)]), run([result('triad', 1.2, 0.2)]), 10);
    expect(c.kernels[0]?.verdict).toBe('noise');
    expect(c.regressed).toBe(0);
    expect(gateFails(c)).toBe(false);
  });

  it('another mode is said in a warning', () => {
    expect(compareRuns(run([result('triad', 1)], 'gpu'), run([result('triad', 1)], 'cpu'), 10).warnings).toEqual([
      'The baseline ran in gpu mode and this run in cpu mode: nothing is compared.',
    ]);
  });

  it('a baseline kernel that failed in this run says so; one not run says that', () => {
    const c = compareRuns(run([result('triad', 1), result('copy', 1), result('scale', 1)]), run([result('triad', 1)]), 10, [
      { suite: 'memory', name: 'copy' },
    ]);
    expect(c.kernels.filter((k) => k.verdict === 'only-baseline').map((k) => [k.name, k.reason])).toEqual([
      ['copy', 'failed in this run'],
      ['scale', 'not in this run'],
    ]);
  });
});
