/**
 * Every HTTP answer gpuctl reads is bounded (shared/http-read.ts): a body past 4 MiB is refused with the cap
 * in the message, and the timeout covers the whole exchange, so a server that streams without end, or
 * trickles a byte at a time, cannot hold gpuctl or grow its memory. Real loopback servers, real processes.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantQuery } from '../../src/prometheus/client.js';
import { deployedWorld } from './fly-world.js';

const chunk = Buffer.alloc(64 * 1024, 'x');
const open = new Set<ServerResponse>();
/** /endless: 200 and 64 KiB chunks as fast as the socket takes them; /trickle: one byte every 100 ms. */
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    res.writeHead(req.url?.startsWith('/trickle') ? 503 : 200, { 'content-type': 'application/json' });
    if (req.url?.startsWith('/trickle')) {
      const timer = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(timer));
      return;
    }
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('bounded HTTP bodies', () => {
  it('gpuctl health: an endless body is refused at 4 MiB, naming the cap', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['health', '--url', `${base}/endless`, '--timeout', '2s']);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stdout + run.stderr).toContain('larger than 4 MiB, the most gpuctl reads');
  });

  it('gpuctl health: a body that trickles ends at the timeout, headers and body together', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['health', '--url', `${base}/trickle`, '--timeout', '2s']);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stdout + run.stderr).toContain('no answer within 2 s');
  });

  it('the Prometheus client: an endless body is a bad response naming the cap; a trickle times out', async () => {
    const endless = await instantQuery({ baseUrl: `${base}/endless/`, timeoutMs: 5000 }, 'up');
    expect(endless).toEqual({ kind: 'bad-response', message: 'the answer is larger than 4 MiB, the most gpuctl reads' });
    const started = performance.now();
    const trickle = await instantQuery({ baseUrl: `${base}/trickle/`, timeoutMs: 1000 }, 'up');
    expect(trickle).toEqual({ kind: 'timeout', timeoutMs: 1000 });
    expect(performance.now() - started).toBeLessThan(4000);
  });
});
