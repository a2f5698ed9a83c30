/**
 * Starts the application fake (test/fakes/http-app/server.mjs: a real HTTP server counting its requests
 * in prom-client's http_requests_total) as its own process on loopback, and drives traffic at it:
 * `traffic(mix)` sends the mix (path → requests per round) every 100 ms until it is changed or stopped.
 * `stop` ends the traffic and the process.
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { listeningUrl } from './listening.js';

export interface HttpApp {
  url: string;
  /** host:port, the scrape target (and so the `instance` label). */
  host: string;
  /** Replaces the traffic mix, e.g. { '/ok': 9, '/fail': 1 }; {} stops it. */
  traffic(mix: Record<string, number>): void;
  /** Requests answered so far, by status. */
  answered: Map<number, number>;
  stop(): Promise<void>;
}

export async function startHttpApp(env: Record<string, string> = {}): Promise<HttpApp> {
  const child = execa(process.execPath, [join(import.meta.dirname, '../fakes/http-app/server.mjs')], {
    reject: false,
    env,
    timeout: 180_000,
  });
  const url = await listeningUrl(child, 'the application fake');
  const answered = new Map<number, number>();
  let mix: Record<string, number> = {};
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const sends = Object.entries(mix).flatMap(([path, n]) =>
      Array.from({ length: n }, () =>
        fetch(`${url}${path}`).then(
          async (r) => {
            await r.arrayBuffer();
            answered.set(r.status, (answered.get(r.status) ?? 0) + 1);
          },
          () => undefined,
        ),
      ),
    );
    void Promise.all(sends).finally(() => (busy = false));
  }, 100);
  return {
    url,
    host: new URL(url).host,
    answered,
    traffic: (next) => void (mix = next),
    stop: async () => {
      clearInterval(timer);
      child.kill('SIGTERM');
      await child;
    },
  };
}
