/**
 * Every GPU of a Fly app, read back from Prometheus: the dcgm-exporter series `gpuctl agent` serves
 * (Fly scrapes them into its hosted Prometheus and labels each with `app` and `instance`), in one
 * instant query, grouped into one plain record per machine and GPU. For `gpuctl monitor --app APP
 * --prometheus URL`: the same fields the local view shows, from every machine.
 */
import { describeOutcome, instantQuery, type PromTarget } from './client.js';

/** Metric name → record field. */
export const GPU_FIELDS = {
  DCGM_FI_DEV_GPU_UTIL: 'utilizationPct',
  DCGM_FI_DEV_MEM_COPY_UTIL: 'memoryUtilizationPct',
  DCGM_FI_DEV_FB_USED: 'memoryUsedMiB',
  DCGM_FI_DEV_FB_FREE: 'memoryFreeMiB',
  DCGM_FI_DEV_GPU_TEMP: 'temperatureC',
  DCGM_FI_DEV_POWER_USAGE: 'powerW',
  DCGM_FI_DEV_SM_CLOCK: 'smClockMHz',
  DCGM_FI_DEV_MEM_CLOCK: 'memoryClockMHz',
} as const;
type Field = (typeof GPU_FIELDS)[keyof typeof GPU_FIELDS];

export interface RemoteGpu {
  /** The scrape target (on Fly: the machine id), and the host name the agent reported. */
  instance: string;
  hostname: string;
  region: string | null;
  gpu: number;
  uuid: string | null;
  model: string | null;
  values: Partial<Record<Field, number>>;
  /** Seconds since Prometheus last scraped this GPU's utilisation. */
  ageSeconds: number | null;
}

export type RemoteRead = { kind: 'ok'; gpus: RemoteGpu[] } | { kind: 'failed'; reason: string };

export const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

export function gpuQuery(app: string): string {
  return `{__name__=~"${Object.keys(GPU_FIELDS).join('|')}",app="${escapeLabel(app)}"}`;
}

/** When each GPU's utilisation was last scraped (an instant vector carries the evaluation time, not the sample's). */
export const ageQuery = (app: string) => `timestamp(DCGM_FI_DEV_GPU_UTIL{app="${escapeLabel(app)}"})`;

export async function readAppGpus(target: PromTarget, app: string, at = new Date()): Promise<RemoteRead> {
  const [outcome, stamps] = await Promise.all([instantQuery(target, gpuQuery(app), at), instantQuery(target, ageQuery(app), at)]);
  if (outcome.kind !== 'ok') return { kind: 'failed', reason: describeOutcome(outcome, target.baseUrl) };
  if (outcome.data.resultType !== 'vector') return { kind: 'failed', reason: `expected a vector, got a ${outcome.data.resultType}` };
  const scraped = new Map<string, number>();
  if (stamps.kind === 'ok' && stamps.data.resultType === 'vector') {
    for (const { metric, value } of stamps.data.result)
      scraped.set(`${metric.instance ?? ''}\u0000${Number(metric.gpu)}`, Number.parseFloat(value[1]));
  }
  const byKey = new Map<string, RemoteGpu>();
  for (const { metric, value } of outcome.data.result) {
    const field = GPU_FIELDS[metric.__name__ as keyof typeof GPU_FIELDS];
    const gpu = Number(metric.gpu);
    if (!field || !Number.isInteger(gpu)) continue;
    const instance = metric.instance ?? '';
    const key = `${instance}\u0000${gpu}`;
    let row = byKey.get(key);
    if (!row) {
      const t = scraped.get(key);
      const ageSeconds = t === undefined ? null : Math.max(0, Math.round((at.getTime() / 1000 - t) * 10) / 10);
      row = {
        instance,
        hostname: metric.Hostname ?? instance,
        region: metric.region ?? null,
        gpu,
        uuid: metric.UUID ?? null,
        model: metric.modelName ?? null,
        values: {},
        ageSeconds,
      };
      byKey.set(key, row);
    }
    const v = Number.parseFloat(value[1]);
    if (Number.isFinite(v)) row.values[field] = v;
  }
  const gpus = [...byKey.values()].sort(
    (a, b) => a.hostname.localeCompare(b.hostname) || a.instance.localeCompare(b.instance) || a.gpu - b.gpu,
  );
  return { kind: 'ok', gpus };
}
