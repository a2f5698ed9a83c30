/**
 * The rough edges a first try found (issue 19 item 10), each as a user meets it from the built CLI: the hint after
 * `init --dir`, a load run with the URL forgotten, `autoscale plan` against a Prometheus that is down (exit 1) or
 * healthy with no data (a decision, exit 0), and `monitor --once` when the process list cannot be read.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedFlyState } from '../fakes/flyctl/seed.mjs';
import { runGpuctl } from '../helpers/cli.js';
import { startPrometheus, type PromServer } from '../helpers/prometheus-server.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'gpuctl-e2e-edges-'));

test('after init --dir, the Next: hint names the fly.toml, and the hinted command works from the same directory', async () => {
  const cwd = fresh();
  const init = await runGpuctl(['init', '--yes', '--dir', 'gpu-layout'], { cwd });
  expect(init.exitCode, init.stderr).toBe(0);
  expect(init.stdout).toContain(
    'then gpuctl validate -c gpu-layout/fly.toml, then gpuctl smoke --dir gpu-layout, then gpuctl deploy -c gpu-layout/fly.toml.',
  );
  writeFileSync(join(cwd, 'gpu-layout', 'requirements.txt'), '');
  writeFileSync(join(cwd, 'gpu-layout', 'app.py'), 'print("serving")\n');
  const validate = await runGpuctl(['validate', '-c', 'gpu-layout/fly.toml'], { cwd });
  expect(validate.exitCode, validate.stdout + validate.stderr).toBe(0);
  // smoke reads the layout there (then finds no engine on the test's PATH: exit 3, not "fly.toml not found").
  const smoke = await runGpuctl(['smoke', '--dir', 'gpu-layout'], { cwd });
  expect(smoke.exitCode, smoke.stderr).toBe(3);
  expect(smoke.stderr).toContain('No working container engine');
  // In the directory itself, the hint stays the plain command.
  const here = await runGpuctl(['init', '--yes'], { cwd: join(cwd, 'gpu-layout') });
  expect(here.stdout).toContain('Next: gpuctl validate, then gpuctl smoke, then gpuctl deploy.');
});

test('loadtest -d 1s with the URL forgotten says a URL is missing, not only "Which app?"', async () => {
  const run = await runGpuctl(['loadtest', '-d', '1s'], { cwd: fresh() });
  expect(run.exitCode).toBe(2);
  expect(run.stderr).toContain('Error: No URL to load: none was given, and no app to load either.');
  expect(run.stderr).toContain('Hint: Pass the URL (gpuctl loadtest https://my-app.fly.dev/health -d 1s), or -a <app> with --path.');
});

describe('autoscale plan and the state of Prometheus', () => {
  let prom: PromServer;
  // A healthy Prometheus that scrapes nothing useful (its one target is a closed port): every query answers, with no data.
  beforeAll(async () => {
    prom = await startPrometheus([{ address: '127.0.0.1:9', labels: { app: 'other' } }]);
  }, 30_000);
  afterAll(async () => {
    await prom?.stop();
  });

  const plan = (url: string) => {
    const fly = seedFlyState({ apps: [{ name: 'edges', machines: [{ region: 'ord', size: 'performance-2x' }] }] });
    const cwd = fresh();
    writeFileSync(
      join(cwd, 'autoscale.toml'),
      'app = "edges"\nmin = 1\nmax = 3\ninterval = "1s"\n\n[scale_up]\nabove = 80\nfor = "3s"\n\n[scale_down]\nbelow = 30\nfor = "5s"\n',
    );
    return runGpuctl(['autoscale', 'plan', '-p', 'autoscale.toml', '--prometheus', url, '--timeout', '2', '--json'], {
      tools: ['flyctl'],
      cwd,
      env: { ...fly.env, FLY_API_TOKEN: 'test-token-abcdef', XDG_STATE_HOME: fresh() },
    });
  };

  test('an unreachable Prometheus is exit 1 (a CI check with a wrong URL fails), with the decision and the problem', async () => {
    const run = await plan('http://127.0.0.1:9/');
    expect(run.exitCode, run.stderr).toBe(1);
    const record = JSON.parse(run.stdout) as { rule: string; problems: string[] };
    expect(record.rule).toBe('no-data');
    expect(record.problems).toEqual([expect.stringContaining('Prometheus: cannot reach Prometheus at http://127.0.0.1:9/')]);
  }, 30_000);

  test('"no data" from a healthy Prometheus stays a decision (exit 0)', async () => {
    const run = await plan(prom.url);
    expect(run.exitCode, run.stderr).toBe(0);
    const record = JSON.parse(run.stdout) as { rule: string; reason: string; problems: string[] };
    expect(record).toMatchObject({ rule: 'no-data', reason: expect.stringContaining('the query returned no series') as string });
    expect(record.problems).toEqual([]);
  }, 30_000);
});

test('monitor --once shows the GPUs and says the processes could not be read, instead of failing', async () => {
  const dir = fresh();
  mkdirSync(dir, { recursive: true });
  // A process line without a pid: nvidia-smi writes [N/A] for a field it cannot fill, which gpuctl cannot read as a process.
  writeFileSync(join(dir, 'apps.json'), JSON.stringify([{ process_name: 'python3 serve.py', used_memory: 100, gpu_uuid: 'GPU-x' }]));
  const env = { FAKE_NVIDIA_SMI_FIXTURE: 'public/gls__H100NVLx2.nvidia-smi-q.txt', FAKE_NVIDIA_SMI_APPS: join(dir, 'apps.json') };
  const run = await runGpuctl(['monitor', '--once'], { tools: ['nvidia-smi'], env });
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/ {4}0 {2}NVIDIA H100 NVL /);
  expect(run.stdout).toMatch(/ {4}1 {2}NVIDIA H100 NVL /);
  expect(run.stdout).toContain('  Processes\n    could not be read: nvidia-smi printed a process line gpuctl cannot read');
  const json = await runGpuctl(['monitor', '--once', '--json'], { tools: ['nvidia-smi'], env });
  expect(json.exitCode, json.stderr).toBe(0);
  const machine = (JSON.parse(json.stdout) as { machines: Array<{ gpus: unknown[]; processes: unknown[]; processesError?: string }> })
    .machines[0]!;
  expect(machine.gpus).toHaveLength(2);
  expect(machine.processes).toEqual([]);
  expect(machine.processesError).toContain('cannot read');
});
