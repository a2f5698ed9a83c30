/**
 * The one way gpuctl reads an HTTP answer (health probes, the Prometheus client): one deadline for the
 * whole exchange, headers and body, and a body capped at MAX_BODY_BYTES. A server that streams without
 * end, or trickles, cannot grow gpuctl's memory or outlast the timeout.
 */
import { realClock, type Clock } from './clock.js';

/** 4 MiB: far above any health or Prometheus answer gpuctl asks for. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface BoundedRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: URLSearchParams | string;
  redirect?: 'follow' | 'manual' | 'error';
  /** The whole exchange: connecting, the headers and the last byte of the body. */
  timeoutMs: number;
  /** Ctrl-C: its reason is thrown as it is, so callers can tell it from a timeout. */
  signal?: AbortSignal | undefined;
  limitBytes?: number;
  /** Whose time the deadline is counted in: the caller's ctx.clock (a test's fake), else the real one. */
  clock?: Clock;
}

export interface BoundedResponse {
  status: number;
  ok: boolean;
  body: string;
}

/** The exchange took longer than timeoutMs (name 'TimeoutError', as AbortSignal.timeout's). */
export class HttpTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs / 1000} s`);
  }
}

/** The body went past the cap; reading stopped there. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the answer is larger than ${mib(limitBytes)}, the most gpuctl reads`);
  }
}

const mib = (bytes: number) => (bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`);

export async function fetchBounded(url: string | URL, request: BoundedRequest): Promise<BoundedResponse> {
  const limit = request.limitBytes ?? MAX_BODY_BYTES;
  const deadline = new AbortController();
  const cancelDeadline = (request.clock ?? realClock).after(request.timeoutMs, () =>
    deadline.abort(new HttpTimeoutError(request.timeoutMs)),
  );
  const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
  // The reader may be mid-read when the deadline passes: it is cancelled, so the read ends at once.
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const stop = () => void reader?.cancel().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    const response = await fetch(url, {
      method: request.method ?? 'GET',
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      redirect: request.redirect ?? 'follow',
      signal,
    });
    reader = response.body?.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    while (reader) {
      const { done, value } = await reader.read();
      if (signal.aborted) break;
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        stop();
        throw new BodyTooLargeError(limit);
      }
      chunks.push(value);
    }
    if (signal.aborted) throw signal.reason;
    return { status: response.status, ok: response.ok, body: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    // Whatever fetch made of an abort (an AbortError, a TypeError wrapping it), the reason is what happened.
    if (request.signal?.aborted) throw request.signal.reason;
    if (deadline.signal.aborted) throw deadline.signal.reason;
    throw error;
  } finally {
    cancelDeadline();
    signal.removeEventListener('abort', stop);
  }
}
