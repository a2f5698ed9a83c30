/** Every way nvidia-smi can fail, and what gpuctl says and exits with. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGpuctl } from '../helpers/cli.js';

const withMode = (mode: string, extra: Record<string, string> = {}) => ({
  tools: ['nvidia-smi'],
  env: { FAKE_NVIDIA_SMI_FIXTURE: 'h200-x1/query.csv', FAKE_NVIDIA_SMI_MODE: mode, ...extra },
});

describe('nvidia-smi failures', () => {
  it.each([
    ['no-driver', 3, 'cannot reach the NVIDIA driver'],
    ['no-devices', 3, 'found no NVIDIA GPU'],
    ['mismatch', 3, 'different versions'],
    ['no-nvml', 3, 'cannot load NVML'],
    ['lost-gpu', 1, 'nvidia-smi failed with exit code 15: Unable to determine the device handle'],
    ['garbage', 1, 'printed output gpuctl cannot read'],
    ['truncated', 1, 'printed output gpuctl cannot read'],
    ['crash', 1, 'killed by SIGSEGV'],
  ])('%s → exit %i, "%s", no stack trace', async (mode, exitCode, message) => {
    const run = await runGpuctl(['detect'], withMode(mode));
    expect(run.exitCode).toBe(exitCode);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toMatch(/^Error: .*\nHint: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  });

  it.each(['garbage', 'control-bytes'])('%s: control bytes nvidia-smi printed never reach the terminal', async (mode) => {
    const run = await runGpuctl(['detect'], withMode(mode));
    expect(run.exitCode).toBe(1);
    // eslint-disable-next-line no-control-regex
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(run.stderr).toContain('\\x1b[');
  });

  it('a crash with a traceback is reported by its error line, not the traceback header', async () => {
    const run = await runGpuctl(['detect'], withMode('traceback'));
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('Error: nvidia-smi failed with exit code 1: pynvml.NVMLError_Unknown: Unknown Error');
    expect(run.stderr).not.toContain('Traceback (most recent call last)');
  });

  it('a hanging nvidia-smi is killed at the timeout', async () => {
    const run = await runGpuctl(['detect'], withMode('hang', { GPUCTL_NVIDIA_SMI_TIMEOUT_MS: '700' }));
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('nvidia-smi did not answer within 0.7 s');
  });

  it('an old driver without compute_cap: asks once more without it', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'smi-log-')), 'calls.jsonl');
    const run = await runGpuctl(['detect', '--json'], withMode('old-driver', { FAKE_NVIDIA_SMI_LOG: log }));
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as { gpus: Array<{ name: string; computeCapability: string | null; profile: { id: string } }> };
    expect(result.gpus[0]).toMatchObject({ name: 'NVIDIA H200', computeCapability: null, profile: { id: 'h200' } });
    const calls = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[]);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.[0]).not.toContain('compute_cap');
  });

  it('--json errors are JSON on stdout with the exit code', async () => {
    const run = await runGpuctl(['detect', '--json'], withMode('no-driver'));
    expect(run.exitCode).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'device_missing', exitCode: 3 } });
  });

  it('--verbose shows the command run and the stack', async () => {
    const run = await runGpuctl(['detect', '--verbose'], withMode('garbage'));
    expect(run.stderr).toContain('$ nvidia-smi --query-gpu=index,name,uuid');
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});

describe('no nvidia-smi at all', () => {
  it('describes the host and exits 0', async () => {
    const run = await runGpuctl(['detect', '--json']);
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as { gpus: unknown[]; source: string; host: { logicalCores: number; memoryBytes: number } };
    expect(result.source).toBe('systeminformation');
    expect(result.gpus).toEqual([]);
    expect(result.host.logicalCores).toBeGreaterThan(0);
    expect(result.host.memoryBytes).toBeGreaterThan(0);
  });

  it('--require-gpu exits 3', async () => {
    const run = await runGpuctl(['detect', '--require-gpu']);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('No NVIDIA GPU found');
  });
});

describe('the CLI surface', () => {
  it('usage errors exit 2', async () => {
    expect((await runGpuctl(['detect', '--bogus'])).exitCode).toBe(2);
    expect((await runGpuctl(['nonsense'])).exitCode).toBe(2);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const run = await runGpuctl(['--version']);
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  it('help lists examples and exit codes', async () => {
    const run = await runGpuctl(['detect', '--help']);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('--require-gpu');
    expect((await runGpuctl(['--help'])).stdout).toContain('3 missing tool or GPU');
  });
});
