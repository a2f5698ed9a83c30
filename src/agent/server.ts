/**
 * The agent's HTTP server: /health (up), /gpu-health (200 or 503 with every failed condition),
 * /metrics (Prometheus text). Handlers read what the sampler already holds; none waits on nvidia-smi.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { jsonLine } from '../ui/output.js';
import type { GpuHealth } from './health.js';

export interface AgentRoutes {
  health(): GpuHealth;
  metrics(): Promise<{ contentType: string; body: string }>;
  /** GPUCTL_AGENT_TOKEN: when set, /metrics wants `Authorization: Bearer <token>` (never logged or echoed). */
  token?: string;
}

/**
 * Compares digests so neither the token's length nor its content leaks through timing. The credentials are
 * everything after "Bearer ", inner spaces included: a token with a space (a Fly macaroon "FlyV1 fm2_…")
 * must be able to match.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ \t]+(\S(?:.*\S)?)[ \t]*$/i.exec(header ?? '');
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return m?.[1] !== undefined && timingSafeEqual(digest(m[1]), digest(token));
}

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(head ? undefined : body);
}

/** Bodies are ui/output.ts's NDJSON records: compact, and DEL and the C1 controls escaped like every gpuctl JSON (curl on a terminal). */
const json = jsonLine;

export async function handle(routes: AgentRoutes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, 405, 'application/json', json({ error: 'only GET and HEAD' }), false);
  }
  const path = (req.url ?? '/').split('?')[0];
  switch (path) {
    case '/health':
      return send(res, 200, 'application/json', json({ status: 'ok' }), head);
    case '/gpu-health': {
      const health = routes.health();
      return send(res, health.status === 'ok' ? 200 : 503, 'application/json', json(health), head);
    }
    case '/metrics': {
      if (routes.token !== undefined && !bearerMatches(req.headers.authorization, routes.token)) {
        res.setHeader('www-authenticate', 'Bearer realm="gpuctl-agent"');
        return send(res, 401, 'application/json', json({ error: '/metrics needs Authorization: Bearer <GPUCTL_AGENT_TOKEN>' }), head);
      }
      const { contentType, body } = await routes.metrics();
      return send(res, 200, contentType, body, head);
    }
    default:
      return send(res, 404, 'application/json', json({ error: `no ${path}; try /health, /gpu-health or /metrics` }), head);
  }
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Listens; resolves once bound (port 0 picks a free one), rejects with the bind error. */
export function listen(routes: AgentRoutes, host: string, port: number): Promise<RunningServer> {
  const server = createServer((req, res) => {
    handle(routes, req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, 'application/json', json({ error: error instanceof Error ? error.message : String(error) }), false);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        server,
        url: `http://${shown}:${address.port}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
