/**
 * The generated alerting rules against the REAL promtool (Debian's prometheus package): `check rules`
 * accepts them and `test rules` runs one firing and one quiet case per rule. The committed files under
 * test/fixtures/alerts are the renderers' output (UPDATE_FIXTURES=1 rewrites them), so a change shows in review.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertRules, DEFAULT_THRESHOLDS, renderAlertRules, type AlertThresholds } from '../../../src/alerts/rules.js';
import { thresholdsFor } from '../../../src/alerts/profiles.js';
import { WORKLOADS } from '../../../src/shared/profiles.js';
import { renderPromtoolTests } from '../../../src/alerts/promtool-tests.js';
import { METRICS_PORT } from '../../../src/init/render.js';
import { findPromtool } from '../../helpers/prometheus-server.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/alerts');
const T = { ...DEFAULT_THRESHOLDS, expectGpus: 2 };
const CPU: AlertThresholds = { ...DEFAULT_THRESHOLDS, layout: 'cpu' };

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
    const check = await execa(findPromtool(), ['check', 'rules', rules], { reject: false, timeout: 30_000 });
    expect(check.exitCode, check.stderr).toBe(0);
    expect(check.stdout).toContain(`SUCCESS: ${alertRules(T).length} rules found`);
    const run = await execa(findPromtool(), ['test', 'rules', tests], { reject: false, timeout: 60_000, cwd: FIXTURES });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('SUCCESS');
  });

  it('fail promtool test rules when a threshold moves (the tests can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-alerts-'));
    // Rules with a higher utilisation threshold against the tests written for 95%: the firing case no longer fires.
    writeFileSync(join(dir, 'gpuctl-alerts.yml'), renderAlertRules({ ...T, utilPct: 99 }));
    writeFileSync(join(dir, 'tests.yml'), renderPromtoolTests(T, 'gpuctl-alerts.yml'));
    const run = await execa(findPromtool(), ['test', 'rules', 'tests.yml'], { reject: false, timeout: 60_000, cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toContain('GpuctlGpuUtilisationHigh');
  });

  it('fail promtool test rules when the error-rate rule counts 4xx, ignores the status label or moves its threshold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-alerts-'));
    writeFileSync(join(dir, 'tests.yml'), renderPromtoolTests(T, 'gpuctl-alerts.yml'));
    const good = renderAlertRules(T);
    const broken = [
      good.replaceAll('=~\\"5..\\"', '=~\\"[45]..\\"'),
      good.replace(' or rate(http_requests_total{status=~\\"5..\\"}[5m])', ''),
      renderAlertRules({ ...T, appErrorPct: 7 }),
    ];
    for (const rules of broken) {
      expect(rules).not.toBe(good);
      writeFileSync(join(dir, 'gpuctl-alerts.yml'), rules);
      const run = await execa(findPromtool(), ['test', 'rules', 'tests.yml'], { reject: false, timeout: 60_000, cwd: dir });
      expect(run.exitCode).toBe(1);
      expect(`${run.stdout}${run.stderr}`).toContain('alertname: GpuctlAppErrorRateHigh');
    }
  }, 60_000);

  // Each workload's thresholds, a `for:` in hours and another request counter: the tests follow the rules.
  // (The memory case once held 95 %, under training's 97 %; `--for 1h` was read as 1 minute.)
  const variants: Array<[string, AlertThresholds]> = [
    ...WORKLOADS.map((w): [string, AlertThresholds] => [w, thresholdsFor(w, { expectGpus: 8 })]),
    ['for 1h', { ...T, sustained: '1h' }],
    // One GPU per machine, the usual Fly machine: the missing-GPU case expected an alert for a machine with its one GPU.
    ['--expect-gpus 1', { ...T, expectGpus: 1 }],
    ['--expect-gpus 64', { ...T, expectGpus: 64 }],
    [
      'a Micrometer counter',
      {
        ...T,
        appErrorPct: 2.5,
        appRequests: { metric: 'http_server_requests_seconds_count', statusLabels: ['status'], job: 'spring' },
      },
    ],
    ['no application rules', { ...T, appRequests: null }],
    ['a CPU layout', { ...DEFAULT_THRESHOLDS, layout: 'cpu' }],
    [
      'a CPU layout with its own counter and job',
      { ...CPU, appRequests: { metric: 'flask_http_request_total', statusLabels: ['status'], job: 'web' } },
    ],
  ];
  it.each(variants)(
    'pass their own promtool tests for %s',
    async (_name, t) => {
      const dir = mkdtempSync(join(tmpdir(), 'gpuctl-alerts-'));
      writeFileSync(join(dir, 'gpuctl-alerts.yml'), renderAlertRules(t));
      writeFileSync(join(dir, 'tests.yml'), renderPromtoolTests(t, 'gpuctl-alerts.yml'));
      const run = await execa(findPromtool(), ['test', 'rules', 'tests.yml'], { reject: false, timeout: 60_000, cwd: dir });
      expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    },
    30_000,
  );

  it('name the machine and GPU (the application rules: the instance) and a gpuctl command in every rule', () => {
    for (const r of alertRules(T)) {
      if (r.alert === 'GpuctlAppRequestsAbsent') expect(r.severity).toBe('info');
      else expect(r.description).toContain(r.alert.startsWith('GpuctlApp') ? '{{ $labels.instance }}' : '{{ $labels.Hostname }}');
      expect(r.runbook).toMatch(/gpuctl (diag|monitor|alerts export)/);
    }
    expect(alertRules({ ...T, expectGpus: null }).map((r) => r.alert)).not.toContain('GpuctlGpuMissing');
    expect(alertRules({ ...T, appRequests: null }).filter((r) => r.alert.startsWith('GpuctlApp'))).toEqual([]);
  });

  it("runbooks that name the agent's port name the one gpuctl init gives it (they said 9400, the agent's bare default)", () => {
    const ports = alertRules(T).flatMap((r) => [...r.runbook.matchAll(/:(\d{4,5})\b/g)].map((m) => Number(m[1])));
    expect(ports.length).toBeGreaterThan(1);
    expect(new Set(ports)).toEqual(new Set([METRICS_PORT]));
  });

  it('for a CPU layout: runbooks point at what works there (no gpuctl diag: GPU only; no monitor --app: it shows DCGM series)', () => {
    for (const r of alertRules(CPU)) {
      expect(r.runbook).not.toMatch(/gpuctl diag|gpuctl monitor/);
      expect(r.runbook).toMatch(/gpuctl (status|alerts export)/);
    }
    expect(alertRules(T).find((r) => r.alert === 'GpuctlAppErrorRateHigh')?.runbook).toContain('gpuctl diag there if they are CUDA errors');
  });

  // A CPU layout (gpuctl init --vm-size, alerts export --cpu): the application's two rules, nothing that reads a GPU or the sampler.
  it("for a CPU layout: only the application's rules, committed, accepted by promtool, firing / quiet / no data", async () => {
    const rules = fixture('gpuctl-alerts-cpu.yml', renderAlertRules(CPU));
    const tests = fixture('gpuctl-alerts-cpu.test.yml', renderPromtoolTests(CPU, 'gpuctl-alerts-cpu.yml'));
    expect(alertRules(CPU).map((r) => r.alert)).toEqual(['GpuctlAppErrorRateHigh', 'GpuctlAppRequestsAbsent']);
    expect(readFileSync(rules, 'utf8')).not.toMatch(/DCGM_|gpuctl_gpu_|gpuctl_diag|sampler/);
    const check = await execa(findPromtool(), ['check', 'rules', rules], { reject: false, timeout: 30_000 });
    expect(check.stdout, check.stderr).toContain('SUCCESS: 2 rules found');
    const run = await execa(findPromtool(), ['test', 'rules', tests], { reject: false, timeout: 60_000, cwd: FIXTURES });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    // The cases the test file holds for the info rule: fires on the agent ("cpu fallback") or on the app job's targets alone
    // (scraped or not answering); quiet with the counter, with no data at all, and when only another job is scraped.
    const text = readFileSync(tests, 'utf8');
    expect(text).toContain(
      'gpuctl_agent_info{instance=\\"10.0.0.1:9400\\", job=\\"gpuctl\\", version=\\"1.0.0\\", mode=\\"cpu fallback\\"}',
    );
    expect(text).toContain('input_series: []');
    expect(text).toContain('up{instance=\\"fdaa::9:8000\\", job=\\"app-other\\"}');
  });

  it('fail promtool test rules when the agent-down rule pages for a stopped machine, or reads only `up` (none on Fly)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-alerts-'));
    writeFileSync(join(dir, 'tests.yml'), renderPromtoolTests(T, 'gpuctl-alerts.yml', 'GpuctlAgentDown'));
    const good = renderAlertRules(T);
    const guard = ' and on (instance) (up == 0 or fly_instance_up == 1)';
    // The rule's own tests alone: they pass on the rule as written, and fail without the condition or with `up` alone.
    for (const [rules, code] of [
      [good, 0],
      [good.replace(guard, ''), 1],
      [good.replace(guard, ' and on (instance) (up == 0)'), 1],
    ] as const) {
      writeFileSync(join(dir, 'gpuctl-alerts.yml'), rules);
      const run = await execa(findPromtool(), ['test', 'rules', 'tests.yml'], { reject: false, timeout: 60_000, cwd: dir });
      expect(run.exitCode, `${run.stdout}${run.stderr}`).toBe(code);
      if (code === 1) expect(`${run.stdout}${run.stderr}`).toContain('alertname: GpuctlAgentDown');
    }
  });

  it("GpuctlDiagFailed says the verdict's age (the real promtool runs its query and humanizeDuration), or that it is unknown", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-alerts-'));
    const tests = renderPromtoolTests(T, 'gpuctl-alerts.yml', 'GpuctlDiagFailed');
    expect(tests).toContain('description: "On machine m-hot GPU 0, the last gpuctl diag (quick) said fail, 3h 2m 0s ago."');
    expect(tests).toContain(
      'description: "On machine m-old GPU 0, the last gpuctl diag (full) said fail (its age unknown: the agent exports no gpuctl_diag_gpu_timestamp_seconds)."',
    );
    writeFileSync(join(dir, 'tests.yml'), tests);
    writeFileSync(join(dir, 'gpuctl-alerts.yml'), renderAlertRules(T));
    // Each alert's query matches its own GPU's one timestamp series: a selector that matched several would make the
    // text depend on which one `first` takes, which promtool's series order does not fix (it varies from run to run).
    const run = await execa(findPromtool(), ['test', 'rules', 'tests.yml'], { reject: false, timeout: 60_000, cwd: dir });
    expect(run.exitCode, `${run.stdout}${run.stderr}`).toBe(0);
  });

  it('fail promtool test rules when the info rule only looks for the agent (the application scraped alone stays unsaid)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-alerts-'));
    writeFileSync(join(dir, 'tests.yml'), renderPromtoolTests(CPU, 'gpuctl-alerts.yml'));
    // The expression before CPU layouts had rules: `absent(…) and on () count(gpuctl_agent_info)`.
    const agentOnly = renderAlertRules(CPU).replace(
      / and on \(\) \(count\(gpuctl_agent_info\) or count\(up\{job=\\"app\\"\}\)\)/,
      ' and on () count(gpuctl_agent_info)',
    );
    expect(agentOnly).not.toBe(renderAlertRules(CPU));
    writeFileSync(join(dir, 'gpuctl-alerts.yml'), agentOnly);
    const run = await execa(findPromtool(), ['test', 'rules', 'tests.yml'], { reject: false, timeout: 60_000, cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toContain('alertname: GpuctlAppRequestsAbsent');
  });
});
