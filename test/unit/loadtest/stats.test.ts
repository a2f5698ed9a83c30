/** The statistics and the gate of a load run, as tables: percentiles against exact nearest-rank, gates both ways. */
import { describe, expect, test } from 'vitest';
import { evaluateGate, ms } from '../../../src/loadtest/gate.js';
import { Histogram } from '../../../src/loadtest/histogram.js';
import { renderText, type LoadtestJson } from '../../../src/loadtest/render.js';
import { MAX_REASONS, Recorder, type LoadSummary } from '../../../src/loadtest/stats.js';
import { createStyle } from '../../../src/ui/style.js';
import { checkLoopback, isLoopback, parseTarget } from '../../../src/loadtest/target.js';

/** Exact nearest-rank percentile of a list. */
function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((q / 100) * sorted.length)) - 1]!;
}

/** A fixed pseudo-random sequence (no Math.random: the same numbers every run). */
function lcg(n: number, seed: number, scale: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * scale);
}

describe('Histogram percentiles agree with exact nearest-rank within 0.2% (never below it)', () => {
  test.each([
    ['uniform 0-5 ms', lcg(5000, 7, 5)],
    ['uniform 0-2000 ms', lcg(20000, 11, 2000)],
    ['sub-millisecond', lcg(3000, 3, 0.9)],
    ['long tail', [...lcg(9900, 5, 10), ...lcg(100, 9, 5000)]],
    ['one value', [42]],
  ])('%s', (_, values) => {
    const h = new Histogram();
    for (const v of values) h.record(v);
    for (const q of [50, 90, 95, 99, 99.9]) {
      const want = exact(values, q);
      const got = h.percentile(q)!;
      expect(got, `p${q}`).toBeGreaterThanOrEqual(want - 0.001);
      expect(got, `p${q}`).toBeLessThanOrEqual(want * 1.002 + 0.001);
    }
    expect(h.maxMs()).toBeCloseTo(Math.max(...values), 6);
  });

  test('empty: no percentiles', () => {
    expect(new Histogram().percentile(95)).toBeNull();
  });

  test("a bucket's upper edge, exact below 1024 µs and two wide above; never above the largest value; no negative or NaN", () => {
    const h = new Histogram();
    for (const ms of [0.0055, 1.0245, 1.0255, 5, -1, NaN]) h.record(ms);
    expect(h.count).toBe(4);
    expect([25, 50, 75, 100].map((q) => h.percentile(q))).toEqual([0.006, 1.026, 1.026, 5]);
    expect(h.meanMs()).toBeCloseTo((0.0055 + 1.0245 + 1.0255 + 5) / 4, 9);
    const top = new Histogram();
    top.record(1.0255);
    expect(top.percentile(50)).toBe(1.0255);
  });
});

describe('Recorder', () => {
  test('latency over 2xx only; non-2xx, errors and timeouts counted apart; rps over the measured time', () => {
    const r = new Recorder();
    for (let i = 1; i <= 100; i += 1) r.response(200, i);
    r.response(503, 0.1);
    r.response(404, 0.1);
    r.error(false);
    r.error(true);
    const s = r.summary(2);
    expect(s).toMatchObject({
      responses: 102,
      ok2xx: 100,
      non2xx: 2,
      errors: 2,
      timeouts: 1,
      rps: 51,
      statusCodes: { '200': 100, '404': 1, '503': 1 },
    });
    // Within the histogram's 0.2%, never below the exact value.
    for (const [got, want] of [
      [s.latencyMs?.p50, 50],
      [s.latencyMs?.p95, 95],
      [s.latencyMs?.p999, 100],
    ] as const) {
      expect(got).toBeGreaterThanOrEqual(want);
      expect(got).toBeLessThanOrEqual(want * 1.002);
    }
  });
});

describe('Recorder edges', () => {
  test('3xx is not 2xx; no 2xx: no latency; a run of no time: rps 0', () => {
    const r = new Recorder();
    r.response(300, 1);
    r.response(199, 1);
    expect(r.summary(0)).toMatchObject({ responses: 2, ok2xx: 0, non2xx: 2, rps: 0, latencyMs: null });
  });

  test('a reason is cut at 120 characters; a known reason is still counted once the list is full', () => {
    const r = new Recorder();
    r.error(false, 'x'.repeat(200));
    for (let i = 1; i < MAX_REASONS; i += 1) r.error(false, `reason ${i}`);
    r.error(false, 'x'.repeat(130));
    r.error(false, 'one too many');
    expect(r.summary(1).errorReasons).toMatchObject({ ['x'.repeat(120)]: 2 });
    expect(Object.keys(r.summary(1).errorReasons)).not.toContain('one too many');
  });
});

describe('why requests failed', () => {
  test('each error reason is counted; only the first few distinct ones are kept', () => {
    const r = new Recorder();
    for (let i = 0; i < 3; i += 1) r.error(false, 'ECONNREFUSED');
    r.error(true, 'request timed out');
    for (let i = 0; i < MAX_REASONS + 3; i += 1) r.error(false, `reason ${i}`);
    const s = r.summary(1);
    expect(s.errors).toBe(4 + MAX_REASONS + 3);
    expect(Object.keys(s.errorReasons)).toHaveLength(MAX_REASONS);
    expect(s.errorReasons).toMatchObject({ ECONNREFUSED: 3, 'request timed out': 1 });
  });

  const run = (over: Partial<LoadSummary>, checks: LoadtestJson['gate']['checks']): LoadtestJson => ({
    schemaVersion: 1,
    url: 'http://127.0.0.1:18933/',
    mode: { rate: null, connections: 10, durationS: 1, method: 'GET' },
    interrupted: false,
    summary: summary(over),
    gate: { passed: false, checks },
    exitCode: 1,
  });
  const noResponse = { name: '2xx responses', limit: '≥ 1', actual: '0', passed: false } as const;

  test('a run where nothing answered says so, and why, instead of "the gate was missed" (no gate was given)', () => {
    const text = renderText(
      run({ responses: 0, ok2xx: 0, rps: 0, latencyMs: null, statusCodes: {}, errors: 5310, errorReasons: { ECONNREFUSED: 5310 } }, [
        noResponse,
      ]),
      createStyle(false),
    );
    expect(text).toContain('errors by reason: ECONNREFUSED: 5310\n');
    expect(text).toContain('Failed: not a single 2xx response (no request got a response). Check that the service is up');
    expect(text).not.toContain('the gate was missed');
  });

  test('only non-2xx answers: said apart from no answer; a missed gate with 2xx responses keeps its verdict', () => {
    const non2xx = run({ ok2xx: 0, non2xx: 1000, latencyMs: null, statusCodes: { '404': 1000 } }, [noResponse]);
    expect(renderText(non2xx, createStyle(false))).toContain('Failed: not a single 2xx response (every response was non-2xx).');
    const slow = run({}, [{ name: 'p95', limit: '≤ 5.00 ms', actual: '8.00 ms', passed: false }]);
    const text = renderText(slow, createStyle(false));
    expect(text).toContain('Failed: the gate was missed.');
    expect(text).not.toContain('errors by reason');
  });
});

const summary = (over: Partial<LoadSummary>): LoadSummary => ({
  responses: 1000,
  ok2xx: 1000,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  errorReasons: {},
  statusCodes: { '200': 1000 },
  durationS: 10,
  rps: 100,
  latencyMs: { p50: 3, p90: 6, p95: 8, p99: 12, p999: 20, mean: 4, max: 25 },
  ...over,
});

describe('evaluateGate', () => {
  test.each([
    ['no gate, a healthy run', {}, summary({}), true, []],
    ['p95 under the limit', { maxP95Ms: 10 }, summary({}), true, ['p95:true']],
    ['p95 exactly at the limit passes', { maxP95Ms: 8 }, summary({}), true, ['p95:true']],
    ['p95 over the limit', { maxP95Ms: 5 }, summary({}), false, ['p95:false']],
    ['rps under the floor', { minRps: 150 }, summary({}), false, ['rps:false']],
    ['both met', { maxP95Ms: 10, minRps: 100 }, summary({}), true, ['p95:true', 'rps:true']],
    [
      // 100 responses a second, 90 of them 503: the service answers, but only 10 a second are served.
      '--min-rps counts 2xx responses, not fast errors',
      { minRps: 95 },
      summary({ ok2xx: 100, non2xx: 900, statusCodes: { '200': 100, '503': 900 } }),
      false,
      ['rps:false'],
    ],
    [
      'a latency gate with no 2xx response',
      { maxP95Ms: 10 },
      summary({ ok2xx: 0, non2xx: 1000, latencyMs: null }),
      false,
      ['2xx responses:false', 'p95:false'],
    ],
    [
      'no 2xx at all fails without a gate',
      {},
      summary({ responses: 0, ok2xx: 0, rps: 0, latencyMs: null }),
      false,
      ['2xx responses:false'],
    ],
  ])('%s', (_, gate, s, passed, checks) => {
    const verdict = evaluateGate(s, gate);
    expect(verdict.passed).toBe(passed);
    expect(verdict.checks.map((c) => `${c.name}:${c.passed}`)).toEqual(checks);
  });
});

describe('gate figures', () => {
  test('milliseconds: two decimals under 10, one under 100, none from 100', () => {
    expect([9.999, 10, 99.94, 100, 1234.5].map(ms)).toEqual(['10.00 ms', '10.0 ms', '99.9 ms', '100 ms', '1235 ms']);
  });

  test('--min-rps says the 2xx rate, and the whole rate beside it when one response was not 2xx', () => {
    const one = evaluateGate(summary({ ok2xx: 999, non2xx: 1, rps: 100 }), { minRps: 50 });
    expect(one.checks[0]).toEqual({ name: 'rps', limit: '≥ 50', actual: '99.9 2xx/s (100.0 with non-2xx)', passed: true });
    expect(evaluateGate(summary({}), { minRps: 50 }).checks[0]!.actual).toBe('100.0');
  });
});

describe('targets', () => {
  test.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['[::1]', true],
    ['10.0.0.1', false],
    ['quant-signals.fly.dev', false],
    ['127.0.0.1.nip.io', false],
  ])('%s loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });

  test('GPUCTL_LOADTEST_LOOPBACK_ONLY=1 refuses anything else (exit 2); unset, it allows it', () => {
    const env = { GPUCTL_LOADTEST_LOOPBACK_ONLY: '1' };
    expect(() => checkLoopback(parseTarget('https://quant-signals.fly.dev/'), env)).toThrow(/not a loopback address/);
    expect(() => checkLoopback(parseTarget('http://127.0.0.1:8080/'), env)).not.toThrow();
    expect(() => checkLoopback(parseTarget('https://quant-signals.fly.dev/'), {})).not.toThrow();
    expect(() => parseTarget('ftp://x')).toThrow(/must be an http\(s\) URL/);
  });
});
