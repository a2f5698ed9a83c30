/**
 * The Grafana dashboard `gpuctl alerts export --grafana` prints (and init writes beside the rules), against
 * the REAL Prometheus scraping the built agent over the fake nvidia-smi (8 H100s) and a fake dmesg holding
 * an XID, and a real HTTP application (test/fakes/http-app, prom-client's http_requests_total with some
 * 500s), with the rules loaded and a diag verdict on disk: every panel's every query, with `$Hostname`
 * as Grafana substitutes it (All is `.*`, then one machine), must parse and return series. Grafana itself
 * is not installed here: the JSON model is checked for what Grafana needs to import it (ids, grid, data source).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, renderAlertRules } from '../../src/alerts/rules.js';
import { runGpuctl } from '../helpers/cli.js';
import { startHttpApp, type HttpApp } from '../helpers/http-app.js';
import { startPrometheus, type PromServer } from '../helpers/prometheus-server.js';
import { startAgent, stopAll } from './agent-helpers.js';

interface Target {
  refId: string;
  expr: string;
  datasource: { uid: string };
}
interface Panel {
  id: number;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: { uid: string };
  targets: Target[];
}
interface Dashboard {
  uid: string;
  templating: { list: Array<{ name: string; type: string; definition?: string; allValue?: string }> };
  panels: Panel[];
}

let prom: PromServer | undefined;
let app: HttpApp | undefined;
afterEach(async () => {
  await prom?.stop();
  prom = undefined;
  await app?.stop();
  app = undefined;
  await stopAll();
});

async function instant(server: PromServer, query: string): Promise<{ status: string; error?: string; series: number }> {
  const r = await fetch(new URL('api/v1/query', server.url), { method: 'POST', body: new URLSearchParams({ query }) });
  const json = (await r.json()) as { status: string; error?: string; data?: { result?: unknown[] } };
  return { status: json.status, error: json.error, series: json.data?.result?.length ?? 0 };
}

describe('the Grafana dashboard', () => {
  it('is a JSON model Grafana can import: unique ids, no overlapping panels, every query on the $datasource variable', async () => {
    const out = await runGpuctl(['alerts', 'export', '--grafana', '--workload', 'inference']);
    expect(out.exitCode, out.stderr).toBe(0);
    const d = JSON.parse(out.stdout) as Dashboard;
    expect(d.uid).toBe('gpuctl-gpus');
    expect(new Set(d.panels.map((p) => p.id)).size).toBe(d.panels.length);
    const cells = new Set<string>();
    for (const p of d.panels)
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x += 1)
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y += 1) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps another panel`).toBe(false);
          cells.add(`${x},${y}`);
        }
    for (const p of d.panels) {
      expect(p.datasource.uid).toBe('${datasource}');
      expect(p.targets.length).toBeGreaterThan(0);
      for (const t of p.targets) expect(t.datasource.uid).toBe('${datasource}');
    }
    expect(d.templating.list.map((v) => v.name)).toEqual(['datasource', 'Hostname']);
  });

  it('answers every panel query with series from a real Prometheus scraping the real agent and a real application', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-dashboard-'));
    writeFileSync(
      join(dir, 'dmesg.txt'),
      readFileSync(join(import.meta.dirname, '../fixtures/dmesg/xid79.txt'), 'utf8').replaceAll('0000:00:06', '0000:18:00'),
    );
    const uuid = 'GPU-b42dd28e-ffdd-8720-1df0-98bd8cdc05b1';
    writeFileSync(
      join(dir, 'diag-last.json'),
      JSON.stringify({ schemaVersion: 1, finishedAt: '2026-12-04T03:00:00Z', level: 'quick', gpus: [{ index: 0, uuid, verdict: 'warn' }] }),
    );
    const agent = await startAgent({
      tools: ['nvidia-smi', 'dmesg'],
      env: { FAKE_DMESG_FILE: join(dir, 'dmesg.txt'), GPUCTL_DIAG_STATE: join(dir, 'diag-last.json') },
      // A loaded GPU at its power cap, with the ECC and repair counters the capture leaves [N/A] reported.
      script: [
        {
          'utilization.gpu': 97,
          'clocks_throttle_reasons.sw_power_cap': 'Active',
          'ecc.errors.uncorrected.volatile.total': 0,
          'remapped_rows.pending': 'No',
          'remapped_rows.failure': 'No',
        },
      ],
    });
    // The application beside it, answering 1 request in 20 with a 500.
    app = await startHttpApp();
    app.traffic({ '/ok': 19, '/fail': 1 });
    const rules = renderAlertRules({ ...DEFAULT_THRESHOLDS, sustained: '3s', soon: '1s' });
    prom = await startPrometheus(
      [
        { address: new URL(agent.url).host, labels: { app: 'dashboard-e2e' } },
        { address: app.host, labels: { app: 'dashboard-e2e', region: 'ord' } },
      ],
      { rules },
    );
    const server = prom;
    const out = await runGpuctl(['alerts', 'export', '--grafana', '--workload', 'inference']);
    const d = JSON.parse(out.stdout) as Dashboard;
    const queries = d.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));
    expect(queries.length).toBeGreaterThanOrEqual(20);
    expect(queries.map((q) => q.panel)).toContain('Application requests answered 5xx');
    const withAll = (expr: string, host = '.*') => expr.replaceAll('$Hostname', host);
    // Wait until every query has data (the first scrapes, the host meter's first interval, the rules' first evaluation).
    await expect
      .poll(
        async () => {
          const empty: string[] = [];
          for (const q of queries) if ((await instant(server, withAll(q.expr))).series === 0) empty.push(`${q.panel}: ${q.expr}`);
          return empty;
        },
        { timeout: 40_000, interval: 1000 },
      )
      .toEqual([]);
    for (const q of queries) {
      const r = await instant(server, withAll(q.expr));
      expect(r, `${q.panel}: ${q.expr}`).toMatchObject({ status: 'success' });
      expect(r.series, `${q.panel}: ${q.expr}`).toBeGreaterThan(0);
    }
    // The Hostname variable's own query, then the GPU panels filtered on the one machine it lists.
    const variable = d.templating.list.find((v) => v.name === 'Hostname')!;
    const metric = /label_values\((\w+), Hostname\)/.exec(variable.definition ?? '')![1]!;
    const values = new URL('api/v1/label/Hostname/values', server.url);
    values.searchParams.set('match[]', metric);
    const hosts = ((await (await fetch(values)).json()) as { data: string[] }).data;
    expect(hosts).toHaveLength(1);
    for (const q of queries.filter((x) => x.expr.includes('$Hostname')))
      expect((await instant(server, withAll(q.expr, hosts[0]))).series, `${q.panel} for ${hosts[0]}`).toBeGreaterThan(0);
    // A query Prometheus cannot parse is told apart from one without data (the check above can fail).
    expect(await instant(server, 'DCGM_FI_DEV_GPU_UTIL{')).toMatchObject({ status: 'error' });
  });
});
