/**
 * The application's error-rate rule in the REAL Prometheus: it scrapes the built agent (fake nvidia-smi)
 * and two real HTTP applications (test/fakes/http-app: prom-client's http_requests_total, one with a
 * `code="500"` label, one with prometheus-fastapi-instrumentator's `status="5xx"`), with Fly's `app` and
 * `region` labels on the first. While neither has counted a request, only the info rule fires; with
 * traffic and no 5xx the rate reads 0 and nothing fires; above 5 % 5xx (404s beside them do not count)
 * GpuctlAppErrorRateHigh fires per application, and clears when the 5xx stop. A CPU layout's rules (the two
 * application rules) with the application scraped alone, no agent: the info rule fires on its job's `up`, then the
 * error rate fires. Rate window 10s, `for:` 3s.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { appErrorPctExpr, DEFAULT_APP_REQUESTS } from '../../src/alerts/app-rules.js';
import { DEFAULT_THRESHOLDS, renderAlertRules } from '../../src/alerts/rules.js';
import { startHttpApp, type HttpApp } from '../helpers/http-app.js';
import { startPrometheus, type PromServer } from '../helpers/prometheus-server.js';
import { startAgent, stopAll } from './agent-helpers.js';

interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
}

let prom: PromServer | undefined;
const apps: HttpApp[] = [];
afterEach(async () => {
  await prom?.stop();
  prom = undefined;
  await Promise.all(apps.splice(0).map((a) => a.stop()));
  await stopAll();
});

async function firing(server: PromServer, name: string): Promise<PromAlert[]> {
  const r = await fetch(new URL('api/v1/alerts', server.url));
  const json = (await r.json()) as { data: { alerts: PromAlert[] } };
  return json.data.alerts.filter((a) => a.labels.alertname === name && a.state === 'firing');
}

const poll = { timeout: 45_000, interval: 500 };

describe("the application's error-rate rule in a real Prometheus", () => {
  it('fires above 5% 5xx per application (code or status label), clears when they stop; only the info rule without requests', async () => {
    const agent = await startAgent({ script: [{ 'utilization.gpu': 40 }] });
    const coded = await startHttpApp();
    apps.push(coded);
    const classed = await startHttpApp({ FAKE_APP_STATUS_LABEL: 'status', FAKE_APP_STATUS_CLASS: '1' });
    apps.push(classed);
    const t = { ...DEFAULT_THRESHOLDS, sustained: '3s', soon: '1s', appWindow: '10s', absentFor: '2s' };
    prom = await startPrometheus(
      [
        { address: new URL(agent.url).host, labels: { app: 'alerts-e2e' } },
        { address: coded.host, labels: { app: 'alerts-e2e', region: 'ord' } },
        { address: classed.host, labels: { app: 'vllm-e2e' } },
      ],
      { rules: renderAlertRules(t) },
    );
    const server = prom;
    const instances = async (name: string) => (await firing(server, name)).map((a) => a.labels.instance).sort();

    // No request counted yet: a labelled counter has no series, so only the info rule fires.
    await expect.poll(async () => (await firing(server, 'GpuctlAppRequestsAbsent')).length, poll).toBe(1);
    expect(await firing(server, 'GpuctlAppErrorRateHigh')).toEqual([]);

    // Traffic without a 5xx (404s are the client's): the rate reads 0 per application, nothing fires.
    coded.traffic({ '/ok': 6, '/missing': 4 });
    classed.traffic({ '/ok': 10 });
    const expr = appErrorPctExpr(DEFAULT_APP_REQUESTS, t.appWindow);
    await server.waitFor(expr, (r) => r.length === 2 && r.every((s) => s.value?.[1] === '0'), 30_000);
    await expect.poll(async () => (await firing(server, 'GpuctlAppRequestsAbsent')).length, poll).toBe(0);
    expect(await firing(server, 'GpuctlAppErrorRateHigh')).toEqual([]);

    // 1 in 10 of the coded app's requests and 2 in 10 of the other's answer 500: both fire, each for its own instance.
    coded.traffic({ '/ok': 5, '/missing': 4, '/fail': 1 });
    classed.traffic({ '/ok': 8, '/fail': 2 });
    await expect.poll(() => instances('GpuctlAppErrorRateHigh'), poll).toEqual([coded.host, classed.host].sort());
    const alerts = await firing(server, 'GpuctlAppErrorRateHigh');
    const ord = alerts.find((a) => a.labels.instance === coded.host);
    expect(ord?.labels).toEqual({
      alertname: 'GpuctlAppErrorRateHigh',
      app: 'alerts-e2e',
      instance: coded.host,
      region: 'ord',
      severity: 'warning',
    });
    expect(ord?.annotations.description).toMatch(
      new RegExp(
        `^On ${coded.host} in region ord, \\d+\\.\\d% of the application's requests \\(http_requests_total\\) answered 5xx over the last 10s, above 5%\\.$`,
      ),
    );
    expect(ord?.annotations.runbook).toContain('gpuctl monitor --app <app>');
    if (process.env.APP_ALERT_TRANSCRIPT) writeFileSync(process.env.APP_ALERT_TRANSCRIPT, `${JSON.stringify(ord, null, 2)}\n`);
    const other = alerts.find((a) => a.labels.instance === classed.host);
    expect(other?.annotations.description).toMatch(new RegExp(`^On ${classed.host}, \\d+\\.\\d% of the application's requests`));
    expect(coded.answered.get(500)).toBeGreaterThan(0);
    expect(classed.answered.get(500)).toBeGreaterThan(0);

    // The 5xx stop: once they leave the 10 s window, the alert clears.
    coded.traffic({ '/ok': 10 });
    classed.traffic({ '/ok': 10 });
    await expect.poll(() => instances('GpuctlAppErrorRateHigh'), poll).toEqual([]);
    expect(await firing(server, 'GpuctlAppRequestsAbsent')).toEqual([]);
  }, 180_000);

  it("a CPU layout's rules, the application scraped alone (no agent): the info rule on its job's up, then the error rate", async () => {
    const app = await startHttpApp();
    apps.push(app);
    const t = { ...DEFAULT_THRESHOLDS, layout: 'cpu' as const, sustained: '3s', soon: '1s', appWindow: '10s', absentFor: '2s' };
    // The job the rules look for (docs/alerts.md's snippet: job_name app), as a target label.
    prom = await startPrometheus([{ address: app.host, labels: { job: 'app', app: 'cpu-e2e', region: 'ams' } }], {
      rules: renderAlertRules(t),
    });
    const server = prom;
    const rules = (await (await fetch(new URL('api/v1/rules', server.url))).json()) as {
      data: { groups: Array<{ rules: Array<{ name: string }> }> };
    };
    expect(rules.data.groups.flatMap((g) => g.rules.map((r) => r.name))).toEqual(['GpuctlAppErrorRateHigh', 'GpuctlAppRequestsAbsent']);

    // No agent series at all, and no request counted yet: the application's own job says it is scraped, so the info rule fires.
    expect(await server.query('gpuctl_agent_info')).toEqual([]);
    await expect.poll(async () => (await firing(server, 'GpuctlAppRequestsAbsent')).length, poll).toBe(1);

    // Requests, 1 in 10 answered 500: the counter appears (the info alert clears) and the error rate fires for the instance.
    app.traffic({ '/ok': 9, '/fail': 1 });
    await expect
      .poll(async () => (await firing(server, 'GpuctlAppErrorRateHigh')).map((a) => a.labels), poll)
      .toEqual([{ alertname: 'GpuctlAppErrorRateHigh', app: 'cpu-e2e', instance: app.host, region: 'ams', severity: 'warning' }]);
    expect(await firing(server, 'GpuctlAppRequestsAbsent')).toEqual([]);
  }, 180_000);
});
