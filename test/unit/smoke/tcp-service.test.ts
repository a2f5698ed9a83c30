/**
 * A service with only tcp_checks, against real loopback TCP servers that do not speak HTTP: the connect check
 * passes where the application accepts, and fails on a closed port or a peer that hangs up at once (what a port
 * forwarder with nothing behind it does). The engine is faked at ctx.exec; the sockets are real. On the code
 * before, this service was probed with GET /health and failed against a server that is not HTTP.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpConnect } from '../../../src/shared/tcp-connect.js';
import { runSmoke } from '../../../src/smoke/run.js';
import { fakeClock } from '../../helpers/clock.js';
import { makeTestCtx } from '../../helpers/ctx.js';
import { fakeSmokeEngine, quietSmokeDeps } from '../../helpers/smoke-engine.js';

const servers: Server[] = [];
const sockets: Socket[] = [];
const listen = async (onConnection: (socket: Socket) => void): Promise<number> => {
  const server = createServer((socket) => (sockets.push(socket), onConnection(socket)));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
/** A port that was just listened on and is closed again: nothing accepts there. */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

let silent = 0; // accepts and waits for the client to speak first (as PostgreSQL does)
let banner = 0; // speaks first, a line that is not HTTP, and keeps the connection
let hangsUp = 0; // accepts and closes at once without a byte
beforeAll(async () => {
  silent = await listen(() => undefined);
  banner = await listen((s) => s.write('+OK not http\r\n'));
  hangsUp = await listen((s) => s.end());
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const server of servers) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe('tcpConnect', () => {
  const connect = (port: number) => tcpConnect('127.0.0.1', port, { timeoutMs: 2000, holdMs: 100 });
  it('passes a server that accepts, silent or speaking first', async () => {
    expect(await connect(silent)).toEqual({ ok: true, said: 'connection accepted' });
    expect(await connect(banner)).toEqual({ ok: true, said: 'connection accepted (the server spoke first)' });
  });
  it('fails a closed port and a peer that hangs up at once', async () => {
    expect(await connect(await closedPort())).toEqual({ ok: false, said: 'connection refused' });
    const hungUp = await connect(hangsUp);
    expect(hungUp.ok).toBe(false);
    expect(hungUp.said).toMatch(/^connection closed at once without a byte/);
  });
});

describe('gpuctl smoke on a tcp_checks-only service', () => {
  const smoke = async (hostPort: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-smoke-tcp-'));
    writeFileSync(
      join(dir, 'fly.toml'),
      "app = 'tcp-demo'\n[[services]]\n  internal_port = 6379\n  protocol = 'tcp'\n  [[services.tcp_checks]]\n    timeout = '2s'\n",
    );
    writeFileSync(join(dir, 'Dockerfile'), 'FROM ubuntu:22.04\nUSER app\nCMD ["redis-server"]\n');
    const ctx = makeTestCtx({
      clock: fakeClock({ autoAdvance: true }),
      env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'gpuctl-smoke-state-')) },
      rules: fakeSmokeEngine({
        cmd: '["redis-server"]',
        port: (r) => (r.args[2] === '6379' ? `127.0.0.1:${hostPort}` : ''),
        processes: 'app redis-server',
        exitCode: 0,
      }),
    });
    const deps = quietSmokeDeps();
    return runSmoke(ctx, { dir, engine: 'podman', buildArgs: [], waitTimeoutMs: 3000, keep: false }, deps);
  };

  it('passes against a server that is not HTTP, the evidence saying "tcp connect"', async () => {
    const result = await smoke(banner);
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ['build', 'pass'],
      ['start', 'pass'],
      ['app-health', 'pass'],
      ['user', 'pass'],
      ['build-tools', 'pass'],
      ['stop', 'pass'],
    ]);
    const app = result.checks.find((c) => c.id === 'app-health')!;
    expect(app.title).toBe('application tcp :6379');
    expect(app.evidence).toMatch(
      /^connection accepted \(the server spoke first\) after \d+(\.\d)? s: tcp connect to 6379 \(\[\[services\.tcp_checks\]\]\), timeout 2 s, interval 1 s \(smoke's; fly\.toml names none\);/,
    );
    expect(result.passed).toBe(true);
  });

  it('fails on a closed port within --wait-timeout, saying the connection was refused', async () => {
    const result = await smoke(await closedPort());
    expect(result.passed).toBe(false);
    const last = result.checks.at(-1)!;
    expect([last.id, last.status]).toEqual(['app-health', 'fail']);
    expect(last.evidence).toMatch(/^no connection held within 3 s; last: connection refused; tcp connect to 6379/);
  });
});
