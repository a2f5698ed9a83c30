/**
 * The generated alerting rules against the REAL promtool (Debian's prometheus package): `check rules`
 * accepts them and `test rules` runs one firing and one quiet case per rule. The committed files under
 * test/fixtures/alerts are the renderers' output (UPDATE_FIXTURES=1 rewrites them), so a change shows in review.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertRules, DEFAULT_THRESHOLDS, renderAlertRules } from '../../../src/alerts/rules.js';
import { renderPromtoolTests } from '../../../src/alerts/promtool-tests.js';
import { onPath } from '../../helpers/cli.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/alerts');
const T = { ...DEFAULT_THRESHOLDS, expectGpus: 2 };

function promtool(): string {
  const found = onPath(
    'promtool',
    `${process.env.PROMTOOL_BIN ? `${dirname(process.env.PROMTOOL_BIN)}:` : ''}${process.env.PATH ?? ''}:/usr/bin`,
  );
  if (!found) throw new Error('This test needs the real promtool, which is not installed: run `apt-get install -y prometheus` (Debian).');
  return found;
}

function fixture(name: string, text: string): string {
  const file = join(FIXTURES, name);
  if (process.env.UPDATE_FIXTURES === '1') writeFileSync(file, text);
  expect(readFileSync(file, 'utf8'), `${name} is stale: UPDATE_FIXTURES=1 npx vitest run ${import.meta.filename}`).toBe(text);
  return file;
}

describe('alerting rules', () => {
  it('match the committed fixtures, pass promtool check rules and every rule its promtool unit test', async () => {
    const rules = fixture('gpuctl-alerts.yml', renderAlertRules(T));
    const tests = fixture('gpuctl-alerts.test.yml', renderPromtoolTests(T, 'gpuctl-alerts.yml'));
    const check = await execa(promtool(), ['check', 'rules', rules], { reject: false, timeout: 30_000 });
    expect(check.exitCode, check.stderr).toBe(0);
    expect(check.stdout).toContain(`SUCCESS: ${alertRules(T).length} rules found`);
    const run = await execa(promtool(), ['test', 'rules', tests], { reject: false, timeout: 60_000, cwd: FIXTURES });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('SUCCESS');
  });

  it('fail promtool test rules when a threshold moves (the tests can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-alerts-'));
    // Rules with a higher utilisation threshold against the tests written for 95%: the firing case no longer fires.
    writeFileSync(join(dir, 'gpuctl-alerts.yml'), renderAlertRules({ ...T, utilPct: 99 }));
    writeFileSync(join(dir, 'tests.yml'), renderPromtoolTests(T, 'gpuctl-alerts.yml'));
    const run = await execa(promtool(), ['test', 'rules', 'tests.yml'], { reject: false, timeout: 60_000, cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toContain('GpuctlGpuUtilisationHigh');
  });

  it('name the machine and GPU and a gpuctl command in every rule', () => {
    for (const r of alertRules(T)) {
      expect(r.description).toContain('{{ $labels.Hostname }}');
      expect(r.runbook).toMatch(/gpuctl (diag|monitor)/);
    }
    expect(alertRules({ ...T, expectGpus: null }).map((r) => r.alert)).not.toContain('GpuctlGpuMissing');
  });
});
