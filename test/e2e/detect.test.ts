/** `gpuctl detect` as a process, against the fake nvidia-smi replaying every recorded capture. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
  const cases = SMI_CASES.map((c) => ({
    ...c,
    via: captureSource(c.fixture) === 'csv' ? 'real --query-gpu CSV' : `CSV the fake derives from ${captureSource(c.fixture)}`,
  }));
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
    // One query call, always; hosts with 2+ GPUs also get `topo -m` (these captures hold no recording of it,
    // so the fake fails it the way an unknown invocation fails and detect says why).
    const calls = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[]);
    expect(calls.filter((a) => a[0]?.startsWith('--query-gpu='))).toHaveLength(1);
    expect(calls.slice(1)).toEqual(c.count > 1 ? [['topo', '-m']] : []);
    expect(result.topology).toBeNull();
    expect(result.topologyNote).toBe(c.count > 1 ? 'nvidia-smi topo -m exited with code 99' : null);
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

  it('a derived GPU without a compute capability is not said to have no tensor cores (an RTX 3080 has them)', async () => {
    const run = await runGpuctl(['detect'], smi('public/telegraf__rtx-3080-v12.q-x.xml'));
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Precision: fp32 (compute capability unknown: the safe choice; `gpuctl bench` measures the others)');
    expect(run.stdout).not.toContain('no tensor cores');
  });

  // No capture of a Blackwell part exists (shared fixtures: Volta to Hopper), so these replay the H200's own CSV
  // with another name and compute capability.
  const renamed = (name: string, cc: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'smi-cc-'));
    const h200 = readFileSync(join(import.meta.dirname, '../fixtures/nvidia-smi/h200-x1/query.csv'), 'utf8');
    writeFileSync(join(dir, 'query.csv'), h200.replace('NVIDIA H200', name).replace(', 9.0, ', `, ${cc}, `));
    return join(dir, 'query.csv');
  };

  it('names a Jetson Thor (11.0), a DGX Spark (12.1) and a B300 (10.3) Blackwell, each with its CUDA family', async () => {
    const cases: Array<[string, string, string]> = [
      ['NVIDIA Jetson T5000', '11.0', 'Blackwell (sm_110f family: Jetson Thor), compute capability 11.0'],
      ['NVIDIA GB10', '12.1', 'Blackwell (sm_120f family: RTX PRO Blackwell, GeForce RTX 50, GB10 (DGX Spark)), compute capability 12.1'],
      ['NVIDIA B300 SXM6 AC', '10.3', 'Blackwell (sm_100f family: B200, GB200, B300, GB300), compute capability 10.3'],
    ];
    for (const [name, cc, row] of cases) {
      const run = await runGpuctl(['detect'], smi(renamed(name, cc)));
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout).toContain(`Architecture  ${row}`);
      expect(run.stdout).toContain('Precision: bf16 (BF16 tensor cores (Ampere and later))');
    }
  });

  it('says plainly when gpuctl does not know the compute capability, and that the precision is assumed', async () => {
    const run = await runGpuctl(['detect'], smi(renamed('NVIDIA Future GPU', '13.0')));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('Architecture  unknown to gpuctl, compute capability 13.0');
    expect(run.stdout).toContain(
      'Precision: bf16 (assumed from compute capability 13.0, which gpuctl does not know; `gpuctl bench` measures)',
    );
  });

  it('says when MIG is enabled', async () => {
    const run = await runGpuctl(['detect'], smi('public/split/nvidia-h100-mig__590.48.01/idle.query-gpu.csv'));
    expect(run.stdout).toContain('MIG is enabled');
  });
});

describe('gpuctl detect, topology of a multi-GPU host (2 x H200, NV18)', () => {
  it('puts the pair links, affinities and NVLinks in --json', async () => {
    const run = await runGpuctl(['detect', '--json'], smi('h200-x2/gpus.query-gpu.csv'));
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as DetectResult;
    expect(result.topologyNote).toBeNull();
    expect(result.topology?.links).toEqual([
      { from: 0, to: 1, link: 'NV18', kind: 'nvlink', nvlinks: 18 },
      { from: 1, to: 0, link: 'NV18', kind: 'nvlink', nvlinks: 18 },
    ]);
    expect(result.topology?.gpus[1]).toEqual({
      index: 1,
      cpuAffinity: '0-31',
      numaAffinity: '0',
      gpuNumaId: null,
      nvlink: { activeLinks: 18, linkGBs: 26.562, totalGBs: 478.1, generation: 4 },
    });
  });

  it('shows the matrix to people', async () => {
    const run = await runGpuctl(['detect'], smi('h200-x2/gpus.query-gpu.csv'));
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Topology (nvidia-smi topo -m)');
    expect(run.stdout).toMatch(/GPU0\s+X\s+NV18\s+0-31\s+0\s+NVLink 4, 18 x 26.562 GB\/s = 478.1 GB\/s/);
    expect(run.stdout).toMatch(/GPU1\s+NV18\s+X\s+0-31/);
  });
});
