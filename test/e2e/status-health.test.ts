import { execa } from 'execa';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthJson } from '../../src/health/assess.js';
import type { StatusJson } from '../../src/status/view.js';
import { fakePath, ROOT, tempHome } from '../helpers/cli.js';
import { flyState } from '../fakes/flyctl/seed.mjs';
import { deployedWorld, expectNoToken, FLY_TOML, TOKEN } from './fly-world.js';

let server: Server;
let base: string;
let gpuHealth = 404;
let gpuBody = 'nope';
beforeAll(async () => {
  server = createServer((req, res) => {
    res.statusCode = req.url === '/health' ? 200 : req.url === '/gpu-health' ? gpuHealth : 404;
    res.end(req.url === '/health' ? '{"status":"ok","model":"loaded"}' : gpuBody);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('gpuctl status', () => {
  it('shows each machine with region, state, guest, image, release and checks', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['status']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^quant-signals {2}https:\/\/quant-signals\.fly\.dev {2}release v1 {2}deployed\n/);
    expect(run.stdout).toMatch(/\w{14} +ord +started +app +performance-2x +quant-signals:deployment-\w+ +v1 +1\/1 passing/);
    expectNoToken(run);
  });

  it('--json is its own contract', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['status', '--json', '-a', 'quant-signals']);
    const status = JSON.parse(run.stdout) as StatusJson;
    expect(status).toMatchObject({ schemaVersion: 1, app: 'quant-signals', hostname: 'quant-signals.fly.dev', release: 1 });
    expect(status.machines[0]).toMatchObject({
      region: 'ord',
      state: 'started',
      release: 1,
      guest: { cpuKind: 'performance', cpus: 2, memoryMb: 4096, gpuKind: null },
    });
  });

  it('an unknown app, and unreadable JSON, are clear errors', async () => {
    const w = await deployedWorld();
    const missing = await w.gpuctl(['status', '-a', 'ghost']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('The Fly app "ghost" does not exist, or this token cannot see it.');
    const garbage = await w.gpuctl(['status', '--json'], { FAKE_FLYCTL_FAULT: 'garbage-json' });
    expect(garbage.exitCode).toBe(1);
    expect(JSON.parse(garbage.stdout)).toMatchObject({ error: { code: 'bad_output' } });
  });

  it('--watch refreshes until Ctrl-C', async () => {
    const w = await deployedWorld();
    const home = tempHome();
    const child = execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), 'status', '--watch', '--interval', '1'], {
      reject: false,
      cwd: w.dir,
      extendEnv: false,
      env: { PATH: fakePath(['flyctl']), HOME: home, NO_COLOR: '1', FAKE_FLYCTL_STATE: w.state, FLY_API_TOKEN: TOKEN },
      timeout: 20_000,
    });
    let seen = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += (chunk.toString().match(/release v1/g) ?? []).length;
      if (seen === 2) child.kill('SIGINT');
    });
    const result = await child;
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toBe('');
  });
});

describe('gpuctl health', () => {
  it('healthy: Fly checks pass and /health answers; a 404 on /gpu-health is reported, not failed', async () => {
    const w = await deployedWorld();
    gpuHealth = 404;
    const run = await w.gpuctl(['health', '--url', base]);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/\/health +ok +\d+ ms +200 \{"status":"ok","model":"loaded"\}/);
    expect(run.stdout).toMatch(/\/gpu-health +absent/);
    expect(run.stdout).toContain('quant-signals is healthy.');
  });

  it('unhealthy: exit 1 with the reason per machine and per endpoint', async () => {
    const w = await deployedWorld();
    await w.gpuctl(['deploy', '--wait-timeout', '2s'], { FAKE_FLYCTL_FAULT: 'unhealthy' });
    gpuHealth = 503;
    const run = await w.gpuctl(['health', '--url', base, '--json']);
    expect(run.exitCode).toBe(1);
    const health = JSON.parse(run.stdout) as HealthJson;
    expect(health.healthy).toBe(false);
    expect(health.reasons).toContain('/gpu-health: HTTP 503: nope');
    expect(health.reasons.some((r) => /^machine \w+ \(ord\) check servicecheck-00-http-8080 is critical/.test(r))).toBe(true);
  });

  it("a 503 from the agent's /gpu-health: each failed condition is a reason of its own, and shown", async () => {
    const w = await deployedWorld();
    gpuHealth = 503;
    gpuBody = JSON.stringify({
      status: 'failing',
      mode: 'gpu',
      gpus: 1,
      failures: [
        { condition: 'sample-stale', message: 'the last sample is 31.0 s old (limit 15 s)' },
        { condition: 'clocks-throttled', gpu: 0, message: 'GPU 0 clocks are throttled: hw_thermal_slowdown' },
      ],
    });
    try {
      const json = await w.gpuctl(['health', '--url', base, '--json']);
      expect(json.exitCode).toBe(1);
      const health = JSON.parse(json.stdout) as HealthJson;
      expect(health.reasons).toEqual(
        expect.arrayContaining([
          '/gpu-health: sample-stale: the last sample is 31.0 s old (limit 15 s)',
          '/gpu-health: clocks-throttled: GPU 0 clocks are throttled: hw_thermal_slowdown',
        ]),
      );
      const text = await w.gpuctl(['health', '--url', base]);
      expect(text.stdout).toContain('✗ /gpu-health  clocks-throttled: GPU 0 clocks are throttled: hw_thermal_slowdown');
    } finally {
      gpuBody = 'nope';
    }
  });

  it('an endpoint that does not answer fails within --timeout', async () => {
    const w = await deployedWorld();
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const run = await w.gpuctl(['health', '--url', url, '--timeout', '500ms']);
    silent.closeAllConnections();
    silent.close();
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/\/health +failed +- +no answer within 0.5 s/);
  });

  it("without --url the GPU verdict comes from Fly's gpu check (flyctl checks list), read as the agent's body", async () => {
    const toml = `${FLY_TOML}\n[checks.gpu]\n  type = "http"\n  port = 9091\n  path = "/gpu-health"\n  interval = "30s"\n  timeout = "10s"\n`;
    const w = await deployedWorld(toml);
    const body = {
      status: 'failing',
      mode: 'gpu',
      gpus: 1,
      lastSampleAgeSeconds: 1.2,
      samplerRestarts: 0,
      failures: [{ condition: 'xid', gpu: 0, message: 'GPU 0 reported Xid 79 (fallen off the bus)' }],
    };
    flyState(w.state).setCheck('quant-signals', 'gpu', { status: 'critical', output: JSON.stringify(body) });
    const run = await w.gpuctl(['health', '--no-probe', '--json']);
    expect(run.exitCode, run.stderr).toBe(1);
    const health = JSON.parse(run.stdout) as HealthJson;
    expect(health.http).toEqual([]);
    // One verdict per machine (the deploy made two), each from that machine's gpu check.
    expect(health.gpu.map((g) => [g.status, g.verdict])).toEqual(health.machines.map(() => ['critical', 'failed']));
    expect(health.reasons).toEqual(
      health.machines.map((m) => `machine ${m.id} (ord) /gpu-health: xid: GPU 0 reported Xid 79 (fallen off the bus)`),
    );
    flyState(w.state).setCheck('quant-signals', 'gpu', {
      status: 'passing',
      output: JSON.stringify({ ...body, status: 'ok', failures: [] }),
    });
    const fine = await w.gpuctl(['health', '--no-probe']);
    expect(fine.exitCode, fine.stdout).toBe(0);
    expect(fine.stdout).toMatch(/GPU \(Fly check\)[\s\S]*ord +ok +gpu passing +ok \(gpu\)/);
  });

  it("the fake reports a passing gpu check's output as Fly does, the served body as is, and health reads it", async () => {
    // Fly shows a passing HTTP check's response body verbatim as its output (docs/fly-operations.md, "What Fly puts
    // in a check's output"); the fake's default for the generated [checks.gpu] is the agent's healthy body.
    const toml = `${FLY_TOML}\n[checks.gpu]\n  type = "http"\n  port = 9091\n  path = "/gpu-health"\n  interval = "30s"\n  timeout = "10s"\n`;
    const w = await deployedWorld(toml);
    const listed = JSON.parse((await w.flyctl(['checks', 'list', '--app', 'quant-signals', '--json'])).stdout) as Record<
      string,
      Array<{ name: string; status: string; output: string }>
    >;
    const gpuChecks = Object.values(listed).map((checks) => checks.find((c) => c.name === 'gpu'));
    expect(gpuChecks.length).toBeGreaterThan(0);
    for (const check of gpuChecks) {
      expect(check?.status).toBe('passing');
      expect(check?.output).toBe(
        `${JSON.stringify({ status: 'ok', mode: 'cpu fallback', gpus: 0, lastSampleAgeSeconds: 1, samplerRestarts: 0, failures: [] })}\n`,
      );
    }
    const run = await w.gpuctl(['health', '--no-probe', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const health = JSON.parse(run.stdout) as HealthJson;
    expect(health.gpu.map((g) => [g.verdict, g.detail])).toEqual(gpuChecks.map(() => ['ok', 'ok (cpu fallback)']));
    // A check Fly could not connect for is critical with the dialer's error, not a body.
    flyState(w.state).setChecks('quant-signals', 'critical');
    const down = await w.gpuctl(['health', '--no-probe', '--json']);
    expect(down.exitCode).toBe(1);
    expect((JSON.parse(down.stdout) as HealthJson).gpu.map((g) => [g.verdict, g.detail])).toEqual(
      gpuChecks.map(() => ['failed', 'connect: connection refused']),
    );
  });

  it("--no-probe: Fly's checks only; not logged in is a clear error", async () => {
    const w = await deployedWorld();
    expect((await w.gpuctl(['health', '--no-probe'])).exitCode).toBe(0);
    const run = await w.gpuctl(['health', '--no-probe'], { FAKE_FLYCTL_FAULT: 'not-logged-in' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('flyctl is not logged in to Fly.io.');
  });
});
