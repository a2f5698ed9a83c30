/**
 * The host's GPU topology, pure half: `nvidia-smi topo -m` (the link between every pair of GPUs, each
 * GPU's CPU and NUMA affinity) and `nvidia-smi nvlink --status` (active NVLinks and their speed) parsed
 * into the `topology` field of `gpuctl detect --json` (docs/topology.md). Tested on real captures of
 * 2, 4 and 8 GPU hosts (test/fixtures/nvidia-smi/topology/).
 */
import { smiValue } from './smi-text.js';

/** How a pair is joined, from the matrix cell: NV# (a bonded set of # NVLinks) or a PCIe path. */
export type LinkKind = 'nvlink' | 'PIX' | 'PXB' | 'PHB' | 'NODE' | 'SYS' | 'unknown';

export interface TopologyLink {
  from: number;
  to: number;
  /** The cell as nvidia-smi prints it: "NV18", "SYS", "PIX" … */
  link: string;
  kind: LinkKind;
  /** Bonded NVLinks for NV#, else null. */
  nvlinks: number | null;
}

export interface NvlinkState {
  activeLinks: number;
  /** Per link and direction, as `nvlink --status` prints it (GB/s); null when no link is active. */
  linkGBs: number | null;
  /** activeLinks x linkGBs. */
  totalGBs: number | null;
  /** NVLink generation from the architecture (Volta 2, Ampere 3, Hopper 4, Blackwell 5); null if unknown. */
  generation: number | null;
}

export interface TopologyGpu {
  index: number;
  /** "0-31,64-95" as printed; null when the cell is empty or N/A. */
  cpuAffinity: string | null;
  numaAffinity: string | null;
  gpuNumaId: string | null;
  nvlink: NvlinkState | null;
}

export interface Topology {
  source: 'nvidia-smi topo -m';
  gpus: TopologyGpu[];
  /** Every ordered pair (i ≠ j), row-major. */
  links: TopologyLink[];
  /** Other devices in the matrix (NICs such as mlx5_0 or NIC0), with their link to each GPU. */
  nics: Array<{ name: string; links: string[] }>;
}

export type TopoParse = { ok: true; topology: Topology } | { ok: false; reason: string };

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'); // the underline nvidia-smi puts on the header
/** An empty or N/A cell (the one rule, gpu/smi-text.ts). */
const NA = smiValue;

export function linkKind(cell: string): { kind: LinkKind; nvlinks: number | null } {
  const v = cell.trim();
  const nv = /^NV(\d+)$/.exec(v);
  if (nv) return { kind: 'nvlink', nvlinks: Number(nv[1]) };
  if (v === 'SOC') return { kind: 'SYS', nvlinks: null }; // the old name of SYS
  if (v === 'PSB') return { kind: 'PXB', nvlinks: null }; // the old name of PXB
  if (['PIX', 'PXB', 'PHB', 'NODE', 'SYS'].includes(v)) return { kind: v as LinkKind, nvlinks: null };
  return { kind: 'unknown', nvlinks: null };
}

const cells = (line: string): string[] => (line.includes('\t') ? line.split('\t') : line.trim().split(/\s{2,}/));

/** `nvidia-smi topo -m` → the GPUs, their pairwise links and affinities. */
export function parseTopoMatrix(text: string): TopoParse {
  const lines = text.replace(ANSI, '').replace(/\r/g, '').split('\n');
  const end = lines.findIndex((l) => /^\s*Legend:/.test(l));
  const body = end < 0 ? lines : lines.slice(0, end);
  const isHeader = (l: string) => /\bGPU0\b/.test(l) && !cells(l).some((c) => c.trim() === 'X');
  const headAt = body.findIndex(isHeader);
  if (headAt < 0) return { ok: false, reason: 'no header line naming GPU0' };
  const head = cells(body[headAt]!).map((c) => c.trim());
  if (head[0] === '') head.shift();
  const affinityAt = head.findIndex((h) => /affinity|NUMA ID/i.test(h));
  const devices = affinityAt < 0 ? head.filter(Boolean) : head.slice(0, affinityAt);
  const hasGpuNumaId = head.some((h) => /GPU NUMA ID/i.test(h));
  const rows = new Map<string, string[]>();
  for (const line of body.slice(headAt + 1)) {
    const row = cells(line);
    const name = row[0]?.trim();
    if (name && devices.includes(name)) rows.set(name, row.slice(1));
  }
  const gpuNames = devices.filter((d) => /^GPU\d+$/.test(d));
  if (gpuNames.length === 0) return { ok: false, reason: 'no GPU columns in the header' };
  const gpus: TopologyGpu[] = [];
  const links: TopologyLink[] = [];
  for (const [i, name] of gpuNames.entries()) {
    const row = rows.get(name);
    if (!row || row.length < devices.length) return { ok: false, reason: `the row of ${name} is missing or short` };
    if (row[devices.indexOf(name)]?.trim() !== 'X') return { ok: false, reason: `${name} is not marked X against itself` };
    const rest = row.slice(devices.length);
    const after = rest
      .slice(1)
      .map((c) => c.trim())
      .filter((c) => c !== '');
    gpus.push({
      index: Number(name.slice(3)),
      cpuAffinity: NA(rest[0]),
      numaAffinity: NA(after[0]),
      gpuNumaId: hasGpuNumaId ? NA(after[1]) : null,
      nvlink: null,
    });
    for (const [j, other] of gpuNames.entries()) {
      if (i === j) continue;
      const cell = row[devices.indexOf(other)]!.trim();
      links.push({ from: Number(name.slice(3)), to: Number(other.slice(3)), link: cell, ...linkKind(cell) });
    }
  }
  const nics = devices
    .filter((d) => !/^GPU\d+$/.test(d))
    .map((d) => ({ name: d, links: gpuNames.map((g) => rows.get(g)?.[devices.indexOf(d)]?.trim() ?? '') }));
  return { ok: true, topology: { source: 'nvidia-smi topo -m', gpus, links, nics } };
}

/** `nvidia-smi nvlink --status` → per GPU index: the speeds of its active links (GB/s). */
export function parseNvlinkStatus(text: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  let gpu: number | null = null;
  for (const line of text.replace(/\r/g, '').split('\n')) {
    const head = /^GPU (\d+):/.exec(line);
    if (head) {
      gpu = Number(head[1]);
      out.set(gpu, []);
      continue;
    }
    const link = /^\s*Link \d+:\s*([\d.]+)\s*GB\/s/.exec(line);
    if (link && gpu !== null) out.get(gpu)!.push(Number(link[1]));
  }
  return out;
}

const GENERATION: Record<string, number> = { Volta: 2, Ampere: 3, Hopper: 4, Blackwell: 5 };

/** NVLink generation from the architecture name; null when it has none or is unknown. */
export function nvlinkGeneration(architecture: string | null | undefined): number | null {
  return architecture ? (GENERATION[architecture] ?? null) : null;
}

/** The matrix with the NVLink state of each GPU (when `nvlink --status` answered). */
export function withNvlink(
  topology: Topology,
  status: Map<number, number[]> | null,
  architectureOf: (gpu: number) => string | null,
): Topology {
  if (!status) return topology;
  const gpus = topology.gpus.map((g) => {
    const speeds = status.get(g.index);
    if (!speeds) return g;
    const linkGBs = speeds.length ? Math.max(...speeds) : null;
    const totalGBs = speeds.length ? Math.round(speeds.reduce((a, b) => a + b, 0) * 10) / 10 : null;
    return {
      ...g,
      nvlink: {
        activeLinks: speeds.length,
        linkGBs,
        totalGBs,
        generation: speeds.length ? nvlinkGeneration(architectureOf(g.index)) : null,
      },
    };
  });
  return { ...topology, gpus };
}

/** The link between two GPUs ("NV18", "SYS" …), or null. */
export function linkBetween(topology: Topology, a: number, b: number): TopologyLink | null {
  return topology.links.find((l) => l.from === a && l.to === b) ?? null;
}
