/** `gpuctl detect` for people, multi-GPU hosts: the link matrix, each GPU's affinity and NVLinks. */
import type { Topology } from '../gpu/topology.js';
import type { Style } from '../ui/style.js';
import { renderTable } from '../ui/table.js';

const LEGEND =
  'NV# = # bonded NVLinks · PIX/PXB = through one/several PCIe switches · PHB = through the host bridge · NODE = across host bridges in one NUMA node · SYS = across NUMA nodes';

function nvlinkCell(gpu: Topology['gpus'][number]): string {
  const n = gpu.nvlink;
  if (!n) return 'n/a';
  if (n.activeLinks === 0) return 'none active';
  const gen = n.generation ? `NVLink ${n.generation}, ` : '';
  return `${gen}${n.activeLinks} x ${n.linkGBs} GB/s = ${n.totalGBs} GB/s`;
}

export function renderTopology(topology: Topology | null, note: string | null, style: Style): string {
  if (!topology) return note ? `\n${style.bold('Topology')}: not available (${note}).\n` : '';
  const names = topology.gpus.map((g) => `GPU${g.index}`);
  const rows = topology.gpus.map((g) => {
    const cells = topology.gpus.map((o) =>
      o.index === g.index ? 'X' : (topology.links.find((l) => l.from === g.index && l.to === o.index)?.link ?? '?'),
    );
    const nics = topology.nics.map((nic) => nic.links[topology.gpus.indexOf(g)] ?? '');
    return [`GPU${g.index}`, ...cells, ...nics, g.cpuAffinity ?? 'n/a', g.numaAffinity ?? 'n/a', nvlinkCell(g)];
  });
  const table = renderTable(['', ...names, ...topology.nics.map((n) => n.name), 'CPU affinity', 'NUMA', 'NVLink (per direction)'], rows);
  const lines = [`\n${style.bold('Topology')} (nvidia-smi topo -m)`, table.trimEnd(), style.dim(LEGEND)];
  if (note) lines.push(style.yellow(note));
  return `${lines.join('\n')}\n`;
}
