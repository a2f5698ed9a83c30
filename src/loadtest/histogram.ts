/**
 * Latencies in a fixed-precision histogram, so a long run at a high rate needs kilobytes, not one
 * number per request. Values are microseconds: exact below 1024 µs, then 512 sub-buckets per power
 * of two (relative error under 0.2%). Percentiles are nearest-rank, reported as the bucket's upper
 * edge (never better than measured) and never above the largest value seen. Pure.
 */
const EXACT = 1024;
const SUB = 512;
const SUB_BITS = 9;

function bucketOf(us: number): number {
  const v = Math.max(0, Math.floor(us));
  if (v < EXACT) return v;
  const exp = Math.floor(Math.log2(v));
  const sub = Math.floor(v / 2 ** (exp - SUB_BITS)) - SUB;
  return EXACT + (exp - 10) * SUB + sub;
}

/** The largest microsecond value a bucket holds. */
function upperEdge(bucket: number): number {
  if (bucket < EXACT) return bucket;
  const exp = Math.floor((bucket - EXACT) / SUB) + 10;
  const sub = (bucket - EXACT) % SUB;
  return (SUB + sub + 1) * 2 ** (exp - SUB_BITS) - 1;
}

export class Histogram {
  private readonly counts = new Map<number, number>();
  private total = 0;
  private sumUs = 0;
  private maxUs = 0;

  /** Records one latency in milliseconds. */
  record(ms: number): void {
    const us = ms * 1000;
    if (!Number.isFinite(us) || us < 0) return;
    const b = bucketOf(us);
    this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
    this.total += 1;
    this.sumUs += us;
    this.maxUs = Math.max(this.maxUs, us);
  }

  get count(): number {
    return this.total;
  }

  /** Nearest-rank percentile (q in 0..100) in milliseconds; null when empty. */
  percentile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil((q / 100) * this.total));
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket) ?? 0;
      if (seen >= rank) return Math.min(upperEdge(bucket) + 1, this.maxUs) / 1000;
    }
    return this.maxUs / 1000;
  }

  meanMs(): number | null {
    return this.total === 0 ? null : this.sumUs / this.total / 1000;
  }

  maxMs(): number | null {
    return this.total === 0 ? null : this.maxUs / 1000;
  }
}
