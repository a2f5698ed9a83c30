/**
 * The generated start script, run by a real sh: nvidia-smi once at boot, the CPU fallback when there
 * is no usable GPU, OMP threads from GPUCTL_CPU_THREADS. nvidia-smi is a fake that logs its calls.
 */
import { execa } from 'execa';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadTemplates } from '../../src/init/templates.js';

const dir = mkdtempSync(join(tmpdir(), 'gpuctl-start-'));
const script = join(dir, 'gpuctl-start.sh');
writeFileSync(script, loadTemplates()['gpuctl-start.sh']);

function fakeSmi(exitCode: number): { bin: string; log: string } {
  const bin = mkdtempSync(join(tmpdir(), 'gpuctl-smi-'));
  const log = join(bin, 'calls.log');
  writeFileSync(
    join(bin, 'nvidia-smi'),
    `#!/bin/sh\necho "nvidia-smi $*" >> '${log}'\n[ "$1" = "--query-gpu=mig.mode.current" ] && echo Disabled\nexit ${exitCode}\n`,
  );
  chmodSync(join(bin, 'nvidia-smi'), 0o755);
  return { bin, log };
}

async function start(env: Record<string, string>, path: string) {
  const run = await execa('sh', [script, 'sh', '-c', 'echo "device=$GPUCTL_DEVICE omp=${OMP_NUM_THREADS:-}"'], {
    env: { PATH: path, ...env },
    extendEnv: false,
    reject: false,
  });
  return { stdout: String(run.stdout), stderr: String(run.stderr), exitCode: run.exitCode };
}

test('with a working GPU: nvidia-smi runs once at boot and the application gets cuda', async () => {
  const smi = fakeSmi(0);
  const run = await start({ GPUCTL_DEVICE: 'cuda', GPUCTL_CPU_THREADS: '8' }, `${smi.bin}:/usr/bin:/bin`);
  expect(run).toMatchObject({ exitCode: 0, stdout: 'device=cuda omp=8' });
  expect(readFileSync(smi.log, 'utf8').split('\n')[0]).toBe('nvidia-smi ');
});

test('without nvidia-smi: the CPU fallback, said on stderr', async () => {
  const run = await start({ GPUCTL_DEVICE: 'cuda' }, '/usr/bin:/bin');
  expect(run).toMatchObject({ exitCode: 0, stdout: 'device=cpu omp=' });
  expect(run.stderr).toContain('gpuctl-start: nvidia-smi not found');
});

test('with a GPU nvidia-smi cannot use: the CPU fallback', async () => {
  const smi = fakeSmi(9);
  const run = await start({ GPUCTL_DEVICE: 'cuda' }, `${smi.bin}:/usr/bin:/bin`);
  expect(run.stdout).toBe('device=cpu omp=');
  expect(run.stderr).toContain('nvidia-smi failed: the GPU is not usable');
});

test('a CPU layout never touches nvidia-smi', async () => {
  const smi = fakeSmi(0);
  const run = await start({ GPUCTL_DEVICE: 'cpu', GPUCTL_CPU_THREADS: '2', OMP_NUM_THREADS: '1' }, `${smi.bin}:/usr/bin:/bin`);
  expect(run.stdout).toBe('device=cpu omp=1');
  expect(() => readFileSync(smi.log)).toThrow();
});
