/**
 * What a load run measured: every response and error as they come (Recorder), and the summary of
 * them (requests per second, latency percentiles of the 2xx responses, errors, timeouts, non-2xx).
 * Pure: the adapter feeds it and says how long the run took.
 */
import { Histogram } from './histogram.js';

export const PERCENTILES = [50, 90, 95, 99, 99.9] as const;

/** Distinct error reasons kept per run (a run can fail thousands of requests the same way). */
export const MAX_REASONS = 5;

export interface LatencySummary {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  mean: number;
  max: number;
}

export interface LoadSummary {
  /** Responses received, any status. */
  responses: number;
  ok2xx: number;
  non2xx: number;
  /** Requests that got no response: connection errors and timeouts (timeouts counted in both). */
  errors: number;
  timeouts: number;
  /** Why requests got no response (an error's code, else its message), with their counts; the first few reasons only. */
  errorReasons: Record<string, number>;
  statusCodes: Record<string, number>;
  durationS: number;
  /** Responses per second over the run. */
  rps: number;
  /** Milliseconds, over the 2xx responses (as autocannon counts them); null without one. */
  latencyMs: LatencySummary | null;
}

export class Recorder {
  private readonly latency = new Histogram();
  private readonly codes = new Map<number, number>();
  private readonly reasons = new Map<string, number>();
  private responses = 0;
  private errors = 0;
  private timeouts = 0;

  response(status: number, ms: number): void {
    this.responses += 1;
    this.codes.set(status, (this.codes.get(status) ?? 0) + 1);
    if (status >= 200 && status < 300) this.latency.record(ms);
  }

  /** A request without a response; `reason` (e.g. ECONNREFUSED) is kept for the first MAX_REASONS distinct ones. */
  error(timeout: boolean, reason = 'unknown'): void {
    this.errors += 1;
    if (timeout) this.timeouts += 1;
    const key = reason.slice(0, 120);
    if (this.reasons.has(key) || this.reasons.size < MAX_REASONS) this.reasons.set(key, (this.reasons.get(key) ?? 0) + 1);
  }

  summary(durationS: number): LoadSummary {
    const ok2xx = this.latency.count;
    const h = this.latency;
    const p = (q: number) => h.percentile(q) ?? 0;
    return {
      responses: this.responses,
      ok2xx,
      non2xx: this.responses - ok2xx,
      errors: this.errors,
      timeouts: this.timeouts,
      errorReasons: Object.fromEntries(this.reasons),
      statusCodes: Object.fromEntries([...this.codes.entries()].sort(([a], [b]) => a - b).map(([code, n]) => [String(code), n])),
      durationS,
      rps: durationS > 0 ? this.responses / durationS : 0,
      latencyMs:
        ok2xx === 0 ? null : { p50: p(50), p90: p(90), p95: p(95), p99: p(99), p999: p(99.9), mean: h.meanMs() ?? 0, max: h.maxMs() ?? 0 },
    };
  }
}
