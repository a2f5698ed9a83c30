import { describe, expect, it } from 'vitest';
import { parseAgentFlags } from '../../../src/commands/agent.js';
import { parseRun } from '../../../src/commands/autoscale.js';
import { parseLoadtest } from '../../../src/commands/loadtest.js';
import { parseStatusOptions } from '../../../src/commands/status.js';
import { UsageError } from '../../../src/errors.js';
import { durationOption, numberOption, readNumber } from '../../../src/shared/options.js';

const raw = (opts: Record<string, unknown>, args: string[] = []) => ({ args, opts });

describe('one reader per kind of value (issue 22, options)', () => {
  it('durations: units, or a bare number as seconds', () => {
    expect(['90s', '2m', '1m30s', '5', '500ms'].map((t) => durationOption(raw({ d: t }), 'd', '--d', '1s'))).toEqual([
      90_000, 120_000, 90_000, 5000, 500,
    ]);
    expect(durationOption(raw({}), 'd', '--d', '7s')).toBe(7000);
    expect(() => durationOption(raw({ d: 'soon' }), 'd', '--d', '1s')).toThrow('--d "soon" is not a duration.');
    expect(() => durationOption(raw({ d: '0s' }), 'd', '--d', '1s')).toThrow(UsageError);
    // 0s is a duration; what is wrong is that it is none (it was refused as "not a duration").
    expect(() => durationOption(raw({ d: '0s' }), 'd', '--d', '1s')).toThrow('--d "0s" must be longer than 0.');
    // Digits past what a number holds read as Infinity ms: not a duration (it was returned, a wait of forever).
    expect(() => durationOption(raw({ d: `${'9'.repeat(400)}s` }), 'd', '--d', '1s')).toThrow('is not a duration.');
  });

  it('numbers: bounds, whole numbers, the command’s own message', () => {
    expect(numberOption(raw({ n: '2.5' }), 'n', '--n', { min: 0, max: 10 })).toBe(2.5);
    expect(numberOption(raw({}), 'n', '--n', { min: 0, max: 10 })).toBeUndefined();
    expect(() => numberOption(raw({ n: '11' }), 'n', '--n', { min: 0, max: 10 })).toThrow('--n "11" is not a number from 0 to 10.');
    expect(() => numberOption(raw({ n: '' }), 'n', '--n', { min: 0, max: 10 })).toThrow(UsageError);
    expect(() => numberOption(raw({ n: '0x5' }), 'n', '--n', { min: 0, max: 10 })).toThrow(UsageError);
    expect(() => readNumber('2.5', 'n', { min: 0, max: 10, whole: true, message: (t) => `whole, not ${t}` })).toThrow('whole, not 2.5');
  });

  it('status --interval and autoscale --timeout take durations, and a bare number as seconds', () => {
    expect(parseStatusOptions(raw({ watch: true, interval: '2m' })).intervalMs).toBe(120_000);
    expect(parseStatusOptions(raw({ watch: true, interval: '7' })).intervalMs).toBe(7000);
    expect(parseStatusOptions(raw({ watch: true })).intervalMs).toBe(5000);
    expect(parseStatusOptions(raw({})).intervalMs).toBe(5000);
    expect(() => parseStatusOptions(raw({ watch: true, interval: '500ms' }))).toThrow('between 1 and 3600');
    expect(() => parseStatusOptions(raw({ watch: true, interval: '2h' }))).toThrow('between 1 and 3600');
    // Without --watch, --interval would change nothing: a usage error rather than silence.
    expect(() => parseStatusOptions(raw({ interval: '10s' }))).toThrow('--interval applies to --watch');
    expect(parseRun(raw({ policy: 'p.toml', timeout: '5s' })).timeoutMs).toBe(5000);
    expect(parseRun(raw({ policy: 'p.toml', timeout: '12' })).timeoutMs).toBe(12_000);
    expect(parseRun(raw({ policy: 'p.toml' })).timeoutMs).toBe(10_000);
    expect(() => parseRun(raw({ policy: 'p.toml', timeout: '6m' }))).toThrow('between 0 and 300 seconds');
  });

  it('loadtest reads its durations with the shared reader', () => {
    expect(parseLoadtest(raw({ duration: '1m30s', timeout: '2' }, ['http://127.0.0.1:1/'])).request).toMatchObject({
      durationS: 90,
      timeoutS: 2,
    });
    expect(() => parseLoadtest(raw({ duration: '10s', maxP95: '0ms' }, ['http://127.0.0.1:1/']))).toThrow(
      '--max-p95 "0ms" must be longer than 0.',
    );
  });

  it('the agent parses flags and GPUCTL_AGENT_* in parse: a bad value fails before run', () => {
    expect(parseAgentFlags(raw({ interval: '1s' }), { GPUCTL_AGENT_MAX_TEMP_C: '70' })).toMatchObject({ intervalMs: 1000, maxTempC: 70 });
    expect(() => parseAgentFlags(raw({}), { GPUCTL_AGENT_INTERVAL: 'often' })).toThrow(/GPUCTL_AGENT_INTERVAL "often"/);
  });
});
