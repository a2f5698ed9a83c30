import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineOf, parsePolicy, readPolicy } from '../../../src/autoscale/policy.js';
import { runValidate } from '../../../src/validate/run.js';
import { makeTestCtx } from '../../helpers/ctx.js';
import { DEFAULT_METRIC } from '../../../src/autoscale/policy-schema.js';
import { BASE } from './helpers.js';

const problem = (text: string): string => {
  try {
    parsePolicy(text, 'p.toml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the policy to be refused');
};

describe('a file that is not there is said in words, not as a bare errno code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-missing-'));
  it('autoscale --policy', async () => {
    await expect(readPolicy(dir, 'nope.toml')).rejects.toThrow('Cannot read the policy nope.toml: no such file or directory (ENOENT).');
  });
  it("autoscale --policy's hint names the example by a path that exists, not one of the user's project", async () => {
    const error = (await readPolicy(dir, 'nope.toml').catch((e: unknown) => e)) as { hint: string };
    const example = /start from a copy of (\/\S+\.toml)\.$/.exec(error.hint)?.[1];
    expect(example, error.hint).toBeDefined();
    expect(parsePolicy(readFileSync(example!, 'utf8')).app).toBe('quant-signals');
  });
  it('validate -c (the same reader shape)', async () => {
    const options = { format: 'text' as const, config: 'nope.toml', dockerfile: undefined, workload: undefined };
    await expect(runValidate(options, { ...makeTestCtx(), cwd: dir })).rejects.toThrow(
      'Cannot read fly.toml nope.toml: no such file or directory (ENOENT).',
    );
  });
});

describe('policy file', () => {
  it('the example parses, with its durations in ms and times in minutes', () => {
    const p = parsePolicy(readFileSync(new URL('../../../examples/autoscale.toml', import.meta.url), 'utf8'));
    expect(p).toMatchObject({ app: 'quant-signals', group: 'app', min: 1, max: 6, regions: ['ord', 'iad'], intervalMs: 15_000 });
    expect(p.up).toEqual({ above: 80, forMs: 300_000, step: 1 });
    expect(p.down).toEqual({ below: 30, forMs: 900_000, step: 1 });
    expect(p.emergency).toEqual({ above: 95, samples: 2, add: 2, cooldownMs: 60_000 });
    expect(p.cooldown).toEqual({ upMs: 180_000, downMs: 600_000 });
    expect(p.schedule[0]).toMatchObject({ timeZone: 'America/New_York', start: 570, end: 960, warmupMs: 900_000, min: 3 });
    expect(p.errorRate?.forMs).toBe(120_000);
    expect(p.latency?.above).toBe(0.25);
  });

  it('defaults: GPU utilisation from the agent, group app, no emergency unless asked', () => {
    const p = parsePolicy(BASE);
    expect(p.metric).toBe(DEFAULT_METRIC);
    expect(p.group).toBe('app');
    expect(p.emergency).toBeNull();
    expect(p.schedule).toEqual([]);
  });

  it.each([
    ['min above max', BASE.replace('min = 1', 'min = 7'), /p\.toml:3: min: min \(7\) is above max \(6\)/],
    [
      'a bad duration, with its line',
      BASE.replace('for = "1m"', 'for = "soon"'),
      /p\.toml:9: scale_up\.for: scale_up\.for must be a duration/,
    ],
    ['an unknown key', `${BASE}\n[cooldown]\nupp = "1m"`, /p\.toml:16: cooldown: Unrecognized key: "upp"/],
    ['scaling down faster than up', BASE.replace('for = "2m"', 'for = "30s"'), /scale_down\.for must be at least scale_up\.for/],
    ['thresholds that cross', BASE.replace('below = 30', 'below = 85'), /scale_down\.below \(85\) must be under scale_up\.above \(80\)/],
    [
      'an unknown time zone',
      `${BASE}\n[[schedule]]\ntimezone = "America/Gotham"\nstart = "09:30"\nend = "16:00"\nmin = 2`,
      /p\.toml:\d+: schedule\[0\]\.timezone: an IANA time zone/,
    ],
    [
      'a bad time of day',
      `${BASE}\n[[schedule]]\ntimezone = "UTC"\nstart = "9:30"\nend = "16:00"\nmin = 2`,
      /schedule\[0\]\.start: a time of day is "HH:MM"/,
    ],
    [
      'a window min above max',
      `${BASE}\n[[schedule]]\ntimezone = "UTC"\nstart = "09:30"\nend = "16:00"\nmin = 9`,
      /the window's min \(9\) is above max \(6\)/,
    ],
    ['a missing key', BASE.replace('app = "quant-signals"\n', ''), /p\.toml: app: required, and missing/],
    [
      'an unknown region, with the nearest codes',
      `regions = ["ordd"]\n${BASE}`,
      /p\.toml:1: regions\[0\]: Unknown Fly\.io region "ordd"\. Did you mean ord/,
    ],
    ['bad TOML keeps its line and column', `${BASE}\nmax = [`, /p\.toml:\d+:\d+: not valid TOML/],
    // issue 18: the policy's app reached flyctl and the exported fly.toml's comments unchecked.
    [
      'an app that is not a Fly app name',
      BASE.replace('app = "quant-signals"', 'app = "x\\n[[services]]"'),
      /p\.toml:\d+: app: is not a valid Fly app name/,
    ],
    ['an app that is a flag', BASE.replace('app = "quant-signals"', 'app = "--help"'), /app: is not a valid Fly app name/],
    ['an empty process group', `process_group = ""\n${BASE}`, /process_group: is empty/],
  ])('refuses %s', (_, text, message) => {
    expect(problem(text)).toMatch(message);
  });

  it('lists every problem at once', () => {
    const message = problem(BASE.replace('min = 1', 'min = -1').replace('for = "1m"', 'for = "x"'));
    expect(message).toMatch(/has 2 problems/);
  });

  it('lineOf finds keys inside the n-th array table', () => {
    const text = '[[schedule]]\nmin = 1\n\n[[schedule]]\nmin = 2\n';
    expect(lineOf(text, ['schedule', 1, 'min'])).toBe(5);
    expect(lineOf(text, ['schedule', 0, 'min'])).toBe(2);
  });
});
