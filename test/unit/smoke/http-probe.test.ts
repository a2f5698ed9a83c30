/**
 * One attempt of a fly.toml HTTP check against real loopback servers: the request goes out as written (method, path,
 * headers), 2xx passes and a redirect is not followed (as Fly), an answer that never comes ends at the check's
 * timeout, and https verifies the certificate unless tls_skip_verify says not to. The self-signed certificate is made
 * here with openssl (Debian's openssl package).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlyToml } from '../../../src/flyio/fly-toml.js';
import { flyProbes } from '../../../src/smoke/fly-checks.js';
import { attemptProbe } from '../../../src/smoke/probe.js';
import { makeTestCtx } from '../../helpers/ctx.js';

const probe = (checks: string) => {
  const parsed = parseFlyToml(`[[services]]\n  internal_port = 8080\n[[services.http_checks]]\n${checks}`);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return flyProbes(parsed.doc, null)[0]!;
};

const chunk = Buffer.alloc(64 * 1024, 'x');
const seen: IncomingMessage[] = [];
const servers: Server[] = [];
const start = async (server: Server): Promise<number> => {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
const answer = (req: IncomingMessage, res: ServerResponse) => {
  seen.push(req);
  if (req.url === '/moved') return void res.writeHead(302, { location: '/ok' }).end();
  if (req.url === '/never') return; // no answer at all
  if (req.url === '/endless') {
    res.writeHead(200);
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    return pump();
  }
  if (req.url === '/trickle') {
    res.writeHead(200);
    const timer = setInterval(() => res.write(' '), 100);
    return void res.on('close', () => clearInterval(timer));
  }
  res.writeHead(req.url === '/empty' ? 204 : 200).end('ok');
};

let http = 0;
let https = 0;
beforeAll(async () => {
  http = await start(createServer(answer));
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-smoke-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'k'),
        '-out',
        join(dir, 'c'),
      ],
      { stdio: 'ignore', timeout: 30_000 },
    );
  } catch (error) {
    throw new Error(`openssl is missing or failed (${(error as Error).message}): install the Debian package openssl.`);
  }
  https = await start(createTlsServer({ key: readFileSync(join(dir, 'k')), cert: readFileSync(join(dir, 'c')) }, answer));
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

describe('an HTTP check, one attempt', () => {
  const ctx = makeTestCtx();

  it('sends the method, path and headers as written; 2xx passes', async () => {
    const p = probe(
      "  method = 'post'\n  path = '/empty'\n  [services.http_checks.headers]\n    X-Forwarded-Proto = 'https'\n    Authorization = 'Bearer t'\n",
    );
    expect(await attemptProbe(ctx, p, http)).toEqual({ ok: true, said: 'HTTP 204' });
    const req = seen.at(-1)!;
    expect([req.method, req.url, req.headers['x-forwarded-proto'], req.headers.authorization]).toEqual([
      'POST',
      '/empty',
      'https',
      'Bearer t',
    ]);
  });

  it('a redirect is not followed: it fails, as on Fly', async () => {
    expect(await attemptProbe(ctx, probe("  path = '/moved'\n"), http)).toEqual({ ok: false, said: 'HTTP 302' });
    expect(seen.at(-1)!.url).toBe('/moved');
  });

  it("an answer that never comes ends at the check's timeout", async () => {
    expect(await attemptProbe(ctx, probe("  path = '/never'\n  timeout = '1s'\n"), http)).toEqual({
      ok: false,
      said: 'no answer (no complete answer within 1 s)',
    });
  });

  it('https: a self-signed certificate fails verification, naming why; tls_skip_verify passes it', async () => {
    const verified = await attemptProbe(ctx, probe("  protocol = 'https'\n  path = '/ok'\n"), https);
    expect(verified.ok).toBe(false);
    expect(verified.said).toMatch(/^no answer \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_ALTNAME_INVALID)\)$/);
    const skipped = probe("  protocol = 'https'\n  path = '/ok'\n  tls_skip_verify = true\n  method = 'head'\n");
    expect(await attemptProbe(ctx, skipped, https)).toEqual({ ok: true, said: 'HTTP 200' });
    expect([seen.at(-1)!.method, seen.at(-1)!.url]).toEqual(['HEAD', '/ok']);
  });

  it('https bodies stay bounded: an endless one is refused at the cap, a trickle ends at the timeout', async () => {
    const skip = (path: string) => probe(`  protocol = 'https'\n  tls_skip_verify = true\n  path = '${path}'\n  timeout = '1s'\n`);
    expect(await attemptProbe(ctx, skip('/endless'), https)).toEqual({
      ok: false,
      said: 'no answer (the answer is larger than 4 MiB, the most gpuctl reads)',
    });
    expect(await attemptProbe(ctx, skip('/trickle'), https)).toEqual({ ok: false, said: 'no answer (no complete answer within 1 s)' });
  });
});
