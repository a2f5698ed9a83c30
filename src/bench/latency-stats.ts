/**
 * Latency percentiles of one request's samples (milliseconds in, microseconds out), nearest-rank as the
 * native program computes them: the p-th percentile of n sorted samples is sample ceil(p/100 x n) (1-based).
 */
export interface LatencyStats {
  count: number;
  p50Us: number;
  p95Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  // (p x n) / 100 less a hair, so that 99.9 x 1000 / 100 (= 999.0000000000001 in binary) ranks 999, not 1000
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p * sorted.length) / 100 - 1e-9)));
  return sorted[rank - 1]!;
}

export function latencyStats(samplesMs: readonly number[]): LatencyStats | null {
  if (samplesMs.length === 0) return null;
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const us = (p: number) => percentile(sorted, p) * 1000;
  return { count: sorted.length, p50Us: us(50), p95Us: us(95), p99Us: us(99), p999Us: us(99.9), maxUs: sorted.at(-1)! * 1000 };
}
