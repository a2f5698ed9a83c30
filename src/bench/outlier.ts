/**
 * Several GPUs, one suite each: the figures side by side, their spread, and the outlier rule behind
 * `--outlier PCT`: a GPU whose figure is more than PCT% worse than the median of its peers (the other
 * chosen GPUs) is named. "Worse" is lower for rates (GB/s, TFLOP/s …) and a longer median time for
 * latencies (unit us or ms). Kernels that measure the host (host-bound.ts: pageable copies) are shown
 * side by side but never name a GPU. Pure: tested on made-up and recorded figures.
 */
import { hostBound } from './host-bound.js';
import { median } from './stats.js';

export interface GpuFigure {
  gpu: number;
  value: number;
  medianMs: number;
}

export interface SpreadRow {
  suite: string;
  name: string;
  unit: string;
  higherIsBetter: boolean;
  figures: GpuFigure[];
  /** (max - min) / median of the values, in percent. */
  spreadPct: number | null;
  /** Why the outlier rule does not judge this kernel (it measures the host), else null. */
  notJudged: string | null;
}

export interface Outlier {
  gpu: number;
  suite: string;
  name: string;
  /** The compared figure: value for rates, median time (ms) for latencies. */
  figure: number;
  peerMedian: number;
  /** How much worse than the peers' median, in percent. */
  worsePct: number;
}

interface ResultLike {
  suite: string;
  name: string;
  unit: string;
  value: number;
  medianMs: number;
  higherIsBetter: boolean;
}

export function spreadRows(perGpu: ReadonlyArray<{ gpu: number; results: readonly ResultLike[] }>): SpreadRow[] {
  const rows = new Map<string, SpreadRow>();
  for (const { gpu, results } of perGpu) {
    for (const r of results) {
      const key = `${r.suite}/${r.name}`;
      const row = rows.get(key) ?? { suite: r.suite, name: r.name, unit: r.unit, higherIsBetter: r.higherIsBetter, figures: [], spreadPct: null, notJudged: hostBound(r.suite, r.name) };
      row.figures.push({ gpu, value: r.value, medianMs: r.medianMs });
      rows.set(key, row);
    }
  }
  for (const row of rows.values()) {
    const values = row.figures.map((f) => f.value);
    const mid = median(values);
    row.spreadPct = values.length > 1 && mid > 0 ? ((Math.max(...values) - Math.min(...values)) / mid) * 100 : null;
  }
  return [...rows.values()];
}

export function findOutliers(rows: readonly SpreadRow[], marginPct: number): Outlier[] {
  const out: Outlier[] = [];
  for (const row of rows) {
    if (row.figures.length < 2 || row.notJudged) continue;
    const metric = (f: GpuFigure) => (row.higherIsBetter ? f.value : f.medianMs);
    for (const f of row.figures) {
      const peers = row.figures.filter((p) => p.gpu !== f.gpu).map(metric);
      const peerMedian = median(peers);
      if (!(peerMedian > 0)) continue;
      const worsePct = row.higherIsBetter ? ((peerMedian - metric(f)) / peerMedian) * 100 : ((metric(f) - peerMedian) / peerMedian) * 100;
      if (worsePct > marginPct) out.push({ gpu: f.gpu, suite: row.suite, name: row.name, figure: metric(f), peerMedian, worsePct });
    }
  }
  return out;
}
