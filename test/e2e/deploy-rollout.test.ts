// gpuctl deploy's verification against the fake flyctl: which machine states after flyctl deploy count as deployed
// (a stopped --ha standby, a machine flyctl updated and left stopped), which fail it, and --rollback.
import { describe, expect, it } from 'vitest';
import type { DeployReport } from '../../src/deploy/report.js';
import { flyState } from '../fakes/flyctl/seed.mjs';
import { deployedGpuWorld, deployedWorld, FLY_TOML, world } from './fly-world.js';

const report = (stdout: string) => JSON.parse(stdout) as DeployReport;

describe('gpuctl deploy: what the verification counts as deployed', () => {
  // flyctl's --ha (default) gives a group without services one machine and a stopped standby: that is a healthy deploy.
  it('a worker group with its stopped --ha standby deploys and is healthy', async () => {
    const w = world(
      FLY_TOML.replace(
        '[http_service]',
        '[processes]\n  app = "python serve.py"\n  worker = "python work.py"\n\n[http_service]\n  processes = ["app"]',
      ),
    );
    const run = await w.gpuctl(['deploy', '--create', '--org', 'personal', '--wait-timeout', '5s', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const r = report(run.stdout);
    expect(
      r.machines
        .filter((m) => m.processGroup === 'worker')
        .map((m) => m.state)
        .sort(),
    ).toEqual(['started', 'stopped']);
    const health = await w.gpuctl(['health', '--no-probe']);
    expect(health.exitCode, health.stdout).toBe(0);
    expect(health.stdout).toContain('quant-signals is healthy.');
  });

  // flyctl deploy updates a stopped machine (autostop, `fly machine stop`) without starting it; gpuctl waited the whole
  // --wait-timeout for it to start, then failed the deploy (and --rollback rolled back a good one).
  // (flyctl leaves it stopped only when a service autoscales: skipLaunch, PR #2992; without, it starts it.)
  it('a machine stopped before the deploy, updated and left stopped by flyctl, is deployed, not a failure', async () => {
    const w = await deployedWorld(FLY_TOML.replace('  force_https = true\n', '  force_https = true\n  auto_stop_machines = "stop"\n'));
    const idle = flyState(w.state).machines('quant-signals')[0]!.id;
    flyState(w.state).update((state) => {
      state.apps['quant-signals']!.machines.find((m) => m.id === idle)!.state = 'stopped';
    });
    const run = await w.gpuctl(['deploy', '--wait-timeout', '3s', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const r = report(run.stdout);
    expect(r.machines.find((m) => m.id === idle)).toMatchObject({ state: 'stopped', release: 2 });
    expect(r.machines.filter((m) => m.id !== idle).every((m) => m.state === 'started' && m.release === 2)).toBe(true);
  });

  it('unhealthy machines fail the deploy; --rollback redeploys the previous image', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['deploy', '--rollback', '--json', '--wait-timeout', '5s'], { FAKE_FLYCTL_FAULT: 'unhealthy' });
    expect(run.exitCode).toBe(1);
    const r = report(run.stdout);
    expect(r.outcome).toBe('deploy-failed');
    expect(r.error?.message).toContain('did not pass their health checks in time');
    expect(r.problems.some((p) => /critical/.test(p.reason))).toBe(true);
    expect(r.release).toMatchObject({ version: 2 });
    expect(r.rollback).toMatchObject({ toVersion: 1, image: r.previousRelease?.image, release: 3, healthy: false });
    expect(r.commands[1]).toContain(`--image=${r.previousRelease?.image}`);
  });

  it('a machine left on the previous release fails the verification, though flyctl exits 0 and it is healthy', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['deploy', '--json', '--wait-timeout', '2s'], {
      FAKE_FLYCTL_FAULT: 'stale-machine',
      FAKE_FLYCTL_FAULT_ON: 'deploy',
    });
    expect(run.exitCode).toBe(1);
    const r = report(run.stdout);
    expect(r.release).toMatchObject({ version: 2 });
    expect(r.machines.some((m) => m.release === 1 && m.state === 'started')).toBe(true);
    expect(r.problems.map((p) => p.reason)).toContain('runs v1, not v2');
  });

  // A GPU layout, deployed as before the retirement (fly-world.ts deployedGpuWorld): only there is there a GPU to verify.
  it('a failed verification rolls back to a healthy previous release', async () => {
    const w = await deployedGpuWorld();
    w.seedSsh('quant-signals', { 'gpuctl detect --json': { stdout: '{"schemaVersion":1,"source":"systeminformation","gpus":[]}\n' } });
    const run = await w.gpuctl(['deploy', '--allow-gpu', '--verify-gpu', '--rollback', '--json']);
    expect(run.exitCode).toBe(1);
    const r = report(run.stdout);
    expect(r.outcome).toBe('gpu-missing');
    // On a GPU layout the hint is about the machine's driver, not "CPU machines have no GPU" (preflight refuses those now).
    expect(r.error?.hint).toContain('run `nvidia-smi` in the machine');
    expect(r.gpu?.every((g) => !g.ok && g.via === 'gpuctl detect')).toBe(true);
    expect(r.rollback).toMatchObject({ toVersion: 1, release: 3, healthy: true, error: null });
    expect((await w.releases()).map((x) => x.Version)).toEqual([3, 2, 1]);
  });
});
