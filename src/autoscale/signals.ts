/**
 * Metric samples as the decision sees them: for each signal, the points of one series with their
 * age (milliseconds before the read), or the reason there are none. Ages, not timestamps, so the
 * decision's clock (GPUCTL_NOW for schedules) never has to agree with Prometheus's.
 */
export interface Point {
  ageMs: number;
  value: number;
}

/** failed: Prometheus could not answer (unreachable, an error status, a rejected query), as against a healthy one with no data. */
export type Read = { kind: 'ok'; points: Point[] } | { kind: 'missing'; reason: string; failed?: true };

export interface Samples {
  utilization: Read;
  errorRate?: Read;
  latency?: Read;
}

export type Verdict =
  | { kind: 'holds'; detail: string }
  | { kind: 'not'; detail: string }
  /** Too little data to say: never a reason to act. */
  | { kind: 'unknown'; detail: string };

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(3));
const secs = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`);

function windowPoints(read: Read, forMs: number, stepMs: number): { points: Point[] } | { unknown: string } {
  if (read.kind === 'missing') return { unknown: read.reason };
  const points = read.points.filter((p) => Number.isFinite(p.value)).sort((a, b) => a.ageMs - b.ageMs);
  const newest = points[0];
  if (!newest || newest.ageMs > 2 * stepMs) return { unknown: `no sample in the last ${secs(2 * stepMs)}` };
  const inside = points.filter((p) => p.ageMs < forMs);
  const need = Math.max(1, Math.floor(forMs / stepMs));
  if (inside.length < need) return { unknown: `${inside.length} of ${need} samples in the last ${secs(forMs)}` };
  return { points: inside };
}

/** Did every sample of the last `forMs` pass the test? */
export function sustained(read: Read, forMs: number, stepMs: number, test: (v: number) => boolean, words: string): Verdict {
  const w = windowPoints(read, forMs, stepMs);
  if ('unknown' in w) return { kind: 'unknown', detail: w.unknown };
  const values = w.points.map((p) => p.value);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const range = lo === hi ? fmt(lo) : `${fmt(lo)}-${fmt(hi)}`;
  return values.every(test)
    ? { kind: 'holds', detail: `${words} for ${secs(forMs)} (${range})` }
    : { kind: 'not', detail: `not ${words} for ${secs(forMs)} (${range})` };
}

/** Were the newest `n` consecutive samples all above the threshold? */
export function lastAbove(read: Read, n: number, above: number, stepMs: number): Verdict {
  if (read.kind === 'missing') return { kind: 'unknown', detail: read.reason };
  const points = read.points
    .filter((p) => Number.isFinite(p.value))
    .sort((a, b) => a.ageMs - b.ageMs)
    .slice(0, n);
  if (points.length < n || points[0]!.ageMs > 2 * stepMs || points.at(-1)!.ageMs > (n + 1) * stepMs) {
    return { kind: 'unknown', detail: `fewer than ${n} recent samples` };
  }
  const values = points.map((p) => fmt(p.value)).join(', ');
  return points.every((p) => p.value > above)
    ? { kind: 'holds', detail: `last ${n} samples above ${fmt(above)} (${values})` }
    : { kind: 'not', detail: `last ${n} samples not all above ${fmt(above)} (${values})` };
}

export const latest = (read: Read): number | null => {
  if (read.kind === 'missing') return null;
  const sorted = read.points.filter((p) => Number.isFinite(p.value)).sort((a, b) => a.ageMs - b.ageMs);
  return sorted[0]?.value ?? null;
};
