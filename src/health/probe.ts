/**
 * HTTP probes of an app's /health and /gpu-health through its public hostname (or --url), with
 * the shared bounded read (shared/http-read.ts): one timeout per request, headers and body, and a capped body. No token is ever sent: these are the app's own endpoints.
 */
import type { Clock } from '../shared/clock.js';
import { fetchBounded } from '../shared/http-read.js';
import { conditionLine, readGpuHealthBody, type FailedCondition } from './gpu-body.js';

export interface ProbeResult {
  path: string;
  url: string;
  status: number | null;
  latencyMs: number | null;
  /** ok: 2xx; absent: 404 on an optional endpoint; failed: anything else. */
  verdict: 'ok' | 'absent' | 'failed';
  detail: string;
  /** /gpu-health: every failed condition its JSON body names (empty when it names none or is not JSON). */
  conditions?: FailedCondition[];
}

export const PROBES: ReadonlyArray<{ path: string; optional: boolean }> = [
  { path: '/health', optional: false },
  { path: '/gpu-health', optional: true },
];

/**
 * What to probe: at --url both endpoints; through the public hostname only /health, which reaches the
 * application's port (the agent's /gpu-health is on the private metrics port: Fly's gpu check reads it).
 */
export function probesFor(url: string | undefined): ReadonlyArray<{ path: string; optional: boolean }> {
  return url ? PROBES : PROBES.filter((p) => p.path !== '/gpu-health');
}

export function probeUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** Pure: what a response means; a JSON body's failed conditions are each named (the agent's /gpu-health). */
export function judge(status: number, body: string, optional: boolean): Pick<ProbeResult, 'verdict' | 'detail' | 'conditions'> {
  const parsed = readGpuHealthBody(body);
  if (parsed && parsed.failed.length > 0) {
    const lines = parsed.failed.map(conditionLine);
    const verdict = status >= 200 && status < 300 && !/^fail/i.test(parsed.status ?? '') ? 'ok' : 'failed';
    return {
      verdict,
      detail: `HTTP ${status}: ${parsed.failed.length} failed condition${parsed.failed.length === 1 ? '' : 's'}: ${lines.join('; ')}`,
      conditions: parsed.failed,
    };
  }
  const snippet = body.replace(/\s+/g, ' ').trim().slice(0, 120);
  if (status >= 200 && status < 300) return { verdict: 'ok', detail: `${status}${snippet ? ` ${snippet}` : ''}` };
  if (status === 404 && optional) return { verdict: 'absent', detail: '404: the app does not serve it' };
  return { verdict: 'failed', detail: `HTTP ${status}${snippet ? `: ${snippet}` : ''}` };
}

export async function probe(
  base: string,
  path: string,
  optional: boolean,
  timeoutMs: number,
  signal: AbortSignal,
  clock: Clock,
): Promise<ProbeResult> {
  const url = probeUrl(base, path);
  const started = clock.monotonic();
  try {
    const response = await fetchBounded(url, { signal, timeoutMs, redirect: 'manual', clock });
    return {
      path,
      url,
      status: response.status,
      latencyMs: Math.round(clock.monotonic() - started),
      ...judge(response.status, response.body, optional),
    };
  } catch (error) {
    if (signal.aborted) throw error;
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    const detail =
      error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : `request failed: ${cause}`;
    return { path, url, status: null, latencyMs: null, verdict: 'failed', detail };
  }
}
