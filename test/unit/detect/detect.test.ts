/**
 * detect, decided: which nvidia-smi answers describe GPUs (with their profile, Fly kind and CUDA version), when
 * the topology is probed, and what a machine without a GPU gets. nvidia-smi is faked at ctx.exec; the 2-GPU
 * topology is the recorded H200 pair (test/fixtures/nvidia-smi/h200-x2).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeGpus, detect } from '../../../src/detect/detect.js';
import { MissingError } from '../../../src/errors.js';
import { parseQuery, queryArgs, type SmiGpu } from '../../../src/gpu/nvidia-smi.js';
import { exited, makeTestCtx, type ExecRule } from '../../helpers/ctx.js';

const H200X2 = join(import.meta.dirname, '../../fixtures/nvidia-smi/h200-x2');
const line = (index: number, name: string, cc: string, driver = '580.159.04') =>
  `${index}, ${name}, GPU-${index}, 00000000:0${6 + index}:00.0, 97871, 0, ${cc}, ${driver}, 500.00, 1755, 2619, Disabled, Enabled, Enabled`;
const gpus = (...lines: string[]): SmiGpu[] => {
  const parsed = parseQuery(`${lines.join('\n')}\n`);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.gpus;
};
const smi = (stdout: string): ExecRule[] => [
  { match: ['nvidia-smi', ...queryArgs()], result: exited(stdout) },
  { match: ['nvidia-smi', 'topo', '-m'], result: exited(readFileSync(join(H200X2, 'topo-m.txt'), 'utf8')) },
  { match: ['nvidia-smi', 'nvlink', '--status'], result: exited(readFileSync(join(H200X2, 'nvlink-status.txt'), 'utf8')) },
];
const absent: ExecRule[] = [{ match: () => true, result: { kind: 'not-found', file: 'nvidia-smi' } }];

describe('describeGpus', () => {
  it('a catalogue GPU gets its profile and Fly kind and no derived profile; an unknown one a derived profile', () => {
    const [l40s, h20] = describeGpus(gpus(line(0, 'NVIDIA L40S', '8.9'), line(1, 'NVIDIA H20', '9.0'))).gpus;
    expect(l40s).toMatchObject({ profile: { id: 'l40s' }, derivedProfile: null, fly: { kind: 'l40s', status: 'retired' } });
    expect(h20).toMatchObject({ profile: null, derivedProfile: { architecture: 'Hopper', derived: true }, fly: null });
  });

  it('takes the driver from the first GPU that reports one, and says how the CUDA version was found', () => {
    const d = describeGpus(gpus(line(0, 'NVIDIA H200', '9.0', '[N/A]'), line(1, 'NVIDIA H200', '9.0', '580.159.04')));
    expect(d).toMatchObject({ driverVersion: '580.159.04', cudaVersion: '13.0', cudaVersionSource: 'driver-branch' });
    // A branch past the newest in the table supports at least its CUDA; a driver it cannot read, none.
    expect(describeGpus(gpus(line(0, 'NVIDIA H200', '9.0', '610.10'))).cudaVersionSource).toBe('driver-branch-at-least');
    expect(describeGpus(gpus(line(0, 'NVIDIA H200', '9.0', '[N/A]')))).toMatchObject({ cudaVersion: null, cudaVersionSource: null });
  });
});

describe('detect', () => {
  it('probes the topology on a host with two GPUs, with the NVLink generation of a GPU known only by its capability', async () => {
    const ctx = makeTestCtx({ rules: smi(`${line(0, 'NVIDIA H20', '9.0')}\n${line(1, 'NVIDIA H20', '9.0')}\n`) });
    const result = await detect(ctx, { requireGpu: false });
    expect(result.source).toBe('nvidia-smi');
    expect(result.topology?.gpus.map((g) => g.nvlink?.generation)).toEqual([4, 4]);
  });

  it('gives each GPU the NVLink generation of its own architecture on a host with two bridged pairs of different GPUs', async () => {
    // A workstation: two Quadro GV100 (Volta, not in the catalogue) on a 2-link bridge, two RTX A6000 (Ampere) on a 4-link one.
    const matrix = [
      '\tGPU0\tGPU1\tGPU2\tGPU3\tCPU Affinity\tNUMA Affinity\tGPU NUMA ID',
      'GPU0\t X \tNV2\tSYS\tSYS\t0-15\t0\t\tN/A',
      'GPU1\tNV2\t X \tSYS\tSYS\t0-15\t0\t\tN/A',
      'GPU2\tSYS\tSYS\t X \tNV4\t16-31\t1\t\tN/A',
      'GPU3\tSYS\tSYS\tNV4\t X \t16-31\t1\t\tN/A',
      '',
    ].join('\n');
    const links = (gpu: number, name: string, count: number, speed: string) =>
      [`GPU ${gpu}: ${name} (UUID: GPU-${gpu})`, ...Array.from({ length: count }, (_, i) => `\t Link ${i}: ${speed} GB/s`)].join('\n');
    const status = [
      links(0, 'Quadro GV100', 2, '25'),
      links(1, 'Quadro GV100', 2, '25'),
      links(2, 'NVIDIA RTX A6000', 4, '14.062'),
      links(3, 'NVIDIA RTX A6000', 4, '14.062'),
    ];
    const query = [
      line(0, 'Quadro GV100', '7.0'),
      line(1, 'Quadro GV100', '7.0'),
      line(2, 'NVIDIA RTX A6000', '8.6'),
      line(3, 'NVIDIA RTX A6000', '8.6'),
    ];
    const ctx = makeTestCtx({
      rules: [
        { match: ['nvidia-smi', ...queryArgs()], result: exited(`${query.join('\n')}\n`) },
        { match: ['nvidia-smi', 'topo', '-m'], result: exited(matrix) },
        { match: ['nvidia-smi', 'nvlink', '--status'], result: exited(`${status.join('\n')}\n`) },
      ],
    });
    const result = await detect(ctx, { requireGpu: false });
    expect(result.topologyNote).toBeNull();
    expect(result.topology?.gpus.map((g) => [g.index, g.nvlink?.activeLinks, g.nvlink?.generation])).toEqual([
      [0, 2, 2],
      [1, 2, 2],
      [2, 4, 3],
      [3, 4, 3],
    ]);
  });

  it('does not probe the topology of a single GPU', async () => {
    const ctx = makeTestCtx({ rules: smi(`${line(0, 'NVIDIA H200', '9.0')}\n`) });
    expect(await detect(ctx, { requireGpu: false })).toMatchObject({ topology: null, topologyNote: null, host: null });
    expect(ctx.calls.map((c) => c.args[0])).toEqual([queryArgs()[0]]);
  });

  it('without nvidia-smi: describes the host, or with --require-gpu fails as a missing device with the caller’s hint', async () => {
    const result = await detect(makeTestCtx({ rules: absent }), { requireGpu: false });
    expect(result).toMatchObject({ source: 'systeminformation', gpus: [], driverVersion: null });
    expect(result.host?.logicalCores).toBeGreaterThan(0);
    const failure = await detect(makeTestCtx({ rules: absent }), { requireGpu: true }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MissingError);
    expect(failure).toMatchObject({ code: 'device_missing', message: 'No NVIDIA GPU found: nvidia-smi is not on PATH.' });
    const hinted = await detect(makeTestCtx({ rules: absent }), { requireGpu: true, noGpuHint: 'Run it on the GPU machine.' }).catch(
      (e: unknown) => e,
    );
    expect(hinted).toMatchObject({ hint: 'Run it on the GPU machine.' });
  });
});
