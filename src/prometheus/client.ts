/**
 * The Prometheus HTTP API adapter: instant queries (`/api/v1/query`), a timeout on every call (the whole
 * exchange) and a capped answer (shared/http-read.ts),
 * outcomes as values. Works against any Prometheus-compatible server, Fly's hosted one included
 * (`https://api.fly.io/prometheus/<org>/`, VictoriaMetrics). The token comes from the environment
 * (GPUCTL_PROMETHEUS_TOKEN, e.g. `fly tokens create readonly`) and only ever goes into the
 * Authorization header: Fly macaroons ("FlyV1 …") as they are, anything else as "Bearer <token>",
 * the way fly-autoscaler sends it (superfly/fly-autoscaler prometheus/prometheus.go).
 */
import { z } from 'zod';
import { BodyTooLargeError, fetchBounded, HttpTimeoutError, showUrl, type BoundedResponse } from '../shared/http-read.js';

export const TOKEN_ENV = 'GPUCTL_PROMETHEUS_TOKEN';
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface PromTarget {
  /** Base URL; the API paths are resolved below it (…/prometheus/<org>/api/v1/query). */
  baseUrl: string;
  token?: string | undefined;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

const sample = z.tuple([z.number(), z.string()]);
const labels = z.record(z.string(), z.string());
const data = z.discriminatedUnion('resultType', [
  z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: labels, value: sample })) }),
  z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric: labels, values: z.array(sample) })) }),
  z.object({ resultType: z.literal('scalar'), result: sample }),
  z.object({ resultType: z.literal('string'), result: sample }),
]);
const body = z.discriminatedUnion('status', [
  z.object({ status: z.literal('success'), data, warnings: z.array(z.string()).optional() }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
]);
export type PromData = z.output<typeof data>;

export type QueryOutcome =
  | { kind: 'ok'; data: PromData; warnings: string[] }
  /** The server ran the query and refused it (bad_data, execution, timeout on its side). */
  | { kind: 'query-error'; errorType: string; message: string }
  | { kind: 'unauthorized'; status: number }
  | { kind: 'http-error'; status: number; message: string }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'unreachable'; message: string }
  | { kind: 'interrupted' }
  | { kind: 'bad-response'; message: string };

export function authorization(token: string | undefined): string | undefined {
  const t = token?.trim();
  if (!t) return undefined;
  return t.startsWith('Fly') ? t : `Bearer ${t}`;
}

export function tokenFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return env[TOKEN_ENV]?.trim() || undefined;
}

export function queryUrl(baseUrl: string): URL {
  return new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
}

/** One instant query at `time` (default: the server's now). POST, form-encoded, as the API allows. */
export async function instantQuery(target: PromTarget, query: string, time?: Date): Promise<QueryOutcome> {
  const form = new URLSearchParams({ query, timeout: `${Math.max(1, Math.floor(target.timeoutMs / 1000))}s` });
  if (time) form.set('time', (time.getTime() / 1000).toFixed(3));
  const auth = authorization(target.token);
  let response: BoundedResponse;
  try {
    response = await fetchBounded(queryUrl(target.baseUrl), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        ...(auth ? { authorization: auth } : {}),
      },
      body: form,
      timeoutMs: target.timeoutMs,
      signal: target.signal,
    });
  } catch (error) {
    if (target.signal?.aborted) return { kind: 'interrupted' };
    if (error instanceof HttpTimeoutError) return { kind: 'timeout', timeoutMs: target.timeoutMs };
    if (error instanceof BodyTooLargeError) return { kind: 'bad-response', message: error.message };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'unreachable', message: cause?.code ?? cause?.message ?? (error as Error).message };
  }
  const text = response.body;
  if (response.status === 401 || response.status === 403) return { kind: 'unauthorized', status: response.status };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    if (!response.ok) return { kind: 'http-error', status: response.status, message: text.trim().split('\n')[0]?.slice(0, 200) ?? '' };
    return { kind: 'bad-response', message: `not JSON: ${text.trim().slice(0, 80)}` };
  }
  const parsed = body.safeParse(json);
  if (!parsed.success) {
    if (!response.ok) return { kind: 'http-error', status: response.status, message: text.trim().slice(0, 200) };
    return { kind: 'bad-response', message: `unexpected shape: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  }
  if (parsed.data.status === 'error') return { kind: 'query-error', errorType: parsed.data.errorType, message: parsed.data.error };
  return { kind: 'ok', data: parsed.data.data, warnings: parsed.data.warnings ?? [] };
}

/** One line for people: what went wrong, never the token. */
export function describeOutcome(outcome: Exclude<QueryOutcome, { kind: 'ok' }>, baseUrl: string): string {
  const where = showUrl(baseUrl);
  switch (outcome.kind) {
    case 'query-error':
      return `Prometheus refused the query (${outcome.errorType}): ${outcome.message}`;
    case 'unauthorized':
      return `Prometheus at ${where} answered ${outcome.status}: set ${TOKEN_ENV} to a read-only token (fly tokens create readonly)`;
    case 'http-error': {
      // 404/405 on /api/v1/query: something else serves that URL (an agent's /metrics, the app itself, a path too many)
      const notProm =
        outcome.status === 404 || outcome.status === 405
          ? ` (is it Prometheus? Its query API is ${where.replace(/\/?$/, '/')}api/v1/query)`
          : '';
      return `Prometheus at ${where} answered HTTP ${outcome.status}${outcome.message ? `: ${outcome.message}` : ''}${notProm}`;
    }
    case 'timeout':
      return `Prometheus at ${where} did not answer within ${outcome.timeoutMs / 1000} s`;
    case 'unreachable':
      return `cannot reach Prometheus at ${where} (${outcome.message})`;
    case 'interrupted':
      return 'interrupted';
    case 'bad-response':
      return `Prometheus at ${where} sent an unreadable answer (${outcome.message})`;
  }
}
