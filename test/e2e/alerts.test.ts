/**
 * The generated alerting rules in the REAL Prometheus (Debian's package), scraping the built agent over
 * the fake nvidia-smi: utilisation held high fires GpuctlGpuUtilisationHigh for every GPU in
 * /api/v1/alerts; once the fake's load drops, the alert clears. `for:` is shortened to seconds.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

  it('fire on a PCIe link below its maximum under load and on an XID 79 in the kernel log, for that GPU only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-dmesg-'));
    // The recorded XID 79, moved to GPU 0 of the H100 capture (bus 00000000:18:00.0).
    const log = readFileSync(join(import.meta.dirname, '../fixtures/dmesg/xid79.txt'), 'utf8').replaceAll('0000:00:06', '0000:18:00');
    writeFileSync(join(dir, 'dmesg.txt'), log);
    const agent = await startAgent({
      tools: ['nvidia-smi', 'dmesg'],
      env: { FAKE_DMESG_FILE: join(dir, 'dmesg.txt') },
      // GPU 0 trained at gen 3 (max 5), every GPU busy; the others keep the capture's gen 5 x16.
      script: [{ 'utilization.gpu': 99, 'pcie.link.gen.gpucurrent': [3] }],
    });
    const rules = renderAlertRules({ ...DEFAULT_THRESHOLDS, sustained: '3s', soon: '1s' });
    prom = await startPrometheus([{ address: new URL(agent.url).host, labels: { app: 'alerts-e2e' } }], { rules });
    const server = prom;
    const firing = async (name: string) => (await alerts(server, name)).filter((a) => a.state === 'firing');
    await expect
      .poll(async () => (await firing('GpuctlGpuPcieLinkDegraded')).map((a) => a.labels.gpu), { timeout: 30_000, interval: 500 })
      .toEqual(['0']);
    await expect
      .poll(async () => (await firing('GpuctlGpuXidCritical')).map((a) => [a.labels.gpu, a.labels.xid]), { timeout: 30_000, interval: 500 })
      .toEqual([['0', '79']]);
    const [xid] = await firing('GpuctlGpuXidCritical');
    expect(xid?.labels).toMatchObject({ severity: 'critical', pci_bus_id: '00000000:18:00.0' });
    expect(xid?.annotations.description).toMatch(/^On machine \S+ GPU 0, the kernel log holds XID 79/);
    expect(await alerts(server, 'GpuctlGpuXid')).toEqual([]);
  });
});
