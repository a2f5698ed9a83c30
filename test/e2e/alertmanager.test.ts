/**
 * Delivery: the generated rules in the REAL Prometheus, scraping the built agent over the fake nvidia-smi,
 * send to the REAL Alertmanager (Debian's prometheus-alertmanager), which posts to a webhook on loopback.
 * With the fake's utilisation held at 99 % the webhook receives GpuctlGpuUtilisationHigh firing, with the
 * rule's labels and annotations; once it drops, the resolved notification arrives.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, renderAlertRules } from '../../src/alerts/rules.js';
import { startAlertmanager, type AlertmanagerServer } from '../helpers/alertmanager-server.js';
import { startPrometheus, type PromServer } from '../helpers/prometheus-server.js';
import { startAgent, stopAll } from './agent-helpers.js';

/** Alertmanager's webhook payload (version 4), the parts checked. */
interface Notification {
  version: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  alerts: Array<{ status: string; labels: Record<string, string>; annotations: Record<string, string> }>;
}

let prom: PromServer | undefined;
let am: AlertmanagerServer | undefined;
let hook: Server | undefined;
afterEach(async () => {
  await prom?.stop();
  await am?.stop();
  await new Promise((resolve) => (hook ? hook.close(resolve) : resolve(undefined)));
  prom = am = hook = undefined;
  await stopAll();
});

async function webhook(): Promise<{ url: string; received: Notification[] }> {
  const received: Notification[] = [];
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/hook') received.push(JSON.parse(body) as Notification);
      res.writeHead(200).end();
    });
  });
  const server = hook;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no webhook port');
  return { url: `http://127.0.0.1:${address.port}/hook`, received };
}

describe('alert delivery through a real Alertmanager', () => {
  it('posts GpuctlGpuUtilisationHigh firing to the webhook, then resolved when the load drops', async () => {
    const { url, received } = await webhook();
    am = await startAlertmanager(url);
    const agent = await startAgent({ script: [{ 'utilization.gpu': 99 }], env: { FAKE_NVIDIA_SMI_SCRIPT_LIVE: '1' } });
    const rules = renderAlertRules({ ...DEFAULT_THRESHOLDS, sustained: '3s', soon: '1s' });
    prom = await startPrometheus([{ address: new URL(agent.url).host, labels: { app: 'delivery-e2e' } }], {
      rules,
      alertmanager: am.address,
    });
    const of = (status: string) => received.filter((n) => n.groupLabels.alertname === 'GpuctlGpuUtilisationHigh' && n.status === status);
    await expect.poll(() => of('firing').length, { timeout: 40_000, interval: 500 }).toBeGreaterThan(0);
    const firing = of('firing')[0]!;
    expect(firing.version).toBe('4');
    const gpu0 = firing.alerts.find((a) => a.labels.gpu === '0');
    expect(gpu0?.labels).toMatchObject({ alertname: 'GpuctlGpuUtilisationHigh', severity: 'warning', app: 'delivery-e2e' });
    expect(gpu0?.annotations.description).toMatch(/^On machine \S+ GPU 0, utilisation has stayed above 95%/);
    expect(gpu0?.annotations.runbook).toContain('gpuctl monitor');
    // Nothing else fires on a cool, healthy fake.
    expect(received.flatMap((n) => n.alerts.map((a) => a.labels.alertname)).filter((n) => n !== 'GpuctlGpuUtilisationHigh')).toEqual([]);

    writeFileSync(join(agent.dir, 'script.json'), JSON.stringify([{ 'utilization.gpu': 10 }]));
    await expect.poll(() => of('resolved').length, { timeout: 40_000, interval: 500 }).toBeGreaterThan(0);
    expect(
      of('resolved')
        .at(-1)!
        .alerts.every((a) => a.status === 'resolved'),
    ).toBe(true);
  });
});
