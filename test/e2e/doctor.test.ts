/** `gpuctl doctor` as a process: the rows come from real probes of the fakes on PATH. */
import { describe, expect, it } from 'vitest';
import type { CheckRow } from '../../src/doctor/decide.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakePath, onPath, runGpuctl } from '../helpers/cli.js';

describe('gpuctl doctor', () => {
  it('on a GPU machine without nvcc or flyctl: GPU passes, the rest warn, exit 0', async () => {
    const run = await runGpuctl(['doctor', '--json'], { tools: ['nvidia-smi'], env: { FAKE_NVIDIA_SMI_FIXTURE: 'h200-x1/query.csv' } });
    expect(run.exitCode).toBe(0);
    const { ok, checks } = JSON.parse(run.stdout) as { ok: boolean; checks: CheckRow[] };
    expect(ok).toBe(true);
    const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
    expect(byId.gpu).toMatchObject({ status: 'pass', detail: 'driver 580.159.04 (CUDA 13.0), 1 × NVIDIA H200' });
    expect(byId.nvcc?.status).toBe('warn');
    expect(byId.flyctl?.status).toBe('warn');
    expect(byId.node?.status).toBe('pass');
  });

  it('a broken driver fails the run (exit 1) and shows the remedy', async () => {
    const run = await runGpuctl(['doctor'], {
      tools: ['nvidia-smi'],
      env: { FAKE_NVIDIA_SMI_FIXTURE: 'h200-x1/query.csv', FAKE_NVIDIA_SMI_MODE: 'no-driver' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/NVIDIA driver\s+✗ fail\s+nvidia-smi cannot reach the NVIDIA driver/);
    expect(run.stdout).toContain('To fix:');
    expect(run.stdout).toContain('1 check failed.');
  });

  it('--require turns a missing GPU into a failure: exit 3, a required device is missing', async () => {
    const run = await runGpuctl(['doctor', '--require', 'gpu']);
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toMatch(/NVIDIA driver\s+✗ fail\s+nvidia-smi not found/);
  });

  it('--require gpu,flyctl with both missing exits 3, as the README says', async () => {
    const run = await runGpuctl(['doctor', '--require', 'gpu,flyctl', '--json']);
    expect(run.exitCode).toBe(3);
    const { ok, checks } = JSON.parse(run.stdout) as { ok: boolean; checks: CheckRow[] };
    expect(ok).toBe(false);
    expect(checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['gpu', 'flyctl']);
  });

  it('reads flyctl and Fly authentication through the fake flyctl, never printing the token', async () => {
    const token = 'FlyV1 fm2_doctor_test_token_0123456789abcdef';
    const state = mkdtempSync(join(tmpdir(), 'fly-state-'));
    const run = await runGpuctl(['doctor', '--verbose'], { tools: ['flyctl'], env: { FAKE_FLYCTL_STATE: state, FLY_API_TOKEN: token } });
    expect(run.stdout).toMatch(/flyctl\s+✓ pass\s+v0\.4\.87; GPU flags removed/);
    expect(run.stdout).toMatch(/Fly authentication\s+✓ pass\s+logged in as ops@example.com \(token from the environment\)/);
    expect(run.stderr).toContain('$ flyctl auth whoami --json');
    expect(`${run.stdout}${run.stderr}`).not.toContain('fm2_doctor_test_token');
  });

  it("without a token, Fly authentication warns with flyctl's own message", async () => {
    const state = mkdtempSync(join(tmpdir(), 'fly-state-'));
    const run = await runGpuctl(['doctor', '--json'], { tools: ['flyctl'], env: { FAKE_FLYCTL_STATE: state } });
    const { checks } = JSON.parse(run.stdout) as { checks: CheckRow[] };
    expect(checks.find((c) => c.id === 'fly-auth')).toMatchObject({
      status: 'warn',
      detail: "no access token available. Please login with 'flyctl auth login'",
    });
  });

  it('a FLYCTL that cannot run: the row says why (it said only "flyctl version: broken")', async () => {
    const run = await runGpuctl(['doctor', '--json'], { env: { FLYCTL: '/etc/passwd' } });
    expect(run.exitCode).toBe(1);
    const { checks } = JSON.parse(run.stdout) as { checks: CheckRow[] };
    expect(checks.find((c) => c.id === 'flyctl')).toMatchObject({
      status: 'fail',
      detail: '/etc/passwd could not run: spawn /etc/passwd EACCES',
    });
  });

  // gpuctl smoke needs docker (with its daemon) or podman; the doctor names the one smoke would use (review leftover).
  describe('container engine', () => {
    const engineRow = (stdout: string) => (JSON.parse(stdout) as { checks: CheckRow[] }).checks.find((c) => c.id === 'engine');

    it('none on PATH: a warning naming both; --require engine makes it a missing tool (exit 3)', async () => {
      const run = await runGpuctl(['doctor', '--json']);
      expect(run.exitCode).toBe(0);
      expect(engineRow(run.stdout)).toMatchObject({ status: 'warn', detail: 'neither docker nor podman found' });
      expect((await runGpuctl(['doctor', '--require', 'engine'])).exitCode).toBe(3);
    });

    it('a docker whose `info` fails (no daemon) and no podman: a warning saying so; required, a failure (exit 1)', async () => {
      const path = fakePath([], { docker: '/bin/false' });
      const run = await runGpuctl(['doctor', '--json'], { env: { PATH: path } });
      expect(engineRow(run.stdout)).toMatchObject({ status: 'warn', detail: 'docker info failed (exit 1): no working engine' });
      expect((await runGpuctl(['doctor', '--require', 'engine'], { env: { PATH: path } })).exitCode).toBe(1);
    });

    it('a working podman (real) after a docker without daemon: passes, naming podman and its version', async () => {
      const podman = onPath('podman', `${process.env.PATH ?? ''}:/usr/sbin:/sbin`);
      if (!podman) throw new Error('This test needs podman (apt-get install -y podman; .ci/run installs it).');
      const run = await runGpuctl(['doctor', '--json'], { env: { PATH: fakePath([], { docker: '/bin/false', podman }) } });
      expect(engineRow(run.stdout)).toMatchObject({
        status: 'pass',
        detail: expect.stringMatching(/^podman \d+\.\d+\S* \(gpuctl smoke uses it\)$/) as string,
      });
    });
  });
});
