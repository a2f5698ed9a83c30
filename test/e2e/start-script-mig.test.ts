/**
 * The start script and MIG, run by a real bash against the fake nvidia-smi replaying the recorded
 * H100 and H200 MIG captures: MIG is disabled only on a GPU where it is enabled and `nvidia-smi mig
 * -lgi` lists no GPU instance; a partitioned GPU, a GPU without MIG, and a listing that fails are
 * left alone. The fake logs every call's argv, so the tests see whether `-mig 0` ran.
 */
import { execa } from 'execa';
import { chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadTemplates } from '../../src/init/templates.js';
import { FAKE_BIN } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gpuctl-start-mig-'));
const script = join(dir, 'gpuctl-start.sh');
writeFileSync(script, loadTemplates()['gpuctl-start.sh']);

const H100_MIG = 'public/split/nvidia-h100-mig__590.48.01/idle.query-gpu.csv';
const H200_MIG = 'public/split/nvidia-h200-mig__590.48.01/idle.query-gpu.csv';
const H100 = 'public/split/nvidia-h100-80gb-hbm3__590.48.01/idle.query-gpu.csv';

/** PATH with node, the fake nvidia-smi and an `id` that says root (the MIG step runs as root only). */
function binDir(): string {
  const bin = mkdtempSync(join(tmpdir(), 'gpuctl-mig-bin-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync(join(FAKE_BIN, 'nvidia-smi'), join(bin, 'nvidia-smi'));
  writeFileSync(join(bin, 'id'), '#!/bin/sh\n[ "$1" = "-u" ] && echo 0 && exit 0\nexec /usr/bin/id "$@"\n');
  chmodSync(join(bin, 'id'), 0o755);
  return bin;
}

async function boot(fixture: string, env: Record<string, string> = {}) {
  const log = join(mkdtempSync(join(tmpdir(), 'gpuctl-mig-log-')), 'calls.jsonl');
  const run = await execa('bash', [script, 'bash', '-c', 'echo "device=$GPUCTL_DEVICE"'], {
    env: { PATH: `${binDir()}:/usr/bin:/bin`, GPUCTL_DEVICE: 'cuda', FAKE_NVIDIA_SMI_FIXTURE: fixture, FAKE_NVIDIA_SMI_LOG: log, ...env },
    extendEnv: false,
    reject: false,
    timeout: 20_000,
  });
  const calls = existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as string[]).join(' '))
    : [];
  return { exitCode: run.exitCode, stdout: String(run.stdout), stderr: String(run.stderr), calls };
}

test('MIG enabled and no GPU instance: MIG is disabled on that GPU, then the application starts', async () => {
  const run = await boot(H100_MIG, { FAKE_NVIDIA_SMI_MIG_INSTANCES: 'none' });
  expect(run).toMatchObject({ exitCode: 0, stdout: 'device=cuda' });
  expect(run.calls).toEqual(['', '--query-gpu=index,mig.mode.current --format=csv,noheader', 'mig -i 0 -lgi', '-i 0 -mig 0']);
  expect(run.stderr).toContain('GPU 0: MIG is enabled without GPU instances; disabling it');
});

test.each([
  ['H100 (4 GPU instances)', H100_MIG],
  ['H200 (4 GPU instances, 5 compute instances)', H200_MIG],
])('MIG enabled with GPU instances on the %s capture: never disabled', async (_, fixture) => {
  const run = await boot(fixture);
  expect(run).toMatchObject({ exitCode: 0, stdout: 'device=cuda' });
  expect(run.calls).toContain('mig -i 0 -lgi');
  expect(run.calls.some((call) => call.includes('-mig'))).toBe(false);
  expect(run.stderr).toContain('GPU 0: MIG is enabled with GPU instances; leaving them as they are');
});

test('MIG disabled: nvidia-smi mig is never asked and nothing is changed', async () => {
  const run = await boot(H100);
  expect(run).toMatchObject({ exitCode: 0, stdout: 'device=cuda' });
  expect(run.calls).toEqual(['', '--query-gpu=index,mig.mode.current --format=csv,noheader']);
});

test.each([
  ['RTX 4080 SUPER', 'public/split/nvidia-geforce-rtx-4080-super__595.71.05/idle.query-gpu.csv'],
  ['L40S', 'public/split/nvidia-l40s__595.80/idle.query-gpu.csv'],
])('a GPU without MIG (%s, mode [N/A]): only MIG "Enabled" is acted on; nvidia-smi mig is never asked', async (_, fixture) => {
  const run = await boot(fixture);
  expect(run).toMatchObject({ exitCode: 0, stdout: 'device=cuda' });
  expect(run.calls).toEqual(['', '--query-gpu=index,mig.mode.current --format=csv,noheader']);
  expect(run.stderr).not.toContain('MIG');
});

test('MIG enabled but the listing fails (the GPU is lost): MIG is left as it is', async () => {
  const run = await boot(H100_MIG, { FAKE_NVIDIA_SMI_MIG_INSTANCES: 'lost-gpu' });
  expect(run.exitCode).toBe(0);
  expect(run.calls).toContain('mig -i 0 -lgi');
  expect(run.calls.some((call) => call.includes('-mig'))).toBe(false);
  expect(run.stderr).toContain('could not be listed (exit 15); leaving MIG as it is');
});

test('a listing that fails but prints "GPU instances:" is a failure, not a partitioned GPU (issue 18)', async () => {
  const run = await boot(H100_MIG, { FAKE_NVIDIA_SMI_MIG_INSTANCES: 'failed-listing' });
  expect(run.exitCode).toBe(0);
  expect(run.calls.some((call) => call.includes('-mig'))).toBe(false);
  expect(run.stderr).toContain('GPU 0: MIG is enabled and its GPU instances could not be listed (exit 4); leaving MIG as it is');
  expect(run.stderr).not.toContain('leaving them as they are');
});
