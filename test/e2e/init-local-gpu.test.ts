/**
 * `gpuctl init --for-local-gpu` as the integrator runs it on the GPU machine (plain `node bin/gpuctl.js`),
 * against the fake nvidia-smi replaying our H200 capture; then `gpuctl validate` on what it wrote.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runGpuctl } from '../helpers/cli.js';

const h200 = { tools: ['nvidia-smi'], env: { FAKE_NVIDIA_SMI_FIXTURE: 'h200-x1/query.csv' } };

test('--dry-run prints the H200 layout (CUDA 13.0 image, sm_90, compose with the GPU reserved) and writes nothing', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'gpuctl-local-e2e-'));
  const run = await runGpuctl(['init', '--for-local-gpu', '--dry-run', '--yes'], { ...h200, cwd });
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toContain("GPU layout for this machine's NVIDIA H200 (compute capability 9.0, driver 580.159.04: CUDA 13.0.2 image)");
  expect(run.stdout).toMatch(/create\s+compose\.yaml/);
  expect(run.stdout).toContain('+ARG CUDA_VERSION=13.0.2');
  expect(run.stdout).toContain('+ENV TORCH_CUDA_ARCH_LIST=9.0 \\');
  expect(run.stdout).toContain("+              device_ids: ['0']");
  expect(run.stdout).toContain("+      GPUCTL_BATCH_SIZE: '32'");
  expect(run.stdout).toContain('Dry run: nothing was written.');
});

test('written, then validated clean (fly.toml, Dockerfile and compose.yaml); a broken reservation is found', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'gpuctl-local-e2e-'));
  const init = await runGpuctl(['init', '--for-local-gpu', '--workload', 'batch', '--json'], { ...h200, cwd });
  expect(init.exitCode).toBe(0);
  const json = JSON.parse(init.stdout) as {
    localGpu: { name: string; cudaImage: string; indices: number[] };
    files: Array<{ path: string }>;
  };
  expect(json.localGpu).toMatchObject({ name: 'NVIDIA H200', cudaImage: '13.0.2', indices: [0] });
  // The application's own files, which init's Next line asks for (validate reports them missing otherwise).
  writeFileSync(join(cwd, 'requirements.txt'), '');
  writeFileSync(join(cwd, 'app.py'), '');
  const validate = await runGpuctl(['validate', '--json'], { cwd });
  expect(JSON.parse(validate.stdout)).toMatchObject({
    exitCode: 0,
    files: [{ kind: 'fly.toml' }, { kind: 'Dockerfile' }, { kind: 'compose.yaml' }],
    findings: [],
  });

  const compose = readFileSync(join(cwd, 'compose.yaml'), 'utf8');
  writeFileSync(join(cwd, 'compose.yaml'), compose.replace('capabilities: [gpu]', 'capabilities: [utility]'));
  const broken = await runGpuctl(['validate'], { cwd });
  expect(broken.exitCode).toBe(1);
  expect(broken.stdout).toMatch(/compose\.yaml:\d+:\d+\s+error\s+compose-gpu-reservation-invalid/);
  expect(broken.stdout).toContain('fix: Set capabilities: [gpu].');
});

test('without nvidia-smi: exit 3 and nothing written', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'gpuctl-local-e2e-'));
  const run = await runGpuctl(['init', '--for-local-gpu', '--yes'], { cwd });
  expect(run.exitCode).toBe(3);
  expect(run.stderr).toContain('No NVIDIA GPU found');
  // The remedy names the flag the user gave, never detect's --require-gpu.
  expect(run.stderr).not.toContain('--require-gpu');
  expect(run.stderr).toContain('without --for-local-gpu');
  expect(readdirSync(cwd)).toEqual([]);
});

test("a driver that is not loaded: exit 3 with the driver problem's own remedy, nothing written", async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'gpuctl-local-e2e-'));
  const run = await runGpuctl(['init', '--for-local-gpu', '--yes'], {
    cwd,
    tools: ['nvidia-smi'],
    env: { FAKE_NVIDIA_SMI_MODE: 'no-driver' },
  });
  expect(run.exitCode).toBe(3);
  expect(run.stderr).toContain('nvidia-smi cannot reach the NVIDIA driver');
  expect(run.stderr).toContain('Hint: Check `lsmod | grep nvidia` and install or load the driver');
  expect(readdirSync(cwd)).toEqual([]);
});
