/** `gpuctl alerts export` through the built CLI: its rules and its tests pass the REAL promtool; bad flags are usage errors. */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGpuctl } from '../helpers/cli.js';
import { findPromtool } from '../helpers/prometheus-server.js';

describe('gpuctl alerts export', () => {
  it('prints rules and tests that promtool accepts and passes, with the missing-GPU rule for --expect-gpus', async () => {
    const rules = await runGpuctl(['alerts', 'export', '--expect-gpus', '8', '--max-temp-c', '83']);
    expect(rules.exitCode, rules.stderr).toBe(0);
    expect(rules.stdout).toContain('expr: "DCGM_FI_DEV_GPU_TEMP > 83"');
    expect(rules.stdout).toContain('< 8"');
    const tests = await runGpuctl(['alerts', 'export', '--expect-gpus', '8', '--max-temp-c', '83', '--tests']);
    expect(tests.exitCode, tests.stderr).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-alerts-export-'));
    writeFileSync(join(dir, 'gpuctl-alerts.yml'), rules.stdout);
    writeFileSync(join(dir, 'gpuctl-alerts.test.yml'), tests.stdout);
    const check = await execa(findPromtool(), ['check', 'rules', 'gpuctl-alerts.yml'], { cwd: dir, reject: false, timeout: 30_000 });
    expect(check.stdout, check.stderr).toContain('SUCCESS: 16 rules found');
    const run = await execa(findPromtool(), ['test', 'rules', 'gpuctl-alerts.test.yml'], { cwd: dir, reject: false, timeout: 60_000 });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
  });

  it('--for 12h, the longest it takes: promtool accepts the rules and their tests pass (GpuctlAgentDown still fires)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-alerts-export-'));
    for (const [file, extra] of [
      ['gpuctl-alerts.yml', []],
      ['gpuctl-alerts.test.yml', ['--tests']],
    ] as const) {
      const r = await runGpuctl(['alerts', 'export', '--for', '12h', ...extra]);
      expect(r.exitCode, r.stderr).toBe(0);
      writeFileSync(join(dir, file), r.stdout);
    }
    const run = await execa(findPromtool(), ['test', 'rules', 'gpuctl-alerts.test.yml'], { cwd: dir, reject: false, timeout: 90_000 });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    const over = await runGpuctl(['alerts', 'export', '--for', '24h']);
    expect(over.exitCode).toBe(2);
    expect(over.stderr).toContain('--for 24h is longer than 12h: GpuctlAgentDown forgets a machine whose agent was last seen over 1d ago');
  }, 120_000);

  it('takes the application counter from flags, and drops the application rules with --app-requests-metric none', async () => {
    const micrometer = ['alerts', 'export', '--app-requests-metric', 'http_server_requests_seconds_count', '--app-status-labels', 'status'];
    const rules = await runGpuctl([...micrometer, '--app-error-pct', '2']);
    expect(rules.exitCode, rules.stderr).toBe(0);
    expect(rules.stdout).toContain(
      'expr: "100 * (sum by (app, instance, region) (rate(http_server_requests_seconds_count{status=~\\"5..\\"}[5m])) or 0 * ',
    );
    expect(rules.stdout).toContain('[5m])) > 2"');
    expect(rules.stdout).toContain('absent(http_server_requests_seconds_count)');
    const none = await runGpuctl(['alerts', 'export', '--app-requests-metric', 'none']);
    expect(none.exitCode, none.stderr).toBe(0);
    expect(none.stdout).not.toContain('GpuctlApp');
    expect(none.stdout).toContain('GpuctlGpuMemoryHigh');
  });

  it("prints a CPU layout's rules with --cpu: the application's two, which promtool accepts and whose tests pass", async () => {
    const rules = await runGpuctl(['alerts', 'export', '--cpu', '--workload', 'batch', '--app-job', 'web']);
    expect(rules.exitCode, rules.stderr).toBe(0);
    expect(rules.stdout.match(/- alert: \w+/g)).toEqual(['- alert: GpuctlAppErrorRateHigh', '- alert: GpuctlAppRequestsAbsent']);
    expect(rules.stdout).toContain('expr: "absent(http_requests_total) and on () (count(gpuctl_agent_info) or count(up{job=\\"web\\"}))"');
    expect(rules.stdout).not.toMatch(/DCGM_|sampler/);
    const tests = await runGpuctl(['alerts', 'export', '--cpu', '--workload', 'batch', '--app-job', 'web', '--tests']);
    expect(tests.exitCode, tests.stderr).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-alerts-export-'));
    writeFileSync(join(dir, 'gpuctl-alerts.yml'), rules.stdout);
    writeFileSync(join(dir, 'gpuctl-alerts.test.yml'), tests.stdout);
    const check = await execa(findPromtool(), ['check', 'rules', 'gpuctl-alerts.yml'], { cwd: dir, reject: false, timeout: 30_000 });
    expect(check.stdout, check.stderr).toContain('SUCCESS: 2 rules found');
    const run = await execa(findPromtool(), ['test', 'rules', 'gpuctl-alerts.test.yml'], { cwd: dir, reject: false, timeout: 60_000 });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
  });

  it.each([
    [['--cpu', '--expect-gpus', '1'], '--expect-gpus sets a GPU rule, and --cpu prints no GPU rules.'],
    [['--cpu', '--memory-pct', '80'], '--memory-pct sets a GPU rule, and --cpu prints no GPU rules.'],
    [['--cpu', '--grafana'], "--grafana prints the dashboard for the agent's GPU series, and a CPU layout has none."],
    [['--cpu', '--app-requests-metric', 'none'], '--app-requests-metric none drops them: nothing is left.'],
    [['--app-job', 'my app'], '--app-job "my app" is not a scrape job name gpuctl can put in a rule.'],
    [
      ['--app-requests-metric', 'none', '--app-job', 'app'],
      '--app-job describes a request counter, and --app-requests-metric none has none.',
    ],
    [['--util-pct', '150'], '--util-pct "150" is not a number from 0 to 100.'],
    [['--expect-gpus', 'eight'], '--expect-gpus "eight" is not a number from 1 to 64.'],
    [['--for', '5 minutes'], '--for "5 minutes" is not one number with s, m or h.'],
    // A duration Prometheus reads, but not one the rules' tests are computed from: said so, not "not a Prometheus duration".
    [['--for', '2m30s'], '--for "2m30s" is not one number with s, m or h.'],
    [['--workload', 'gaming'], '--workload "gaming" is not a workload profile.'],
    [['--tests', '--grafana'], '--tests and --grafana print different files: choose one.'],
    [['--app-error-pct', '100'], '--app-error-pct "100" is not a number from 0 to 99.'],
    [['--app-requests-metric', 'http-requests'], '--app-requests-metric "http-requests" is not a Prometheus metric name.'],
    [['--app-requests-metric', 'x{code="500"}'], '--app-requests-metric "x{code="500"}" is not a Prometheus metric name.'],
    [['--app-status-labels', 'code,"status"'], '--app-status-labels: ""status"" is not a Prometheus label name.'],
    [['--app-requests-metric', 'none', '--app-status-labels', 'code'], '--app-requests-metric none has none.'],
  ])('refuses %j with exit 2 and says why', async (flags, message) => {
    const r = await runGpuctl(['alerts', 'export', ...flags]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });
});
