/**
 * Every GPU of a Fly app read straight from its machines' `gpuctl agent` /metrics (no Prometheus
 * between): for `gpuctl monitor --app APP --agent URL`, e.g. through `flyctl proxy 9400:9091 -a APP` (local 9400 to the agent's 9091, as init sets it up) or Fly's
 * private network. An agent started with GPUCTL_AGENT_TOKEN answers /metrics only to
 * `Authorization: Bearer <token>`: the token goes into that header and nowhere else (never into a
 * message, a URL or a log). One record per agent, in the shape gpu-samples.ts gives monitor.
 */
import { AGENT_METRIC } from '../shared/agent-metrics.js';
import { BodyTooLargeError, fetchBounded, HttpTimeoutError } from '../shared/http-read.js';
import { CPU_FALLBACK_REASON, GPU_FIELDS, sampleAgeReason, type RemoteGpu, type RemoteMachine } from './gpu-samples.js';

export interface AgentTarget {
  /** The agent's base URL (http://host:9400) or its /metrics URL. */
  url: string;
  token?: string | undefined;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** The /metrics URL an --agent value names: a bare base URL gets /metrics. */
export function metricsUrl(url: string): URL {
  const u = new URL(url);
  if (u.pathname === '' || u.pathname === '/') u.pathname = '/metrics';
  return u;
}

const SERIES = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?[ \t]+(\S+)/;
const LABEL = /([A-Za-z_]\w*)="((?:[^"\\]|\\.)*)"/g;
const unescape = (v: string) => v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));

export interface AgentExposition {
  gpus: RemoteGpu[];
  hostname: string | undefined;
  /** gpuctl_agent_last_sample_age_seconds (-1: no sample since the agent started); undefined when not served. */
  sampleAgeSeconds: number | undefined;
  /** gpuctl_agent_info's mode ("gpu", "cpu fallback"). */
  mode: string | undefined;
}

/** The dcgm-exporter GPU series of one agent's exposition text, grouped by GPU index, and the agent's own sampling state. */
export function gpusOfExposition(text: string): AgentExposition {
  const gpus = new Map<number, RemoteGpu>();
  let hostname: string | undefined;
  let sampleAgeSeconds: number | undefined;
  let mode: string | undefined;
  for (const line of text.split('\n')) {
    const m = SERIES.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(LABEL)].map((l) => [l[1]!, unescape(l[2]!)]));
    if (m[1] === AGENT_METRIC.lastSampleAge && Number.isFinite(Number(m[3]))) sampleAgeSeconds = Number(m[3]);
    if (m[1] === AGENT_METRIC.info) mode ??= labels.mode;
    const field = GPU_FIELDS[m[1] as keyof typeof GPU_FIELDS];
    if (!field) continue;
    const index = Number(labels.gpu);
    if (labels.gpu === undefined || !Number.isInteger(index)) continue;
    hostname ??= labels.Hostname;
    let gpu = gpus.get(index);
    if (!gpu) {
      const empty = Object.fromEntries(Object.values(GPU_FIELDS).map((f) => [f, null])) as Record<
        (typeof GPU_FIELDS)[keyof typeof GPU_FIELDS],
        null
      >;
      gpu = { index, name: labels.modelName ?? '', uuid: labels.UUID ?? '', ...empty };
      gpus.set(index, gpu);
    }
    const v = Number(m[3]);
    gpu[field] = Number.isFinite(v) ? v : null;
  }
  return { gpus: [...gpus.values()].sort((a, b) => a.index - b.index), hostname, sampleAgeSeconds, mode };
}

/** Why an agent that answered serves no GPU series: its own series say (no GPU, no sample yet, a sampler failing). */
function noGpusReason(path: string, x: AgentExposition): string {
  if (x.mode === 'cpu fallback') return CPU_FALLBACK_REASON;
  if (x.sampleAgeSeconds !== undefined) return sampleAgeReason(x.sampleAgeSeconds);
  return `${path} serves no GPU series (is it a gpuctl agent on a GPU machine?)`;
}

function failure(error: unknown, target: AgentTarget): string {
  if (error instanceof HttpTimeoutError) return `no answer within ${target.timeoutMs / 1000} s`;
  if (error instanceof BodyTooLargeError) return error.message;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return `unreachable (${cause ?? (error instanceof Error ? error.message : String(error))})`;
}

/**
 * One agent's machine record; an agent that cannot be read is a record with `error`, not a throw. The record's id is
 * the agent's host:port until its series name the host, and `error` is the reason alone: monitor names the machine
 * before it (it printed "127.0.0.1:9400: http://127.0.0.1:9400/metrics is a gpuctl agent …"). A reason about an
 * HTTP answer names the path asked for.
 */
export async function readAgent(target: AgentTarget): Promise<RemoteMachine> {
  const url = metricsUrl(target.url);
  const base = { id: url.host, instance: url.host, gpus: [], processes: [] as never[], ageSeconds: null };
  let response;
  try {
    response = await fetchBounded(url, {
      timeoutMs: target.timeoutMs,
      signal: target.signal,
      redirect: 'error',
      ...(target.token ? { headers: { authorization: `Bearer ${target.token}` } } : {}),
    });
  } catch (error) {
    if (target.signal?.aborted) throw error;
    return { ...base, error: failure(error, target) };
  }
  if (response.status === 401) {
    const why = target.token ? 'refused the token in GPUCTL_AGENT_TOKEN' : 'wants a token: set GPUCTL_AGENT_TOKEN to the agent’s';
    return { ...base, error: `${url.pathname} answered 401: it ${why}` };
  }
  if (!response.ok) return { ...base, error: `${url.pathname} answered HTTP ${response.status}` };
  const exposition = gpusOfExposition(response.body);
  const { gpus, hostname, sampleAgeSeconds: age } = exposition;
  const ageSeconds = age !== undefined && age >= 0 ? Math.round(age * 10) / 10 : null;
  if (gpus.length === 0) return { ...base, ageSeconds, error: noGpusReason(url.pathname, exposition) };
  return { ...base, id: hostname ?? url.host, gpus, ageSeconds: ageSeconds ?? 0 };
}
