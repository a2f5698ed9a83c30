/**
 * A TCP connect check, the way Fly's tcp_checks pass: a connection accepted within the timeout. One thing more:
 * a connection the peer closes or resets at once without a byte fails. That is what a port forwarder (docker-proxy,
 * rootlessport) does when nothing listens behind it, and it must not read as a listening application. A
 * server that speaks first (a banner) passes as soon as its first byte arrives; a silent one after `holdMs`.
 */
import { connect } from 'node:net';
import { realClock, type Clock } from './clock.js';

export interface TcpConnectRequest {
  /** The whole check: connecting, then the hold. */
  timeoutMs: number;
  /** How long an accepted connection must stay open (or speak) to count; default 250 ms. */
  holdMs?: number;
  /** Ctrl-C: its reason is thrown as it is. */
  signal?: AbortSignal | undefined;
  clock?: Clock;
}

export type TcpConnectResult = { ok: true; said: string } | { ok: false; said: string };

export function tcpConnect(host: string, port: number, request: TcpConnectRequest): Promise<TcpConnectResult> {
  const clock = request.clock ?? realClock;
  const aborted = (): Error => (request.signal?.reason instanceof Error ? request.signal.reason : new Error('aborted'));
  if (request.signal?.aborted) return Promise.reject(aborted());
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const cancels: Array<() => void> = [];
    const end = (settle: () => void) => {
      cancels.forEach((cancel) => cancel());
      request.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      settle();
    };
    const onAbort = () => end(() => reject(aborted()));
    request.signal?.addEventListener('abort', onAbort, { once: true });
    cancels.push(
      clock.after(request.timeoutMs, () => end(() => resolve({ ok: false, said: `no connection within ${request.timeoutMs / 1000} s` }))),
    );
    // The hold is the network's own time, so it runs on the real clock even when a test's fake one holds the deadline.
    socket.once('connect', () => {
      cancels.push(realClock.after(request.holdMs ?? 250, () => end(() => resolve({ ok: true, said: 'connection accepted' }))));
    });
    socket.once('data', () => end(() => resolve({ ok: true, said: 'connection accepted (the server spoke first)' })));
    socket.once('end', () =>
      end(() =>
        resolve({ ok: false, said: 'connection closed at once without a byte (a port forwarder with nothing listening behind it?)' }),
      ),
    );
    socket.once('error', (error: NodeJS.ErrnoException) =>
      end(() =>
        resolve({
          ok: false,
          said: error.code === 'ECONNREFUSED' ? 'connection refused' : `connection failed: ${error.code ?? error.message}`,
        }),
      ),
    );
  });
}
