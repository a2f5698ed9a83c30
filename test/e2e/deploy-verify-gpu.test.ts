/** deploy --verify-gpu and --verify-gpu-diag: what runs in the machine after the rollout (fake flyctl's ssh). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeployReport } from '../../src/deploy/report.js';
import { ROOT } from '../helpers/cli.js';
import { deployedGpuWorld, deployedWorld, expectNoToken } from './fly-world.js';

const report = (stdout: string) => JSON.parse(stdout) as DeployReport;

// A GPU machine exists only in the fake's before-retirement mode (FAKE_FLYCTL_GPU_API): today's Fly rejects the guest
// (deploy.test.ts), so --verify-gpu past the release is reachable only there; preflight refuses it on a CPU layout.
describe('gpuctl deploy verifies the GPU in the machine', () => {
  it('--verify-gpu-diag runs gpuctl diag --level quick in the machine: a warn passes, a fail names the failed check', async () => {
    // A real `gpuctl diag --level quick --json` from an H200 (docs/captures/diag/quick1.out): verdict warn (power cap).
    const real = readFileSync(join(ROOT, 'docs/captures/diag/quick1.out'), 'utf8');
    const detect = { 'gpuctl detect --json': { stdout: '{"schemaVersion":1,"source":"nvidia-smi","gpus":[{"name":"NVIDIA H200"}]}\n' } };
    const ok = await deployedGpuWorld();
    ok.seedSsh('quant-signals', { ...detect, 'gpuctl diag --level quick --json': { stdout: real } });
    const passed = await ok.gpuctl(['deploy', '--allow-gpu', '--verify-gpu-diag', '--json']);
    expect(passed.exitCode, passed.stdout).toBe(0);
    expect(report(passed.stdout).gpu?.[0]).toMatchObject({ ok: true, diag: { verdict: 'warn', failed: [] } });
    const failedJson = JSON.stringify({ ...(JSON.parse(real) as object), verdict: 'fail', failed: ['GPU 0: memtest'] });
    const bad = await deployedGpuWorld();
    bad.seedSsh('quant-signals', { ...detect, 'gpuctl diag --level quick --json': { stdout: failedJson, exitCode: 1 } });
    const failed = await bad.gpuctl(['deploy', '--allow-gpu', '--verify-gpu-diag', '--json']);
    expect(failed.exitCode).toBe(1);
    expect(report(failed.stdout).gpu?.[0]).toMatchObject({ ok: false, diag: { verdict: 'fail', failed: ['GPU 0: memtest'] } });
    expect(report(failed.stdout).gpu?.[0]?.detail).toContain('gpuctl diag failed: GPU 0: memtest');
  });

  it('--verify-gpu falls back to nvidia-smi when the image has no gpuctl', async () => {
    const w = await deployedGpuWorld();
    // The command is verify-gpu.ts's SMI_COMMAND (issue 22: built by queryArgs, read by parseQuery); the answer is nvidia-smi's.
    w.seedSsh('quant-signals', {
      'nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader,nounits': { stdout: '0, NVIDIA A10, 23028\n' },
    });
    const run = await w.gpuctl(['deploy', '--allow-gpu', '--verify-gpu', '--json']);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(report(run.stdout).gpu?.[0]).toMatchObject({ ok: true, via: 'nvidia-smi', gpus: ['NVIDIA A10'] });
  });

  it.each([
    ['capacity', 'deploy', /no capacity for this machine/],
    ['deadline', 'deploy', /flyctl's own deadline expired \(exit 126\)/],
    ['garbage-json', 'releases', /gave an answer gpuctl cannot read: it printed something that is not JSON/],
    ['truncated-json', 'status', /gave an answer gpuctl cannot read: its JSON ends early/],
  ])('fault %s on %s → a clear error', async (fault, on, message) => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['deploy'], { FAKE_FLYCTL_FAULT: fault, FAKE_FLYCTL_FAULT_ON: on });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(message);
    expectNoToken(run);
  });
});
