/**
 * The one place autocannon runs (a library: no process starts). It sends the load, feeds every
 * response and error to a Recorder, and always stops: at the end of the duration (autocannon's own
 * timer), at a hard deadline a little after it (should autocannon not stop), or on Ctrl-C (the ctx
 * signal), after which the partial result is returned as interrupted.
 */
import type { Instance, Options } from 'autocannon';
import { Recorder, type LoadSummary } from './stats.js';
import type { Clock } from '../shared/clock.js';

export interface LoadRequest {
  url: string;
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  durationS: number;
  connections: number;
  /** Requests per second over all connections; null: as fast as the connections go (fixed concurrency). */
  rate: number | null;
  timeoutS: number;
}

export interface LoadOutcome {
  interrupted: boolean;
  summary: LoadSummary;
}

/** Seconds past the duration after which the run is stopped whatever autocannon does. */
export const HARD_STOP_GRACE_S = 5;

export async function runLoad(request: LoadRequest, signal: AbortSignal, clock: Clock): Promise<LoadOutcome> {
  const autocannon = (await import('autocannon')).default;
  const recorder = new Recorder();
  const options: Options = {
    url: request.url,
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
    duration: request.durationS,
    connections: request.connections,
    ...(request.rate !== null ? { overallRate: request.rate } : {}),
    timeout: request.timeoutS,
  };
  let interrupted = false;
  const started = clock.monotonic();
  return new Promise<LoadOutcome>((resolve, reject) => {
    const stop = () => instance.stop();
    const onAbort = () => {
      interrupted = true;
      stop();
    };
    const cancelHard = clock.after((request.durationS + request.timeoutS + HARD_STOP_GRACE_S) * 1000, stop);
    const finish = (error: Error | null, measuredS: number | undefined) => {
      cancelHard();
      signal.removeEventListener('abort', onAbort);
      if (error) return reject(error);
      // autocannon's own run time (first request to last tick); ours only if it gives none.
      resolve({ interrupted, summary: recorder.summary(measuredS && measuredS > 0 ? measuredS : (clock.monotonic() - started) / 1000) });
    };
    const instance: Instance = autocannon(options, (error: unknown, result: unknown) =>
      finish(
        error instanceof Error ? error : error ? new Error(JSON.stringify(error)) : null,
        (result as { duration?: number } | undefined)?.duration,
      ),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => recorder.response(statusCode, responseTime));
    instance.on('reqError', (error: Error & { code?: unknown }) =>
      recorder.error(/timed out/i.test(error.message), typeof error.code === 'string' ? error.code : error.message),
    );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
