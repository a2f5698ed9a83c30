/** `gpuctl bench` for people, the cluster views: link matrices, collectives, request latency, GPUs side by side. */
import type { Style } from '../ui/style.js';
import { renderTable } from '../ui/table.js';
import { COLLECTIVES, collectivePoint } from './collectives.js';
import { sig } from './format.js';
import type { KernelName } from './kernel-names.js';
import { latencyStats } from './latency-stats.js';
import type { Outlier, SpreadRow } from './outlier.js';
import type { BenchResult } from './report.js';

export const CLUSTER_VIEW_SUITES = ['links', 'collectives', 'latency'];

const LINK_KINDS: Array<[KernelName, string]> = [
  ['p2p_ce_uni', 'Peer copy, copy engine, one direction (GB/s; rows: source, columns: destination)'],
  ['p2p_ce_bidir', 'Peer copy, copy engine, both directions at once (GB/s per direction)'],
  ['p2p_sm_uni', 'Peer copy, SM copy kernel writing to the peer, one direction (GB/s)'],
  ['p2p_sm_bidir', 'Peer copy, SM copy kernels both ways at once (GB/s per direction)'],
  ['p2p_latency', 'Peer read latency, pointer chase (us per dependent load)'],
];

function pairOf(r: BenchResult, kind: string): [number, number] | null {
  const m = new RegExp(`^${kind}_(\\d+)_(\\d+)$`).exec(r.name);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export function renderLinks(results: readonly BenchResult[], style: Style): string {
  const links = results.filter((r) => r.suite === 'links');
  const parts: string[] = [];
  for (const [kind, title] of LINK_KINDS) {
    const cells = new Map<string, string>();
    const gpus = new Set<number>();
    for (const r of links) {
      const pair = pairOf(r, kind);
      if (!pair) continue;
      pair.forEach((g) => gpus.add(g));
      cells.set(pair.join('>'), sig(r.value));
    }
    if (cells.size === 0) continue;
    const ids = [...gpus].sort((a, b) => a - b);
    const rows = ids.map((a) => [`GPU${a}`, ...ids.map((b) => (a === b ? '–' : (cells.get(`${a}>${b}`) ?? '?')))]);
    parts.push(`${style.bold(title)}\n${renderTable(['', ...ids.map((b) => `GPU${b}`)], rows)}`);
  }
  const h2d = links.filter((r) => /^h2d_numa_\d+$/.test(r.name));
  if (h2d.length) {
    const rows = h2d.map((r) => [`GPU${r.name.slice('h2d_numa_'.length)}`, `${sig(r.value)} GB/s`, r.extra?.numaNode !== undefined && r.extra.numaNode >= 0 ? String(r.extra.numaNode) : 'n/a']);
    parts.push(`${style.bold('Host to device, pinned memory on the GPU’s own NUMA node')}\n${renderTable(['GPU', 'H2D', 'NUMA node'], rows)}`);
  }
  return parts.join('\n');
}

const SIZE = (bytes: number) => (bytes >= 2 ** 30 ? `${bytes / 2 ** 30} GiB` : bytes >= 2 ** 20 ? `${bytes / 2 ** 20} MiB` : bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`);

export function renderCollectives(results: readonly BenchResult[], style: Style): string {
  const points = results.map(collectivePoint).filter((p) => p !== null);
  if (points.length === 0) return '';
  const ops = COLLECTIVES.filter((op) => points.some((p) => p.op === op));
  // One row per message size of the first operation; the others' sizes can differ slightly where the
  // message is split over the ranks (rounded to a multiple of 4 B x ranks), so the nearest is shown.
  const sizes = [...new Set(points.filter((p) => p.op === ops[0]).map((p) => p.bytes))].sort((a, b) => a - b);
  const near = (op: string, bytes: number) => points.find((p) => p.op === op && Math.abs(p.bytes - bytes) / bytes < 0.5);
  const rows = sizes.map((b) => [
    SIZE(b),
    ...ops.map((op) => {
      const p = near(op, b);
      return p ? `${sig(p.busbw)} (${sig(p.algbw)})` : '–';
    }),
  ]);
  const ranks = points[0]!.ranks;
  const title = `NCCL collectives on ${ranks} GPUs: busbw (algbw), GB/s, as nccl-tests defines them`;
  return `${style.bold(title)}\n${renderTable(['Size', ...ops], rows)}`;
}

export function renderLatency(results: readonly BenchResult[], style: Style, gpuLabel = ''): string {
  const lat = results.filter((r) => r.suite === 'latency');
  if (lat.length === 0) return '';
  const us = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : sig(v));
  const rows = lat.map((r) => {
    const s = latencyStats(r.samplesMs);
    const cpuP50 = r.cpu ? r.cpu.medianMs * 1000 : undefined;
    const first = s && cpuP50 !== undefined ? (s.p50Us <= cpuP50 ? 'GPU' : 'CPU') : '–';
    const [, request, launch] = /^lat_(.+)_(stream|graph|cpu1|cpuall)$/.exec(r.name) ?? [r.name, r.name, ''];
    return [request, launch, us(s?.p50Us), us(s?.p95Us), us(s?.p99Us), us(s?.p999Us), us(s?.maxUs), us(cpuP50), us(r.extra?.cpuP99Us), first];
  });
  const title = `Request latency${gpuLabel}: host wall clock per request, us (${lat[0]!.samplesMs.length} requests; CPU: one thread)`;
  return `${style.bold(title)}\n${renderTable(['Request', 'Launch', 'p50', 'p95', 'p99', 'p99.9', 'max', 'CPU p50', 'CPU p99', 'First (p50)'], rows)}`;
}

export function renderSideBySide(rows: readonly SpreadRow[], gpus: readonly number[], outliers: readonly Outlier[], marginPct: number, style: Style): string {
  const flagged = new Set(outliers.map((o) => `${o.suite}/${o.name}/${o.gpu}`));
  const body = rows.map((row) => [
    `${row.suite}/${row.name}${row.notJudged ? ' †' : ''}`,
    ...gpus.map((g) => {
      const f = row.figures.find((x) => x.gpu === g);
      if (!f) return '–';
      const text = sig(f.value);
      return flagged.has(`${row.suite}/${row.name}/${g}`) ? style.red(`${text} ✗`) : text;
    }),
    row.unit,
    row.spreadPct === null ? '–' : `${row.spreadPct.toFixed(1)}%`,
  ]);
  let text = renderTable(['Kernel', ...gpus.map((g) => `GPU${g}`), 'Unit', 'Spread'], body);
  const notJudged = [...new Set(rows.flatMap((r) => (r.notJudged ? [r.notJudged] : [])))];
  if (notJudged.length) text += `† ${notJudged.join('; ')}: shown, not judged by --outlier.\n`;
  text += outliers.length
    ? `\n${outliers.map((o) => style.red(`✗ GPU${o.gpu} ${o.suite}/${o.name}: ${o.worsePct.toFixed(1)}% worse than its peers’ median (${sig(o.figure)} vs ${sig(o.peerMedian)}${rows.find((r) => r.suite === o.suite && r.name === o.name)?.higherIsBetter === false ? ' ms' : ''})`)).join('\n')}\n`
    : `\n${style.green(`No GPU more than ${marginPct}% worse than its peers’ median.`)}\n`;
  return text;
}
