/**
 * `gpuctl monitor --app APP --prometheus URL`, the remote view, with real parts: the real Prometheus
 * server scraping two `gpuctl agent` processes (the built CLI, against the fake nvidia-smi replaying a
 * chosen utilisation) every second on loopback, labelled with the app and a region as Fly labels the
 * series it scrapes from [metrics]; then the built `gpuctl monitor` reads them back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGpuctl } from '../helpers/cli.js';
import { freePort, startPrometheus, type PromServer } from '../helpers/prometheus-server.js';
import { startGpuAgents, type GpuAgents } from './autoscale-targets.js';

const TOKEN = 'prom-read-token-7c1e9a';
let prom: PromServer;
let agents: GpuAgents;

beforeAll(async () => {
  agents = await startGpuAgents([37, 64]);
  const regions = ['ams', 'ord'];
  prom = await startPrometheus(agents.addresses.map((address, i) => ({ address, labels: { app: 'desk', region: regions[i]! } })));
  await prom.waitFor('count(DCGM_FI_DEV_GPU_UTIL{app="desk"})', (r) => Number(r[0]?.value?.[1] ?? 0) === 2, 25_000);
}, 60_000);

afterAll(async () => {
  await prom?.stop();
  await agents?.stop();
});

const monitor = (args: readonly string[]) => runGpuctl(['monitor', '--app', 'desk', ...args], { env: { GPUCTL_PROMETHEUS_TOKEN: TOKEN } });

describe('gpuctl monitor --app (from Prometheus)', () => {
  it('--once renders one block per machine, with its region and the utilisation its agent reported', async () => {
    const r = await monitor(['--once', '--prometheus', prom.url, '--max-util', '50']);
    expect(r.exitCode, r.stderr).toBe(0);
    // One block per machine (both agents share this host's name; Prometheus's region label tells them apart).
    const blocks = r.stdout.split('\n\n').slice(1, -1);
    expect(blocks).toHaveLength(2);
    const ams = blocks.find((b) => /^\S+ {2}ams {2}1 GPU\n/.test(b));
    const ord = blocks.find((b) => /^\S+ {2}ord {2}1 GPU\n/.test(b));
    expect(ams).toMatch(/\n {4}0 {2}NVIDIA H200\S* +\[#{4}\.{6}\] +37% {2}\d+ \/ 143771 MiB/);
    expect(ord).toMatch(/\n {4}0 {2}NVIDIA H200\S* +\[#{6}\.{4}\] +64% {2}\d+ \/ 143771 MiB/);
    // --max-util 50: the 64% machine is named on the alert line, the 37% one is not.
    const alert = r.stdout.trim().split('\n').at(-1)!;
    expect(alert).toMatch(/^ALERT: .*64/);
    expect(alert).not.toMatch(/37/);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('--json prints one record with every machine, in monitor’s shape', async () => {
    const r = await monitor(['--once', '--json', '--prometheus', prom.url]);
    expect(r.exitCode, r.stderr).toBe(0);
    const record = JSON.parse(r.stdout) as {
      schemaVersion: number;
      machines: Array<{ region: string; processes: unknown[]; gpus: Array<{ utilGpuPct: number; memoryTotalMiB: number }> }>;
    };
    expect(record.schemaVersion).toBe(1);
    expect(record.machines.map((m) => [m.region, m.gpus.map((g) => g.utilGpuPct)]).sort()).toEqual([
      ['ams', [37]],
      ['ord', [64]],
    ]);
    for (const m of record.machines) {
      expect(m.processes).toEqual([]);
      expect(m.gpus[0]!.memoryTotalMiB).toBeGreaterThan(100_000);
    }
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('an app with no series, or a Prometheus that does not answer, fails with exit 1 and says why', async () => {
    const none = await runGpuctl(['monitor', '--app', 'other', '--once', '--prometheus', prom.url], {});
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain('no GPU series for app other');
    const down = await monitor(['--once', '--prometheus', `http://127.0.0.1:${await freePort()}/`]);
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toContain('No fresh GPU data from desk: cannot read its GPUs from Prometheus');
    expect(down.stdout + down.stderr).not.toContain(TOKEN);
  });

  it('asks where Prometheus is (exit 2) when neither --prometheus nor GPUCTL_PROMETHEUS_URL is set; --prometheus needs --app', async () => {
    const where = await monitor(['--once']);
    expect(where.exitCode).toBe(2);
    expect(where.stderr).toContain('Where is Prometheus?');
    const noApp = await runGpuctl(['monitor', '--once', '--prometheus', prom.url], {});
    expect(noApp.exitCode).toBe(2);
    expect(noApp.stderr).toContain('name the app with --app');
  });
});
