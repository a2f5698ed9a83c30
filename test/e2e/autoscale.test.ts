/**
 * gpuctl autoscale end to end, with real parts: the real Prometheus server scraping five `gpuctl
 * agent` processes (the built CLI, against the fake nvidia-smi replaying chosen utilisation) every
 * second on loopback, `gpuctl autoscale` (the built CLI), and the stateful fake flyctl. The machine
 * count is read back from the fake's state. GPUCTL_NOW pins the schedule's clock (metrics are read at
 * the present).
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetQuery } from '../../src/autoscale/export.js';
import { parsePolicy } from '../../src/autoscale/policy.js';
import { expandQuery } from '../../src/autoscale/read.js';
import { readAppGpus } from '../../src/prometheus/gpu-samples.js';
import { seedFlyState } from '../fakes/flyctl/seed.mjs';
import { fakePath, ROOT, runGpuctl, tempHome } from '../helpers/cli.js';
import { startPrometheus, type PromServer } from '../helpers/prometheus-server.js';
import { startGpuAgents, type GpuAgents } from './autoscale-targets.js';

/** One app per scenario, all scraped by one Prometheus (Fly's labels every series with its app). */
const UTILISATION = { hot: [90, 92, 95], cold: [10, 5] } as const;
type App = keyof typeof UTILISATION;
const OFF_HOURS = '2026-11-24T23:00:00Z'; // Tuesday 18:00 in New York
const MARKET = '2026-11-24T17:00:00Z'; // Tuesday 12:00 in New York

const policyFor = (app: App) => `
app = "${app}"
min = 1
max = 4
interval = "1s"

[scale_up]
above = 80
for = "3s"

[scale_down]
below = 30
for = "5s"
step = 3

[[schedule]]
name = "NYSE"
timezone = "America/New_York"
start = "09:30"
end = "16:00"
warmup = "15m"
min = 3
`;

interface Decision {
  rule: string;
  action: string;
  current: number;
  target: number;
  applied: boolean;
  reason: string;
  command: string | null;
  dryRun?: boolean;
}

let prom: PromServer;
const agents: GpuAgents[] = [];

beforeAll(async () => {
  const targets = [];
  for (const [app, values] of Object.entries(UTILISATION)) {
    const e = await startGpuAgents(values);
    agents.push(e);
    targets.push(...e.addresses.map((address) => ({ address, labels: { app } })));
  }
  prom = await startPrometheus(targets);
  // Enough history for the longest window (5 s at 1 s steps), for every app.
  await prom.waitFor(
    'count_over_time((min(count by (app) (DCGM_FI_DEV_GPU_UTIL)))[7s:1s])',
    (r) => Number(r[0]?.value?.[1] ?? 0) >= 7,
    25_000,
  );
}, 60_000);

afterAll(async () => {
  await prom?.stop();
  for (const a of agents) await a.stop();
});

function world(app: App, machines: number) {
  const fly = seedFlyState({
    apps: [{ name: app, machines: Array.from({ length: machines }, () => ({ region: 'ord', size: 'performance-2x' })) }],
  });
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-autoscale-'));
  writeFileSync(join(dir, 'autoscale.toml'), policyFor(app));
  const state = mkdtempSync(join(tmpdir(), 'gpuctl-state-'));
  const gpuctl = (args: readonly string[], env: Record<string, string> = {}) =>
    runGpuctl(args, {
      tools: ['flyctl'],
      cwd: dir,
      env: { ...fly.env, FLY_API_TOKEN: 'test-token-abcdef', XDG_STATE_HOME: state, ...env },
    });
  const count = () => fly.machines(app).length;
  return { fly, gpuctl, count, state, app, dir };
}

const once = (w: ReturnType<typeof world>, now: string, extra: readonly string[] = []) =>
  w.gpuctl(['autoscale', 'run', '--policy', 'autoscale.toml', '--once', '--prometheus', prom.url, '--json', ...extra], { GPUCTL_NOW: now });

const decision = (stdout: string): Decision => JSON.parse(stdout.trim().split('\n').at(-1)!) as Decision;

describe('gpuctl autoscale against the real Prometheus and the fake flyctl', () => {
  it('high utilisation: run --once adds a machine through flyctl scale count; a second run waits for the cooldown', async () => {
    const w = world('hot', 2);
    const run = await once(w, OFF_HOURS);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(decision(run.stdout)).toMatchObject({ rule: 'scale-up', action: 'up', current: 2, target: 3, applied: true });
    expect(decision(run.stdout).command).toBe(`flyctl scale count 3 --app=${w.app} --region=ord --process-group=app --yes`);
    expect(w.count()).toBe(3);
    const again = await once(w, '2026-11-24T23:01:00Z');
    expect(decision(again.stdout)).toMatchObject({ rule: 'cooldown', action: 'hold', target: 3, applied: false });
    expect(w.count()).toBe(3);
  }, 60_000);

  it('low utilisation off-hours scales down to min; in market hours the schedule brings it back to 3', async () => {
    const w = world('cold', 4);
    const plan = await w.gpuctl(['autoscale', 'plan', '-p', 'autoscale.toml', '--prometheus', prom.url], { GPUCTL_NOW: OFF_HOURS });
    expect(plan.exitCode, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`${w.app}, group app: 4 → 1 machine(s) (scale-down)`);
    expect(plan.stdout).toContain(`would run: flyctl scale count 1 --app=${w.app} --region=ord --process-group=app --yes`);
    expect(w.count()).toBe(4);
    const down = await once(w, OFF_HOURS);
    expect(decision(down.stdout)).toMatchObject({ rule: 'scale-down', current: 4, target: 1, applied: true });
    expect(w.count()).toBe(1);
    const open = await once(w, MARKET);
    expect(decision(open.stdout)).toMatchObject({ rule: 'schedule', current: 1, target: 3, applied: true });
    expect(decision(open.stdout).reason).toContain('NYSE is open');
    expect(w.count()).toBe(3);
  }, 60_000);

  it('--dry-run and an unreachable Prometheus change nothing', async () => {
    const w = world('hot', 2);
    const dry = await once(w, OFF_HOURS, ['--dry-run']);
    expect(decision(dry.stdout)).toMatchObject({ rule: 'scale-up', applied: false });
    expect(w.count()).toBe(2);
    // The plan is a result: on stdout, as in `gpuctl scale` (it went to stderr before issue 22).
    const text = await w.gpuctl(['autoscale', 'run', '-p', 'autoscale.toml', '--once', '--dry-run', '--prometheus', prom.url], {
      GPUCTL_NOW: OFF_HOURS,
    });
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain('+1 machine in ord');
    expect(text.stderr).not.toContain('+1 machine in ord');
    const dead = await w.gpuctl(
      ['autoscale', 'run', '-p', 'autoscale.toml', '--once', '--prometheus', 'http://127.0.0.1:9/', '--json', '--timeout', '2'],
      { GPUCTL_NOW: OFF_HOURS },
    );
    // Unreachable is a failure (exit 1), not "no data": the decision is still printed, with the problem.
    expect(dead.exitCode, dead.stderr).toBe(1);
    expect(decision(dead.stdout)).toMatchObject({ rule: 'no-data', action: 'hold', applied: false });
    expect(decision(dead.stdout).reason).toContain('cannot reach Prometheus at http://127.0.0.1:9/');
    expect(w.count()).toBe(2);
  }, 60_000);

  it('--iterations: an earlier failed decision fails the run (exit 1) and the last line says which, though the last one passed', async () => {
    const w = world('hot', 3);
    // Decision 1 scales 3 → 4 (max), then `flyctl scale show` (the check after it) answers garbage: that step fails.
    // Decision 2 finds 4 = max and holds: fine on its own. Before, only the last decision set the exit status (0).
    const run = await w.gpuctl(['autoscale', 'run', '-p', 'autoscale.toml', '--iterations', '2', '--prometheus', prom.url, '--json'], {
      GPUCTL_NOW: OFF_HOURS,
      FAKE_FLYCTL_FAULT: 'garbage-json',
      FAKE_FLYCTL_FAULT_ON: 'scale show',
    });
    expect(run.exitCode, run.stderr).toBe(1);
    expect(w.count()).toBe(4);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ action: 'hold', current: 4, target: 4, applied: false, problems: [] });
    expect(run.stderr).toContain('this step failed: `flyctl scale show');
    expect(run.stderr.trim().split('\n').at(-1)).toBe('Warning: 1 of 2 decisions failed (#1): exit 1.');
  }, 60_000);

  it('run loops at the interval, one NDJSON line per decision, and Ctrl-C stops it cleanly (exit 130)', async () => {
    const w = world('hot', 2);
    const home = tempHome();
    const child = execa(
      process.execPath,
      [join(ROOT, 'bin/gpuctl.js'), 'autoscale', 'run', '-p', 'autoscale.toml', '--prometheus', prom.url, '--dry-run', '--json'],
      {
        reject: false,
        extendEnv: false,
        cwd: w.dir,
        env: {
          PATH: fakePath(['flyctl']),
          HOME: home,
          NO_COLOR: '1',
          ...w.fly.env,
          FLY_API_TOKEN: 'test-token-abcdef',
          XDG_STATE_HOME: w.state,
          GPUCTL_NOW: OFF_HOURS,
        },
      },
    );
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await expect.poll(() => out.split('\n').filter(Boolean).length, { timeout: 40_000, interval: 200 }).toBeGreaterThanOrEqual(2);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toBe(''); // --json: no notes on stderr, no error either
    const lines = String(result.stdout)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Decision);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line).toMatchObject({ rule: 'scale-up', dryRun: true, applied: false });
    expect(w.count()).toBe(2);
  }, 60_000);

  it('the Prometheus token goes in the header and nowhere else, even when a server echoes it back', async () => {
    const w = world('hot', 2);
    const token = 'FlyV1 fm2_promsecretpromsecret0123456789';
    const seen: string[] = [];
    const echo = createServer((req, res) => {
      seen.push(String(req.headers.authorization));
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`upstream rejected ${String(req.headers.authorization)}`);
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/prometheus/my-org/`;
    const run = await w.gpuctl(['autoscale', 'plan', '-p', 'autoscale.toml', '--prometheus', url, '--verbose'], {
      GPUCTL_NOW: OFF_HOURS,
      GPUCTL_PROMETHEUS_TOKEN: token,
    });
    await new Promise<void>((resolve) => echo.close(() => resolve()));
    expect(run.exitCode, run.stderr).toBe(1); // a failing Prometheus (HTTP 500) is exit 1
    expect(seen).toEqual([token]);
    expect(run.stdout).toContain('(no-data)');
    expect(run.stdout).toContain('answered HTTP 500: upstream rejected [REDACTED]');
    expect(`${run.stdout}${run.stderr}`).not.toContain('promsecret');
    expect(w.count()).toBe(2);
  }, 60_000);

  it('the remote view reads every machine of an app back from Prometheus, as the agents reported it', async () => {
    const read = await readAppGpus({ baseUrl: prom.url, timeoutMs: 5000 }, 'hot', { at: new Date(), staleAfterSeconds: 30 });
    if (read.kind !== 'ok') throw new Error(read.reason);
    expect(read.machines).toHaveLength(3);
    expect(
      read.machines
        .map((m) => m.gpus.map((g) => g.utilGpuPct))
        .flat()
        .sort(),
    ).toEqual([90, 92, 95]);
    for (const m of read.machines) {
      expect(m.error).toBeUndefined();
      expect(m.gpus).toHaveLength(1);
      expect(m.gpus[0]).toMatchObject({ index: 0, name: expect.stringContaining('H200') as string });
      expect(m.gpus[0]!.memoryTotalMiB).toBeGreaterThan(100_000);
    }
  });

  it("the exported fly-autoscaler query is valid PromQL and agrees with gpuctl's decision", async () => {
    const w = world('hot', 3);
    const result = await prom.query(expandQuery(targetQuery(parsePolicy(policyFor(w.app))), w.app));
    expect(result).toHaveLength(1);
    expect(Number(result[0]!.value![1])).toBe(4); // 3 machines reporting + 1
  }, 60_000);
});
