/** nvidia-smi topo -m and nvlink --status parsing, on real captures of 2, 4 and 8 GPU hosts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkBetween, linkKind, parseNvlinkStatus, parseTopoMatrix, withNvlink, type Topology } from '../../../src/gpu/topology.js';
import { FIXTURES } from '../../helpers/cli.js';

const read = (file: string) => readFileSync(join(FIXTURES, 'nvidia-smi', file), 'utf8');
function topo(file: string): Topology {
  const parsed = parseTopoMatrix(read(`topology/${file}`));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.topology;
}

describe('parseTopoMatrix', () => {
  it('2 x H200 (ours): NV18 both ways, ANSI underline in the header ignored, GPU NUMA ID N/A → null', () => {
    const t = topo('h200-x2.topo-m.txt');
    expect(t.gpus.map((g) => [g.index, g.cpuAffinity, g.numaAffinity, g.gpuNumaId])).toEqual([
      [0, '0-31', '0', null],
      [1, '0-31', '0', null],
    ]);
    expect(t.links).toEqual([
      { from: 0, to: 1, link: 'NV18', kind: 'nvlink', nvlinks: 18 },
      { from: 1, to: 0, link: 'NV18', kind: 'nvlink', nvlinks: 18 },
    ]);
    expect(t.nics).toEqual([]);
  });

  it('4 x H200 (ours, the lent nvidia-h200-x4 machine): NV18 between every pair, one NUMA node', () => {
    const t = topo('h200-x4.topo-m.txt');
    expect(t.gpus.map((g) => [g.index, g.cpuAffinity, g.numaAffinity, g.gpuNumaId])).toEqual(
      [0, 1, 2, 3].map((i) => [i, '0-63', '0', null]),
    );
    expect(t.links).toHaveLength(12);
    expect(t.links.every((l) => l.link === 'NV18' && l.nvlinks === 18)).toBe(true);
  });

  it('8 x A100 SXM4 (AWS p4d.24xlarge, public): 56 ordered NV12 pairs, two NUMA nodes', () => {
    const t = topo('a100-sxm4-x8-p4d.topo-m.txt');
    expect(t.gpus).toHaveLength(8);
    expect(t.links).toHaveLength(56);
    expect(new Set(t.links.map((l) => l.link))).toEqual(new Set(['NV12']));
    expect(t.gpus.map((g) => g.numaAffinity)).toEqual(['0', '0', '0', '0', '1', '1', '1', '1']);
    expect(t.gpus[5]?.cpuAffinity).toBe('24-47,72-95');
  });

  it('8 GPUs in a hybrid cube mesh (public): NV1, NV2 and PCIe NODE pairs, no GPU NUMA ID column', () => {
    const t = topo('nvlink-hybrid-mesh-x8.topo-m.txt');
    expect(linkBetween(t, 0, 1)).toMatchObject({ link: 'NV2', nvlinks: 2 });
    expect(linkBetween(t, 0, 2)).toMatchObject({ link: 'NV1', nvlinks: 1 });
    expect(linkBetween(t, 0, 4)).toMatchObject({ link: 'NODE', kind: 'NODE', nvlinks: null });
    expect(linkBetween(t, 7, 6)).toMatchObject({ link: 'NV2' });
    // symmetric, as the hardware is
    for (const l of t.links) expect(linkBetween(t, l.to, l.from)?.link).toBe(l.link);
    expect(t.gpus.every((g) => g.gpuNumaId === null && g.numaAffinity === '0')).toBe(true);
  });

  it('4 x NV18 with empty CPU affinity cells (public): the NUMA column is still read', () => {
    const t = topo('nv18-x4-partial-affinity.topo-m.txt');
    expect(t.gpus.map((g) => [g.cpuAffinity, g.numaAffinity])).toEqual([
      ['44-51,148-155', '0'],
      [null, '1'],
      [null, '1'],
      [null, '1'],
    ]);
    expect(t.links).toHaveLength(12);
  });

  it('reads NIC rows and columns, and space-separated output', () => {
    const text = [
      '        GPU0    GPU1    mlx5_0  CPU Affinity    NUMA Affinity',
      'GPU0     X      NV12    NODE    0-31            0',
      'GPU1    NV12     X      SYS     32-63           1',
      'mlx5_0  NODE    SYS      X',
      '',
      'Legend:',
    ].join('\n');
    const parsed = parseTopoMatrix(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.topology.nics).toEqual([{ name: 'mlx5_0', links: ['NODE', 'SYS'] }]);
    expect(parsed.topology.gpus[1]).toMatchObject({ cpuAffinity: '32-63', numaAffinity: '1' });
  });

  it('rejects garbage and short rows with a reason', () => {
    expect(parseTopoMatrix('<html>502</html>')).toEqual({ ok: false, reason: 'no header line naming GPU0' });
    expect(parseTopoMatrix('\tGPU0\tGPU1\tCPU Affinity\nGPU0\t X \n')).toEqual({
      ok: false,
      reason: 'the row of GPU0 is missing or short',
    });
  });

  it('classifies every link name nvidia-smi prints', () => {
    expect(['NV4', 'PIX', 'PXB', 'PHB', 'NODE', 'SYS', 'SOC', 'PSB', '???'].map((c) => linkKind(c).kind)).toEqual([
      'nvlink',
      'PIX',
      'PXB',
      'PHB',
      'NODE',
      'SYS',
      'SYS',
      'PXB',
      'unknown',
    ]);
  });
});

describe('parseNvlinkStatus + withNvlink', () => {
  it('2 x H200: 18 active links of 26.562 GB/s each, NVLink 4 (Hopper)', () => {
    const status = parseNvlinkStatus(read('h200-x2/nvlink-status.txt'));
    expect(status.get(0)).toHaveLength(18);
    const t = withNvlink(topo('h200-x2.topo-m.txt'), status, () => 'Hopper');
    expect(t.gpus[0]?.nvlink).toEqual({ activeLinks: 18, linkGBs: 26.562, totalGBs: 478.1, generation: 4 });
  });

  it('inactive links are not counted; no architecture → generation null', () => {
    const status = parseNvlinkStatus(
      'GPU 0: X (UUID: a)\n\t Link 0: <inactive>\n\t Link 1: 25 GB/s\nGPU 1: X (UUID: b)\n\t Link 0: <inactive>\n',
    );
    const t = withNvlink(topo('h200-x2.topo-m.txt'), status, () => null);
    expect(t.gpus.map((g) => g.nvlink)).toEqual([
      { activeLinks: 1, linkGBs: 25, totalGBs: 25, generation: null },
      { activeLinks: 0, linkGBs: null, totalGBs: null, generation: null },
    ]);
  });
});
