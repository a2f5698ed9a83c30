import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJson } from '../../../src/flyio/decode.js';
import { statusSchema, type FlyAppStatus } from '../../../src/flyio/schemas.js';
import { assessHealth } from '../../../src/health/assess.js';
import { judge, probe } from '../../../src/health/probe.js';

const decoded = decodeJson(readFileSync(new URL('../../fixtures/flyctl/status.json', import.meta.url), 'utf8'), statusSchema);
if (!decoded.ok) throw new Error(decoded.reason);
const status: FlyAppStatus = decoded.value;
const ok = { path: '/health', url: 'x', status: 200, latencyMs: 3, verdict: 'ok' as const, detail: '200' };

describe('judge', () => {
  it.each([
    [200, '{"ok":true}', false, 'ok'],
    [404, '', true, 'absent'],
    [404, '', false, 'failed'],
    [503, 'loading model', true, 'failed'],
  ] as const)('%i %s optional=%s → %s', (code, body, optional, verdict) => {
    expect(judge(code, body, optional).verdict).toBe(verdict);
  });
});

describe('assessHealth', () => {
  it('healthy: every machine started with passing checks, /health ok', () => {
    const checks = Object.fromEntries(status.machines.map((m) => [m.id, m.checks]));
    expect(assessHealth(status, checks, [ok]).healthy).toBe(true);
  });

  it('takes checks from `checks list` and gives the reason per machine', () => {
    const checks = { e2865641be6d86: [{ name: 'servicecheck-00-http-8080', status: 'critical', output: 'timeout', updatedAt: null }] };
    const health = assessHealth(status, checks, [
      ok,
      { ...ok, path: '/gpu-health', status: 500, verdict: 'failed', detail: 'HTTP 500: no GPU' },
    ]);
    expect(health.healthy).toBe(false);
    expect(health.reasons).toEqual([
      'machine e2865641be6d86 (ord) check servicecheck-00-http-8080 is critical: timeout',
      '/gpu-health: HTTP 500: no GPU',
    ]);
  });
});

describe('probe (a local server on 127.0.0.1)', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/health') return void res.end('{"status":"ok"}');
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
      res.statusCode = 404;
      res.end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const signal = new AbortController().signal;

  it('reads status and body', async () => {
    expect(await probe(base, '/health', false, 2000, signal)).toMatchObject({ status: 200, verdict: 'ok', detail: '200 {"status":"ok"}' });
    expect(await probe(`${base}/`, '/gpu-health', true, 2000, signal)).toMatchObject({ status: 404, verdict: 'absent' });
  });

  it('times out', async () => {
    expect(await probe(base, '/slow', false, 200, signal)).toMatchObject({
      status: null,
      verdict: 'failed',
      detail: 'no answer within 0.2 s',
    });
  });
});
