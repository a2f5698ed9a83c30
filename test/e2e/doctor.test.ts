/** `gpuctl doctor` as a process: the rows come from real probes of the fakes on PATH. */
import { describe, expect, it } from 'vitest';
import type { CheckRow } from '../../src/doctor/decide.js';
import { runGpuctl } from '../helpers/cli.js';

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
    const run = await runGpuctl(['doctor'], { tools: ['nvidia-smi'], env: { FAKE_NVIDIA_SMI_FIXTURE: 'h200-x1/query.csv', FAKE_NVIDIA_SMI_MODE: 'no-driver' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/NVIDIA driver\s+✗ fail\s+nvidia-smi cannot reach the NVIDIA driver/);
    expect(run.stdout).toContain('To fix:');
    expect(run.stdout).toContain('1 check failed.');
  });

  it('--require turns a missing GPU into a failure', async () => {
    const run = await runGpuctl(['doctor', '--require', 'gpu']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/NVIDIA driver\s+✗ fail\s+nvidia-smi not found/);
  });
});
