/**
 * fetchBounded on a port fetch refuses (the Fetch standard's bad ports: 6000, 10080, …): Node's fetch fails those
 * with a bare "bad port" while curl reaches the server, so `gpuctl health --url http://127.0.0.1:6000` (a
 * `flyctl proxy 6000:8080`) said "request failed: bad port". A real loopback server on such a port.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchBounded, fetchRefusesPort } from '../../../src/shared/http-read.js';

// Unprivileged ports on the list; the first free one is used.
const BAD_PORTS = [10080, 6679, 6697, 6665, 6666, 6667, 6668, 6669, 6566, 6000, 5060, 5061, 4190, 4045, 3659];

let server: Server;
let port = 0;
let lastRequest = { method: '', body: '', type: '' };
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      lastRequest = { method: req.method ?? '', body, type: req.headers['content-type'] ?? '' };
      if (req.url === '/big') {
        res.writeHead(200);
        res.end(Buffer.alloc(2048, 'x'));
        return;
      }
      res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    });
  });
  for (const candidate of BAD_PORTS) {
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(candidate, '127.0.0.1', () => resolve(true));
    });
    if (bound) {
      port = candidate;
      break;
    }
  }
  if (port === 0) throw new Error(`none of the ports ${BAD_PORTS.join(', ')} is free on 127.0.0.1`);
});
afterAll(async () => {
  if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('fetchBounded on a port fetch refuses', () => {
  it('is one of fetch’s bad ports (plain fetch fails it), so the test tests the fallback', async () => {
    expect(fetchRefusesPort(new URL(`http://127.0.0.1:${port}/`))).toBe(true);
    expect(fetchRefusesPort(new URL('http://127.0.0.1:8080/'))).toBe(false);
    expect(fetchRefusesPort(new URL('http://127.0.0.1/'))).toBe(false);
    const plain = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => 'answered',
      (error: Error) => (error.cause as Error | undefined)?.message,
    );
    expect(plain).toBe('bad port');
  });

  it('reads the answer through node:http: status, ok and body', async () => {
    const response = await fetchBounded(`http://127.0.0.1:${port}/health`, { timeoutMs: 5000 });
    expect(response).toEqual({ status: 200, ok: true, body: '{"status":"ok"}' });
    const missing = await fetchBounded(`http://127.0.0.1:${port}/gpu-health`, { timeoutMs: 5000 });
    expect(missing).toEqual({ status: 404, ok: false, body: '{"status":"ok"}' });
  });

  it('sends the method, headers and body (the Prometheus client’s POST) and keeps the size cap', async () => {
    const body = new URLSearchParams({ query: 'up' });
    await fetchBounded(`http://127.0.0.1:${port}/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      timeoutMs: 5000,
    });
    expect(lastRequest).toEqual({ method: 'POST', body: 'query=up', type: 'application/x-www-form-urlencoded' });
    await expect(fetchBounded(`http://127.0.0.1:${port}/big`, { timeoutMs: 5000, limitBytes: 1024 })).rejects.toThrow(
      'the answer is larger than 1024 bytes, the most gpuctl reads',
    );
  });
});
