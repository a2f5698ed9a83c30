/**
 * `gpuctl init` writes prometheus/gpuctl-alerts.yml (and gpuctl-dashboard.json) for a GPU layout: the workload profile's thresholds,
 * the same text `gpuctl alerts export --workload W --expect-gpus 1` prints, accepted by the REAL promtool;
 * a hand-edited copy is a conflict that is kept unless --force; a CPU layout gets the application's rules only (no dashboard).
 */
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InitJson } from '../../src/init/result.js';
import { runGpuctl } from '../helpers/cli.js';
import { findPromtool } from '../helpers/prometheus-server.js';

const RULES = 'prometheus/gpuctl-alerts.yml';
const fresh = () => mkdtempSync(join(tmpdir(), 'gpuctl-e2e-init-alerts-'));

describe('gpuctl init: alerting rules', () => {
  it.each([
    ['inference', 16, 'expr: "100 * DCGM_FI_DEV_FB_USED / DCGM_FI_DEV_FB_TOTAL > 90"'],
    ['training', 15, 'expr: "100 * DCGM_FI_DEV_FB_USED / DCGM_FI_DEV_FB_TOTAL > 97"'],
  ])(
    'a GPU layout for %s gets the profile thresholds, as alerts export prints them, and promtool accepts them',
    async (workload, count, memory) => {
      const cwd = fresh();
      const init = await runGpuctl(['init', '--yes', '--gpu-kind', 'l40s', '--workload', workload], { cwd });
      expect(init.exitCode, init.stderr).toBe(0);
      expect(init.stdout).toMatch(/create\s+prometheus\/gpuctl-alerts\.yml/);
      const text = readFileSync(join(cwd, RULES), 'utf8');
      const exported = await runGpuctl(['alerts', 'export', '--workload', workload, '--expect-gpus', '1']);
      expect(text.trimEnd()).toBe(exported.stdout.trimEnd());
      expect(text).toContain(memory);
      // Only inference pages on a busy GPU; a training job is meant to keep it at 100 %.
      expect(text.includes('GpuctlGpuUtilisationHigh')).toBe(workload === 'inference');
      expect(text).toContain('alert: GpuctlGpuMissing');
      // The application's error rate, from its own request counter (docs/alerts.md), at 5 % for every profile.
      expect(text).toMatch(
        /alert: GpuctlAppErrorRateHigh\n {8}expr: "100 \* \(sum by \(app, instance, region\) \(rate\(http_requests_total\{code=~.*\) > 5"/,
      );
      expect(text).toContain('alert: GpuctlAppRequestsAbsent');
      // The dashboard beside them: the same JSON as alerts export --grafana (test/e2e/dashboard.test.ts runs its queries).
      const dashboard = await runGpuctl(['alerts', 'export', '--grafana', '--workload', workload, '--expect-gpus', '1']);
      expect(readFileSync(join(cwd, 'prometheus/gpuctl-dashboard.json'), 'utf8').trimEnd()).toBe(dashboard.stdout.trimEnd());
      const check = await execa(findPromtool(), ['check', 'rules', RULES], { cwd, reject: false, timeout: 30_000 });
      expect(check.stdout, check.stderr).toContain(`SUCCESS: ${count} rules found`);
      const again = JSON.parse((await runGpuctl(['init', '--yes', '--json'], { cwd })).stdout) as InitJson;
      expect(again.files.filter((f) => f.path.startsWith('prometheus/')).map((f) => [f.path, f.status])).toEqual([
        [RULES, 'identical'],
        ['prometheus/gpuctl-dashboard.json', 'identical'],
      ]);
    },
  );

  it('keeps a hand-edited rules file (conflict, exit 1, nothing written) until --force', async () => {
    const cwd = fresh();
    expect((await runGpuctl(['init', '--yes', '--gpu-kind', 'a10', '--workload', 'batch'], { cwd })).exitCode).toBe(0);
    const edited = readFileSync(join(cwd, RULES), 'utf8').replace('DCGM_FI_DEV_GPU_TEMP > 80', 'DCGM_FI_DEV_GPU_TEMP > 78');
    writeFileSync(join(cwd, RULES), edited);
    const refused = await runGpuctl(['init', '--yes', '--json'], { cwd });
    expect(refused.exitCode).toBe(1);
    const json = JSON.parse(refused.stdout) as InitJson;
    expect(json.files.find((f) => f.path === RULES)).toMatchObject({ status: 'conflict', written: false });
    expect(json.files.find((f) => f.path === RULES)?.diff).toContain('-        expr: "DCGM_FI_DEV_GPU_TEMP > 78"');
    expect(readFileSync(join(cwd, RULES), 'utf8')).toBe(edited);
    const forced = await runGpuctl(['init', '--yes', '--force'], { cwd });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/overwrite\s+prometheus\/gpuctl-alerts\.yml/);
    expect(readFileSync(join(cwd, RULES), 'utf8')).toContain('DCGM_FI_DEV_GPU_TEMP > 80');
  });

  it("gives a CPU layout the application's rules only, as alerts export --cpu prints them, and no dashboard", async () => {
    const cwd = fresh();
    const init = await runGpuctl(['init', '--yes', '--workload', 'inference'], { cwd });
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/create\s+prometheus\/gpuctl-alerts\.yml/);
    expect(readdirSync(join(cwd, 'prometheus'))).toEqual(['gpuctl-alerts.yml']);
    const text = readFileSync(join(cwd, RULES), 'utf8');
    const exported = await runGpuctl(['alerts', 'export', '--cpu']);
    expect(text.trimEnd()).toBe(exported.stdout.trimEnd());
    // Its agent runs in "cpu fallback": no GPU series, and a sampler rule would fire forever.
    expect(text.match(/- alert: \w+/g)).toEqual(['- alert: GpuctlAppErrorRateHigh', '- alert: GpuctlAppRequestsAbsent']);
    expect(text).toContain('expr: "absent(http_requests_total) and on () (count(gpuctl_agent_info) or count(up{job=\\"app\\"}))"');
    const check = await execa(findPromtool(), ['check', 'rules', RULES], { cwd, reject: false, timeout: 30_000 });
    expect(check.stdout, check.stderr).toContain('SUCCESS: 2 rules found');
    const again = JSON.parse((await runGpuctl(['init', '--yes', '--json', '--workload', 'batch'], { cwd })).stdout) as InitJson;
    // The same two rules for every profile (the workload sets only GPU thresholds).
    expect(again.files.find((f) => f.path === RULES)?.status).toBe('identical');
  });
});
