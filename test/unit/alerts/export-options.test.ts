/**
 * `gpuctl alerts export` thresholds that would make a rule that can never fire: the agent exports
 * utilisation and memory share 0-100 and temperatures up to 150 °C (src/agent/sane.ts drops anything
 * above as impossible), so "above 100 %" or "above 150 °C" is refused, and a GPU count is whole.
 */
import { describe, expect, it, test } from 'vitest';
import { exportCommand, parseAlertsExport } from '../../../src/commands/alerts.js';

const parse = (opts: Record<string, unknown>) => parseAlertsExport({ args: [], opts });

describe('alerts export thresholds', () => {
  it.each([
    [{ utilPct: '100' }, /--util-pct 100 can never be exceeded/],
    [{ memoryPct: '100' }, /--memory-pct 100 can never be exceeded/],
    [{ tempWarnC: '150' }, /--temp-warn-c 150 can never be exceeded/],
    [{ maxTempC: '150' }, /--max-temp-c 150 can never be exceeded/],
    [{ expectGpus: '1.5' }, /--expect-gpus "1.5"/],
  ])('%j is refused', (opts, message) => {
    expect(() => parse(opts)).toThrow(message);
  });

  it('--for: up to 12h (in any unit) is kept; longer is refused, since GpuctlAgentDown forgets a machine after 1d and would never fire', () => {
    for (const f of ['12h', '720m', '43200s', '0s']) expect(parse({ for: f }).thresholds.sustained).toBe(f);
    for (const f of ['24h', '13h', '721m', '999999h'])
      expect(() => parse({ for: f })).toThrow(
        `--for ${f} is longer than 12h: GpuctlAgentDown forgets a machine whose agent was last seen over 1d ago`,
      );
  });

  it('a temperature warning above the critical limit is refused (it would fire after the critical alert); equal is kept', () => {
    expect(() => parse({ tempWarnC: '85', maxTempC: '80' })).toThrow(
      '--temp-warn-c 85 is above --max-temp-c 80: the warning would come after the critical alert.',
    );
    expect(() => parse({ maxTempC: '75' })).toThrow('--temp-warn-c 80 is above --max-temp-c 75'); // the default warning, 80
    expect(parse({ tempWarnC: '80', maxTempC: '80' }).thresholds).toMatchObject({ tempWarnC: 80, tempFailC: 80 });
  });

  it('just under the limit is kept, as given', () => {
    const t = parse({ utilPct: '99.5', memoryPct: '99', tempWarnC: '149', maxTempC: '149', expectGpus: '8' }).thresholds;
    expect(t).toMatchObject({ utilPct: 99.5, memoryPct: 99, tempWarnC: 149, tempFailC: 149, expectGpus: 8 });
  });
});

test("--help's promtool example checks the rules of the example before it: the same flags, the file name the tests read", () => {
  const examples = (exportCommand.examples ?? []).map(([command]) => command);
  const rules = examples.findIndex((c) => c.endsWith('> gpuctl-alerts.yml'));
  const tests = examples[rules + 1] ?? '';
  // The old example ran the tests of the default flags against rules printed with --expect-gpus 8 (GpuctlGpuMissing
  // untested), and a training app's rules failed them: promtool compares each rule's exact thresholds.
  expect(tests.replace(' --tests', '').split(' > ')[0]).toBe(examples[rules]!.split(' > ')[0]);
  expect(tests).toContain('promtool test rules gpuctl-alerts.test.yml');
});
