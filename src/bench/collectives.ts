/**
 * NCCL collective bandwidths exactly as nccl-tests defines them (doc/PERFORMANCE.md): algbw = S / t with S
 * the whole message in bytes (for all-gather and reduce-scatter: per-rank count x type size x ranks), and
 * busbw = algbw x a factor that makes the figure comparable with the hardware's link bandwidth whatever the
 * number of ranks n: all-reduce 2(n-1)/n, all-gather and reduce-scatter (n-1)/n, broadcast and reduce 1.
 */
import type { KernelName } from './kernel-names.js';

export const COLLECTIVES = ['all_reduce', 'all_gather', 'reduce_scatter', 'broadcast'] as const satisfies readonly KernelName[];
export type Collective = (typeof COLLECTIVES)[number];

export function busFactor(op: Collective, ranks: number): number {
  if (!Number.isInteger(ranks) || ranks < 1) throw new RangeError(`ranks must be a whole number >= 1, got ${ranks}`);
  switch (op) {
    case 'all_reduce':
      return (2 * (ranks - 1)) / ranks;
    case 'all_gather':
    case 'reduce_scatter':
      return (ranks - 1) / ranks;
    case 'broadcast':
      return 1;
  }
}

/** GB/s (10^9 bytes per second) for a message of `bytes` that took `ms` milliseconds. */
export function algbw(bytes: number, ms: number): number {
  return ms > 0 ? bytes / (ms * 1e-3) / 1e9 : Number.NaN;
}

export interface CollectivePoint {
  op: Collective;
  bytes: number;
  ranks: number;
  ms: number;
  algbw: number;
  busbw: number;
}

/** A collectives result line ("all_reduce_1048576", size {bytes, ranks}, medianMs) → its bandwidths; null if not one. */
export function collectivePoint(r: { suite: string; name: string; size: Record<string, number>; medianMs: number }): CollectivePoint | null {
  if (r.suite !== 'collectives') return null;
  const op = COLLECTIVES.find((c) => r.name.startsWith(`${c}_`));
  // The exact size is in the name ("all_reduce_1073741824"); size.bytes is a JSON number printed to
  // 9 significant digits by the program (1073741820).
  const fromName = /_(\d+)$/.exec(r.name);
  const bytes = fromName ? Number(fromName[1]) : r.size.bytes;
  const ranks = r.size.ranks;
  if (!op || bytes === undefined || ranks === undefined) return null;
  const a = algbw(bytes, r.medianMs);
  return { op, bytes, ranks, ms: r.medianMs, algbw: a, busbw: a * busFactor(op, ranks) };
}
