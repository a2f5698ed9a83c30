/**
 * The REAL Prometheus server for tests (Debian's `prometheus` package, /usr/bin/prometheus): a
 * generated config scraping the given targets every second, a temp data dir, loopback only.
 * `startPrometheus` waits until /-/ready answers; `stop` always ends it (SIGTERM, then SIGKILL)
 * and removes its files. A missing binary is an error that says how to install it.
 */
import { startDaemon } from './daemon.js';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { onPath } from './cli.js';

export interface PromServer {
  url: string;
  stop(): Promise<void>;
  /** Instant query through the HTTP API (for waiting and checking, not the code under test). */
  query(q: string): Promise<Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }>>;
  /** Polls `q` until `ready(result)` holds, or fails after `timeoutMs` with the last answer. */
  waitFor(q: string, ready: (result: Awaited<ReturnType<PromServer['query']>>) => boolean, timeoutMs?: number): Promise<void>;
}

export const INSTALL_HINT = 'apt-get install -y prometheus';

export function findPrometheus(): string {
  const candidates = [
    process.env.PROMETHEUS_BIN,
    ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'prometheus')),
    '/usr/bin/prometheus',
  ];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found)
    throw new Error(
      `This test needs the real Prometheus server, which is not installed: run \`${INSTALL_HINT}\` (Debian), or set PROMETHEUS_BIN.`,
    );
  return found;
}

/** The real promtool (Debian's prometheus package ships it): $PROMTOOL_BIN's directory, PATH, /usr/bin; an error saying how to install it. */
export function findPromtool(): string {
  const dirs = [process.env.PROMTOOL_BIN ? dirname(process.env.PROMTOOL_BIN) : '', process.env.PATH ?? '', '/usr/bin'];
  const found = onPath('promtool', dirs.filter(Boolean).join(delimiter));
  if (!found) throw new Error(`This test needs the real promtool, which is not installed: run \`${INSTALL_HINT}\` (Debian).`);
  return found;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Target {
  address: string;
  labels?: Record<string, string>;
}

function config(targets: readonly Target[], ruleFile?: string, alertmanager?: string): string {
  const groups = targets.map((t) => `      - targets: ['${t.address}']\n        labels: ${JSON.stringify(t.labels ?? {})}`).join('\n');
  const rules = ruleFile === undefined ? '' : `rule_files:\n  - ${JSON.stringify(ruleFile)}\n`;
  const alerting =
    alertmanager === undefined
      ? ''
      : `alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: [${JSON.stringify(alertmanager)}]\n`;
  return `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n  evaluation_interval: 1s\n${rules}${alerting}scrape_configs:\n  - job_name: gpu\n    static_configs:\n${groups}\n`;
}

/**
 * `rules`: the text of a rule file Prometheus evaluates every second (alerts then show in /api/v1/alerts);
 * `alertmanager`: host:port of an Alertmanager Prometheus sends its alerts to.
 */
export async function startPrometheus(
  targets: readonly Target[],
  options: { rules?: string; alertmanager?: string } = {},
): Promise<PromServer> {
  const bin = findPrometheus();
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-prom-'));
  if (options.rules !== undefined) writeFileSync(join(dir, 'rules.yml'), options.rules);
  writeFileSync(
    join(dir, 'prometheus.yml'),
    config(targets, options.rules === undefined ? undefined : join(dir, 'rules.yml'), options.alertmanager),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const stop = await startDaemon(
    'prometheus',
    bin,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    dir,
    new URL('-/ready', url).href,
  );
  const query: PromServer['query'] = async (q) => {
    const r = await fetch(new URL('api/v1/query', url), { method: 'POST', body: new URLSearchParams({ query: q }) });
    const json = (await r.json()) as { data?: { result?: unknown } };
    return (Array.isArray(json.data?.result) ? json.data.result : []) as Awaited<ReturnType<PromServer['query']>>;
  };
  const server: PromServer = {
    url,
    stop,
    query,
    waitFor: async (q, ready, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      while (Date.now() < deadline) {
        last = await query(q).catch((e: unknown) => String(e));
        if (Array.isArray(last) && ready(last as Awaited<ReturnType<PromServer['query']>>)) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`Prometheus: ${q} not ready after ${timeoutMs} ms; last answer ${JSON.stringify(last).slice(0, 400)}`);
    },
  };
  return server;
}
