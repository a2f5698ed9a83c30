/**
 * The one way gpuctl reads an HTTP answer (health probes, the Prometheus client): one deadline for the
 * whole exchange, headers and body, and a body capped at MAX_BODY_BYTES. A server that streams without
 * end, or trickles, cannot grow gpuctl's memory or outlast the timeout.
 */
import { realClock, type Clock } from './clock.js';

/** 4 MiB: far above any health or Prometheus answer gpuctl asks for. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface BoundedRequest {
  /** GET or POST for gpuctl's own requests; smoke sends what a fly.toml check names. */
  method?: string;
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
  /**
   * An https URL's certificate check, as a fly.toml check names it: `verify` false is tls_skip_verify; `serverName` the
   * name to verify (and send as SNI). Given, the request goes through node:https (fetch has no per-request TLS options).
   */
  tls?: { verify: boolean; serverName?: string | undefined };
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

/** The URL without credentials (user and password), for messages, reports and step summaries. */
export function showUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return String(url);
  }
}

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
    const target = new URL(url);
    if ((request.tls && target.protocol === 'https:') || fetchRefusesPort(target)) return await viaNode(target, request, limit, signal);
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

/**
 * The ports fetch refuses to connect to (the Fetch standard's "bad port" list; Node's fetch fails them with a bare
 * "bad port"). A health endpoint, an agent behind `flyctl proxy 6000:9091` or a Prometheus may listen on one, and
 * curl reaches it: such a URL is read through node:http(s) instead.
 */
const FETCH_BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
  119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
  989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

export function fetchRefusesPort(url: URL): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.port !== '' && FETCH_BAD_PORTS.has(Number(url.port));
}

/**
 * The same exchange over node:http or node:https (with the caller's certificate check, if any); never follows a
 * redirect. For smoke's https checks with TLS options, and for the ports fetch refuses.
 */
async function viaNode(url: URL, request: BoundedRequest, limit: number, signal: AbortSignal): Promise<BoundedResponse> {
  const tls = url.protocol === 'https:' ? request.tls : undefined;
  // Loaded here: node:https (tls, crypto) and node:http are for these cases only, not every command's start.
  const { request: nodeRequest } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = nodeRequest(
      url,
      {
        method: request.method ?? 'GET',
        headers: request.headers ?? {},
        ...(tls ? { rejectUnauthorized: tls.verify } : {}),
        ...(tls?.serverName !== undefined ? { servername: tls.serverName } : {}),
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          total += chunk.byteLength;
          if (total > limit) {
            req.destroy();
            reject(new BodyTooLargeError(limit));
          } else chunks.push(chunk);
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve({ status, ok: status >= 200 && status < 300, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
        res.on('close', () => res.complete || reject(new Error('the connection closed before the answer ended')));
      },
    );
    req.on('error', reject);
    req.end(request.body === undefined ? undefined : String(request.body));
  });
}
