/**
 * Reading the policy's signals from Prometheus: each expression as a range subquery
 * `(<expr>)[<range>s:<step>s]` in one instant query, so one call returns every sample of the
 * longest window. A failed call, an empty answer or several series become a `missing` read with
 * its reason: the decision then takes no metric action. The Prometheus adapter itself is handed in
 * (a MetricSource, wired in commands/autoscale.ts): features do not import each other.
 */
import { FLY_GPU_RETIRED_ON } from '../flyio/gpu-kinds.js';
import type { Policy } from './policy-schema.js';
import type { Read, Samples } from './signals.js';

/** One instant query's answer, as far as autoscale cares. Timestamps in seconds, values as Prometheus writes them. */
export type MatrixAnswer =
  { kind: 'matrix'; series: Array<Array<[number, string]>> } | { kind: 'other'; resultType: string } | { kind: 'failed'; reason: string };
export type MetricSource = (query: string, at: Date) => Promise<MatrixAnswer>;

export const expandQuery = (query: string, app: string): string => query.replace(/\$\{APP_NAME\}|\$APP_NAME\b/g, app);

export function windowQuery(expr: string, rangeMs: number, stepMs: number): string {
  const s = (ms: number) => `${Math.max(1, Math.round(ms / 1000))}s`;
  return `(${expr})[${s(rangeMs)}:${s(stepMs)}]`;
}

export interface SignalQuery {
  name: keyof Samples;
  query: string;
}

/** The queries a policy reads, with the app substituted. */
export function signalQueries(policy: Policy): SignalQuery[] {
  const step = policy.intervalMs;
  const utilRange = Math.max(policy.up.forMs, policy.down.forMs, ((policy.emergency?.samples ?? 1) + 1) * step) + step;
  const list: SignalQuery[] = [{ name: 'utilization', query: windowQuery(expandQuery(policy.metric, policy.app), utilRange, step) }];
  if (policy.errorRate)
    list.push({
      name: 'errorRate',
      query: windowQuery(expandQuery(policy.errorRate.query, policy.app), policy.errorRate.forMs + step, step),
    });
  if (policy.latency)
    list.push({ name: 'latency', query: windowQuery(expandQuery(policy.latency.query, policy.app), policy.latency.forMs + step, step) });
  return list;
}

/** The agent's GPU series (dcgm-exporter's names): only a machine with a GPU has them. */
const GPU_SERIES = /\bDCGM_FI_/;
const NO_GPU_SERIES = `: DCGM_FI_* series come from gpuctl agent on a machine with a GPU, and Fly.io retired GPU Machines on ${FLY_GPU_RETIRED_ON}, so a CPU layout has none; scale on another signal ([metric] query, e.g. the application's request rate or CPU)`;

export async function readSignal(source: MetricSource, query: string, at: Date): Promise<Read> {
  const answer = await source(query, at);
  if (answer.kind === 'failed') return { kind: 'missing', reason: answer.reason, failed: true };
  if (answer.kind === 'other') return { kind: 'missing', reason: `expected samples (a matrix), got a ${answer.resultType}` };
  if (answer.series.length === 0)
    return { kind: 'missing', reason: `the query returned no series${GPU_SERIES.test(query) ? NO_GPU_SERIES : ''}` };
  if (answer.series.length > 1)
    return { kind: 'missing', reason: `the query returned ${answer.series.length} series: aggregate it to one, e.g. avg(...)` };
  const points = answer.series[0]!.map(([t, v]) => ({ ageMs: Math.max(0, at.getTime() - t * 1000), value: Number.parseFloat(v) }));
  return { kind: 'ok', points };
}

/** All signals, read in parallel at the same instant (Prometheus's present, not GPUCTL_NOW). */
export async function readSamples(policy: Policy, source: MetricSource, at: Date): Promise<{ samples: Samples; queries: SignalQuery[] }> {
  const queries = signalQueries(policy);
  const reads = await Promise.all(queries.map((q) => readSignal(source, q.query, at)));
  const samples: Samples = { utilization: reads[0]! };
  queries.forEach((q, i) => {
    if (i > 0) samples[q.name] = reads[i]!;
  });
  return { samples, queries };
}
