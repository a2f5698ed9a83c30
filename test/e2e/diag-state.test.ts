/**
 * `gpuctl diag` and its state file over the fakes, on a host of two H200s: a run of some GPUs keeps the others'
 * verdicts (each with the time and level of the run that gave it), and a GPU the program cannot use (exit 3) loses
 * neither the verdicts measured before it nor the GPUs after it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runGpuctl } from '../helpers/cli.js';
import { diagSetup } from './diag-helpers.js';

const UUID0 = 'GPU-00000000-1111-2222-3333-444444444444';
const UUID1 = 'GPU-00000000-1111-2222-3333-555555555555';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function twoGpus(env: Record<string, string> = {}) {
  const setup = diagSetup({ FAKE_NVIDIA_SMI_FIXTURE: 'diag/h200-two.query-gpu.csv', ...env });
  dirs.push(dirname(setup.state));
  const run = (args: string[]) => runGpuctl(['diag', ...args], { tools: ['nvidia-smi', 'dmesg'], env: setup.env });
  const saved = () => JSON.parse(readFileSync(setup.state, 'utf8')) as { finishedAt: string; gpus: Array<Record<string, unknown>> };
  return { ...setup, run, saved };
}

describe('gpuctl diag and the state file', () => {
  it("--gpus 0 keeps GPU 1's earlier fail, with that run's time and level; an old-format file still reads", async () => {
    const { state, run, saved } = twoGpus();
    // Written before per-GPU times: the entries take the file's finishedAt and level.
    const before = { schemaVersion: 1, finishedAt: '2026-12-01T10:00:00.000Z', level: 'long' };
    writeFileSync(state, JSON.stringify({ ...before, gpus: [{ index: 1, uuid: UUID1, verdict: 'fail' }] }));
    const r = await run(['--gpus', '0']);
    expect(r.exitCode).toBe(0);
    const after = saved();
    expect(after.finishedAt).not.toBe(before.finishedAt);
    expect(after.gpus).toEqual([
      { index: 0, uuid: UUID0, verdict: 'pass', finishedAt: after.finishedAt, level: 'quick' },
      { index: 1, uuid: UUID1, verdict: 'fail', finishedAt: before.finishedAt, level: 'long' },
    ]);
  });

  it('an entry for a GPU this host no longer has (another UUID at its index, or no such index) is dropped', async () => {
    const { state, run, saved } = twoGpus();
    const old = { finishedAt: '2026-12-01T10:00:00.000Z', level: 'quick' };
    const gpus = [
      { index: 1, uuid: 'GPU-swapped-out', verdict: 'fail', ...old },
      { index: 7, uuid: 'GPU-gone', verdict: 'fail', ...old },
    ];
    writeFileSync(state, JSON.stringify({ schemaVersion: 1, ...old, gpus }));
    expect((await run(['--gpus', '0'])).exitCode).toBe(0);
    expect(saved().gpus.map((g) => g.index)).toEqual([0]);
  });

  it('GPU 1 unusable (the program exits 3): exit 3, and GPU 0 is reported and recorded', async () => {
    const { run, saved } = twoGpus({ FAKE_BENCH_NO_DEVICE: '1' });
    const r = await run([]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toContain(`GPU 0  NVIDIA H200  ${UUID0}`);
    expect(r.stdout).toContain('No usable GPU 1: cudaSetDevice(1): invalid device ordinal (no verdict)');
    expect(r.stderr).toContain('No usable GPU 1: cudaSetDevice(1): invalid device ordinal');
    expect(saved().gpus).toMatchObject([{ index: 0, uuid: UUID0, verdict: 'pass' }]);
  });

  it('GPU 0 unusable: GPU 1 is still tested; --json carries both, with no second (error) document', async () => {
    const { run, saved } = twoGpus({ FAKE_BENCH_NO_DEVICE: '0' });
    const r = await run(['--json']);
    expect(r.exitCode).toBe(3);
    const report = JSON.parse(r.stdout) as { verdict: string; gpus: Array<{ index: number }>; unusable: unknown[] };
    expect(report.gpus.map((g) => g.index)).toEqual([1]);
    expect(report.unusable).toEqual([{ index: 0, message: 'No usable GPU 0: cudaSetDevice(0): invalid device ordinal' }]);
    expect(saved().gpus).toMatchObject([{ index: 1, uuid: UUID1, verdict: 'pass' }]);
  });

  it('a GPU 1 fail and a GPU 0 that is unusable: exit 3, the worst, with the fail recorded', async () => {
    const { run, saved } = twoGpus({ FAKE_BENCH_NO_DEVICE: '0', GPUCTL_DIAG_INJECT_FAULT: 'mem_bitflip' });
    const r = await run([]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toContain('FAIL: GPU 1: memtest');
    expect(saved().gpus).toMatchObject([{ index: 1, verdict: 'fail' }]);
  });
});
