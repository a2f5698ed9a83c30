import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRun } from '../../../src/commands/autoscale.js';
import { expandQuery, readSignal, signalQueries, windowQuery, type MatrixAnswer } from '../../../src/autoscale/read.js';
import { loadState, record, saveState, statePath } from '../../../src/autoscale/state.js';
import { policy } from './helpers.js';

const AT = new Date('2026-11-24T17:00:00Z');
const source = (answer: MatrixAnswer) => () => Promise.resolve(answer);

describe('reading signals', () => {
  it('queries every window as one range subquery, with $APP_NAME substituted', () => {
    const p = policy('[emergency]\n[error_rate]\nquery = \'sum(rate(errors{app="${APP_NAME}"}[1m]))\'\nabove = 1\nfor = "30s"');
    expect(expandQuery('up{app="$APP_NAME"} + x{a="${APP_NAME}"} + $APP_NAMES', 'q')).toBe('up{app="q"} + x{a="q"} + $APP_NAMES');
    expect(windowQuery('avg(x)', 135_000, 15_000)).toBe('(avg(x))[135s:15s]');
    expect(signalQueries(p)).toEqual([
      // the longest window (scale_down.for = 2m) plus one step
      { name: 'utilization', query: '(avg(DCGM_FI_DEV_GPU_UTIL{app="quant-signals"}))[135s:15s]' },
      { name: 'errorRate', query: '(sum(rate(errors{app="quant-signals"}[1m])))[45s:15s]' },
    ]);
  });

  it('turns a matrix into samples with their age; anything else is a missing read with its reason', async () => {
    const t = AT.getTime() / 1000;
    expect(
      await readSignal(
        source({
          kind: 'matrix',
          series: [
            [
              [t - 15, '80'],
              [t, '90.5'],
            ],
          ],
        }),
        'q',
        AT,
      ),
    ).toEqual({
      kind: 'ok',
      points: [
        { ageMs: 15_000, value: 80 },
        { ageMs: 0, value: 90.5 },
      ],
    });
    expect(await readSignal(source({ kind: 'matrix', series: [] }), 'q', AT)).toEqual({
      kind: 'missing',
      reason: 'the query returned no series',
    });
    // A GPU series that is absent says why it may never come: Fly.io's machines have no GPU since 2026-08-01.
    const gpu = await readSignal(source({ kind: 'matrix', series: [] }), 'avg(DCGM_FI_DEV_GPU_UTIL{app="a"})[60s:15s]', AT);
    expect(gpu).toMatchObject({
      kind: 'missing',
      reason: expect.stringContaining(
        'the query returned no series: DCGM_FI_* series come from gpuctl agent on a machine with a GPU, and Fly.io retired GPU Machines on 2026-08-01',
      ) as string,
    });
    expect(await readSignal(source({ kind: 'matrix', series: [[], []] }), 'q', AT)).toMatchObject({
      kind: 'missing',
      reason: expect.stringMatching(/2 series: aggregate/) as string,
    });
    expect(await readSignal(source({ kind: 'other', resultType: 'vector' }), 'q', AT)).toMatchObject({
      kind: 'missing',
      reason: expect.stringMatching(/got a vector/) as string,
    });
    expect(await readSignal(source({ kind: 'failed', reason: 'cannot reach Prometheus' }), 'q', AT)).toEqual({
      kind: 'missing',
      reason: 'cannot reach Prometheus',
      failed: true, // unlike no data from a healthy Prometheus (above): autoscale plan exits 1 on it
    });
    const nan = await readSignal(source({ kind: 'matrix', series: [[[t, 'NaN']]] }), 'q', AT);
    expect(nan.kind === 'ok' && Number.isNaN(nan.points[0]!.value)).toBe(true);
  });
});

describe('state file', () => {
  it('round-trips the last actions, atomically, under XDG_STATE_HOME', async () => {
    const base = mkdtempSync(join(tmpdir(), 'gpuctl-state-'));
    const path = statePath({ XDG_STATE_HOME: base }, 'quant-signals', 'app');
    expect(path).toBe(join(base, 'gpuctl', 'autoscale', 'quant-signals.app.json'));
    expect(await loadState(path, AT)).toEqual({ kind: 'none' });
    const last = record({}, 'emergency', 'up', AT);
    expect(last).toEqual({ up: AT.getTime(), emergency: AT.getTime() });
    await saveState(path, { version: 1, app: 'quant-signals', group: 'app', last });
    expect(await loadState(path, AT)).toEqual({ kind: 'ok', last });
    expect(readdirSync(join(base, 'gpuctl', 'autoscale'))).toEqual(['quant-signals.app.json']); // no temp file left
    expect(record(last, 'scale-down', 'down', new Date(AT.getTime() + 1000))).toEqual({ ...last, down: AT.getTime() + 1000 });
    expect(record(last, 'steady', 'hold', AT)).toBe(last);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ version: 1, app: 'quant-signals' });
  });

  it('an unreadable state counts as "acted just now": cooldowns hold, nothing bursts', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gpuctl-state-')), 's.json');
    writeFileSync(path, '{"version": 1, "last": {"up": "yesterday"}}');
    expect(await loadState(path, AT)).toMatchObject({
      kind: 'unreadable',
      reason: 'last.up is not a time',
      last: { up: AT.getTime(), down: AT.getTime() },
    });
    writeFileSync(path, 'garbage');
    expect(await loadState(path, AT)).toMatchObject({ kind: 'unreadable' });
  });

  it('HOME/.local/state without XDG_STATE_HOME; odd names are made safe', () => {
    expect(statePath({ HOME: '/h' }, 'a/b', 'app')).toBe('/h/.local/state/gpuctl/autoscale/a_b.app.json');
  });
});

describe('options and the clock', () => {
  const raw = (opts: Record<string, unknown>) => ({ args: [], opts: { policy: 'p.toml', ...opts } });
  it('parses run options and refuses bad ones', () => {
    expect(parseRun(raw({ once: true, iterations: '3', interval: '30s', timeout: '5' }))).toMatchObject({
      once: true,
      iterations: 3,
      intervalMs: 30_000,
      timeoutMs: 5000,
    });
    expect(() => parseRun({ args: [], opts: {} })).toThrow(/--policy is required/);
    expect(() => parseRun(raw({ iterations: '0' }))).toThrow(/--iterations/);
    expect(() => parseRun(raw({ interval: '10ms' }))).toThrow(/at least 1s/);
    expect(() => parseRun(raw({ timeout: 'x' }))).toThrow(/--timeout/);
  });
});
