/** `gpuctl detect` as a process, against the fake nvidia-smi replaying every recorded capture. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DetectResult } from '../../src/detect/detect.js';
import { captureSource, SMI_CASES } from '../fixtures/nvidia-smi/cases.js';
import { runGpuctl } from '../helpers/cli.js';

const smi = (fixture: string, env: Record<string, string> = {}) => ({
  tools: ['nvidia-smi'],
  env: { FAKE_NVIDIA_SMI_FIXTURE: fixture, ...env },
});

describe('gpuctl detect --json on every recorded GPU', () => {
  const cases = SMI_CASES.map((c) => ({ ...c, via: captureSource(c.fixture) === 'csv' ? 'real --query-gpu CSV' : `CSV the fake derives from ${captureSource(c.fixture)}` }));
  it.each(cases)('$fixture ($via) → $count × $name ($profile)', async (c) => {
    const log = join(mkdtempSync(join(tmpdir(), 'smi-log-')), 'calls.jsonl');
    const run = await runGpuctl(['detect', '--json'], smi(c.fixture, { FAKE_NVIDIA_SMI_LOG: log }));
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as DetectResult;
    expect(result.source).toBe('nvidia-smi');
    expect(result.driverVersion).toBe(c.driverVersion);
    expect(result.gpus).toHaveLength(c.count);
    expect(result.gpus.map((g) => g.index)).toEqual([...Array(c.count).keys()]);
    for (const gpu of result.gpus) {
      expect(gpu.name).toBe(c.name);
      expect(gpu.computeCapability).toBe(c.computeCapability);
      expect(gpu.profile?.id ?? null).toBe(c.profile);
      expect(gpu.memoryMiB).toBeGreaterThan(1000);
      if (c.migMode !== undefined) expect(gpu.migMode).toBe(c.migMode);
      if (c.profile === null) expect(gpu.derivedProfile?.derived).toBe(true);
      else expect(gpu.derivedProfile).toBeNull();
    }
    // One query call, always.
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});

describe('gpuctl detect, human output', () => {
  it('names the H200, its peaks, the precision and the retired Fly GPU status', async () => {
    const run = await runGpuctl(['detect'], smi('h200-x1/query.csv'));
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Driver 580.159.04 · CUDA 13.0 · 1 GPU');
    expect(run.stdout).toContain('GPU 0  NVIDIA H200');
    expect(run.stdout).toContain('Hopper, compute capability 9.0');
    expect(run.stdout).toContain('4800 GB/s peak');
    expect(run.stdout).toContain('bf16 989.5');
    expect(run.stdout).toContain('Precision: bf16');
    expect(run.stdout).toContain('GPU Machines are retired');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('says an L40S was the Fly kind l40s, retired on 2026-08-01, and shows the CPU layout', async () => {
    const run = await runGpuctl(['detect'], smi('public/gls__L40S.nvidia-smi-q.txt'));
    expect(run.stdout).toContain('Fly GPU kind: l40s (size l40s, regions ord): retired by Fly.io on 2026-08-01');
    expect(run.stdout).toContain('gpuctl init --vm-size performance-8x');
  });

  it('marks a GPU outside the catalogue as derived', async () => {
    const run = await runGpuctl(['detect'], smi('public/split/nvidia-geforce-rtx-4080-super__595.71.05/idle.query-gpu.csv'));
    expect(run.stdout).toContain('not in the catalogue: derived profile');
    expect(run.stdout).toContain('Ada Lovelace, compute capability 8.9');
  });

  it('says when MIG is enabled', async () => {
    const run = await runGpuctl(['detect'], smi('public/split/nvidia-h100-mig__590.48.01/idle.query-gpu.csv'));
    expect(run.stdout).toContain('MIG is enabled');
  });
});
