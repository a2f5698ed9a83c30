/**
 * The generated alerting rules in the REAL Prometheus (Debian's package), scraping the built agent over
 * the fake nvidia-smi: utilisation held high fires GpuctlGpuUtilisationHigh for every GPU in
 * /api/v1/alerts; once the fake's load drops, the alert clears. `for:` is shortened to seconds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, renderAlertRules } from '../../src/alerts/rules.js';
import { startPrometheus, type PromServer } from '../helpers/prometheus-server.js';
import { startAgent, stopAll } from './agent-helpers.js';

interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
}

let prom: PromServer | undefined;
afterEach(async () => {
  await prom?.stop();
  prom = undefined;
  await stopAll();
});

async function alerts(server: PromServer, name: string): Promise<PromAlert[]> {
  const r = await fetch(new URL('api/v1/alerts', server.url));
  const json = (await r.json()) as { data: { alerts: PromAlert[] } };
  return json.data.alerts.filter((a) => a.labels.alertname === name);
}

describe('alerting rules in a real Prometheus', () => {
  it('fire when the fake utilisation stays above 95% and clear when it drops', async () => {
    const agent = await startAgent({ script: [{ 'utilization.gpu': 99 }], env: { FAKE_NVIDIA_SMI_SCRIPT_LIVE: '1' } });
    const rules = renderAlertRules({ ...DEFAULT_THRESHOLDS, sustained: '3s', soon: '1s' });
    prom = await startPrometheus([{ address: new URL(agent.url).host, labels: { app: 'alerts-e2e' } }], { rules });
    const server = prom;
    await expect
      .poll(async () => (await alerts(server, 'GpuctlGpuUtilisationHigh')).filter((a) => a.state === 'firing').length, {
        timeout: 30_000,
        interval: 500,
      })
      .toBe(8);
    const firing = await alerts(server, 'GpuctlGpuUtilisationHigh');
    const gpu0 = firing.find((a) => a.labels.gpu === '0');
    expect(gpu0?.labels).toMatchObject({ severity: 'warning', app: 'alerts-e2e', modelName: 'NVIDIA H100 80GB HBM3' });
    expect(gpu0?.annotations.description).toMatch(/^On machine \S+ GPU 0, utilisation has stayed above 95%/);
    expect(gpu0?.annotations.runbook).toContain('gpuctl monitor');
    if (process.env.ALERTS_TRANSCRIPT) writeFileSync(process.env.ALERTS_TRANSCRIPT, `${JSON.stringify(gpu0, null, 2)}\n`);
    // The other rules stay quiet on a cool, healthy fake.
    expect(await alerts(server, 'GpuctlGpuTemperatureHigh')).toEqual([]);
    expect(await alerts(server, 'GpuctlSamplerStopped')).toEqual([]);

    writeFileSync(join(agent.dir, 'script.json'), JSON.stringify([{ 'utilization.gpu': 10 }]));
    await expect.poll(async () => (await alerts(server, 'GpuctlGpuUtilisationHigh')).length, { timeout: 30_000, interval: 500 }).toBe(0);
  });
});
