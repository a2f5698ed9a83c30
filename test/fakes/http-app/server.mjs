// An application as the error-rate rule expects one (docs/alerts.md): a real HTTP server that counts its
// requests in prom-client's `http_requests_total` and serves them on /metrics (not counted itself), with
// prom-client's default process metrics beside them. /ok answers 200, /missing 404, /fail 500.
// FAKE_APP_STATUS_LABEL names the status label (default `code`, as client_golang's promhttp handlers label it);
// FAKE_APP_STATUS_CLASS=1 writes the class ("5xx") as prometheus-fastapi-instrumentator (and so vLLM) does.
// Listens on 127.0.0.1, a free port, and prints `listening on http://127.0.0.1:PORT`.
import { createServer } from 'node:http';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

const label = process.env.FAKE_APP_STATUS_LABEL || 'code';
const classes = process.env.FAKE_APP_STATUS_CLASS === '1';
const registry = new Registry();
collectDefaultMetrics({ register: registry });
const requests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests handled, by method and status.',
  labelNames: ['method', label],
  registers: [registry],
});
const STATUS = { '/ok': 200, '/missing': 404, '/fail': 500 };

const server = createServer((req, res) => {
  if (req.url === '/metrics') {
    void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
    return;
  }
  const status = STATUS[req.url ?? ''] ?? 404;
  requests.inc({ method: req.method ?? 'GET', [label]: classes ? `${String(status)[0]}xx` : String(status) });
  res.writeHead(status, { 'content-type': 'text/plain' }).end(`${status}\n`);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
