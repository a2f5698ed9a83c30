/**
 * smoke tries each fly.toml check every second inside its grace_period (a failure there does not count, a pass is
 * early), then on Fly's grid: at the grace_period's end and every `interval` after it, all bounded by --wait-timeout.
 * Time is the fake clock's; the engine is faked at ctx.exec and the application is a real loopback HTTP server that
 * notes the (fake) time of each request. On the code before, smoke asked once a second until the deadline
 * (requests at 0, 1, 2 … s), whatever the check's interval said.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerWatch, nextSlot, waitForCheck, type Attempt } from '../../../src/smoke/check-wait.js';
import { flyProbes } from '../../../src/smoke/fly-checks.js';
import { probeFailed, probePassed } from '../../../src/smoke/probe-checks.js';
import { runSmoke } from '../../../src/smoke/run.js';
import { fakeClock } from '../../helpers/clock.js';
import { makeTestCtx } from '../../helpers/ctx.js';
import { fakeSmokeEngine, quietSmokeDeps } from '../../helpers/smoke-engine.js';

const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
});

const EVERY_SECOND_TO_10S = [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000];

describe('gpuctl smoke tries a check each second inside its grace_period, then every interval', () => {
  it('grace_period 10 s, interval 5 s, the application ready at 12 s: each second to 10 s, then 15 s, passed after 15 s', async () => {
    const clock = fakeClock({ autoAdvance: true });
    const asked: number[] = [];
    const server = createServer((_req, res) => {
      asked.push(clock.monotonic());
      res.writeHead(clock.monotonic() >= 12_000 ? 200 : 503).end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hostPort = (server.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-smoke-schedule-'));
    writeFileSync(
      join(dir, 'fly.toml'),
      "app = 'sched'\n[http_service]\n  internal_port = 8080\n  [[http_service.checks]]\n    grace_period = '10s'\n    interval = '5s'\n    timeout = '2s'\n    path = '/health'\n",
    );
    writeFileSync(join(dir, 'Dockerfile'), 'FROM ubuntu:22.04\nUSER app\nCMD ["serve"]\n');
    const ctx = makeTestCtx({
      clock,
      env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'gpuctl-smoke-state-')) },
      rules: fakeSmokeEngine({ cmd: '["serve"]', port: () => `127.0.0.1:${hostPort}`, processes: 'app serve' }),
    });
    const deps = quietSmokeDeps();
    const result = await runSmoke(ctx, { dir, engine: 'podman', buildArgs: [], waitTimeoutMs: 60_000, keep: false }, deps);
    expect(asked).toEqual([...EVERY_SECOND_TO_10S, 15_000]);
    const app = result.checks.find((c) => c.id === 'app-health')!;
    expect(app.status).toBe('pass');
    expect(app.evidence).toMatch(/^HTTP 200 after 15 s: GET http:\/\/:8080\/health .*timeout 2 s, grace_period 10 s, interval 5 s;/);
  });
});

describe('waitForCheck and its schedule', () => {
  const [probe] = flyProbes(
    { http_service: { internal_port: 8080, checks: [{ grace_period: '10s', interval: '5s', path: '/health' }] } },
    null,
  );
  const running = async () => ({ running: true, exitCode: null });

  const run = async (o: { now?: number; deadline: number; answer: (t: number) => boolean; exitAt?: number }) => {
    const clock = fakeClock({ autoAdvance: true });
    if (o.now) await clock.advance(o.now);
    const ctx = makeTestCtx({ clock });
    const asked: number[] = [];
    const attempt = async (): Promise<Attempt> => {
      asked.push(clock.monotonic());
      return o.answer(clock.monotonic()) ? { ok: true, said: 'HTTP 200' } : { ok: false, said: 'HTTP 503' };
    };
    const state = o.exitAt === undefined ? running : async () => ({ running: clock.monotonic() < o.exitAt!, exitCode: 3 });
    const r = await waitForCheck(ctx, state, attempt, { startedAt: 0, graceMs: 10_000, intervalMs: 5000, deadline: o.deadline });
    return { r, asked, at: clock.monotonic() };
  };

  it('never ready: each second inside the grace period, then every interval, the last one on the grid before the deadline', async () => {
    const { r, asked } = await run({ deadline: 27_000, answer: () => false });
    expect(asked).toEqual([...EVERY_SECOND_TO_10S, 15_000, 20_000, 25_000]);
    expect(r).toMatchObject({ ok: false, exited: null, early: false, attempts: 14 });
  });

  it('ready inside the grace period: passed at once, said to be early; on the grid after it, not early', async () => {
    const ready = await run({ deadline: 60_000, answer: (t) => t >= 2500 });
    expect(ready.asked).toEqual([0, 1000, 2000, 3000]);
    expect(ready.r).toMatchObject({ ok: true, early: true, attempts: 4 });
    expect(probePassed(probe!, 'HTTP 200', 3000, true).evidence).toMatch(
      /^HTTP 200 after 3 s \(inside its grace_period 10 s: Fly's first try comes then\): GET/,
    );
    const late = await run({ deadline: 60_000, answer: (t) => t >= 12_000 });
    expect(late.asked.at(-1)).toBe(15_000);
    expect(late.r).toMatchObject({ ok: true, early: false });
  });

  it('--wait-timeout shorter than grace_period: each second until it ends, then a failure', async () => {
    const failed = await run({ deadline: 4000, answer: () => false });
    expect(failed.asked).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(failed.r).toMatchObject({ ok: false, early: false, last: { said: 'HTTP 503' } });
  });

  it('a container that exits during the grace period fails within a second', async () => {
    const { r, asked, at } = await run({ deadline: 60_000, answer: () => false, exitAt: 2500 });
    expect(asked).toEqual([0, 1000, 2000, 3000]);
    expect(at).toBe(3000);
    expect(r).toMatchObject({ ok: false, exited: 3, last: { said: 'HTTP 503' }, attempts: 4 });
    expect(probeFailed(probe!, { exited: 3, last: null, waitMs: 60_000 }).evidence).toMatch(
      /^the container exited \(code 3\) before \/health answered; last: not tried yet \(grace_period 10 s\);/,
    );
  });

  it('a check reached after --wait-timeout ended is tried once; a pass then, after the grace period, is not early', async () => {
    const late = await run({ now: 12_000, deadline: 5000, answer: () => true });
    expect(late.asked).toEqual([12_000]);
    expect(late.r).toMatchObject({ ok: true, early: false, attempts: 1 });
  });

  it('a pass at the end of the grace period is on the grid, not early', async () => {
    const { r, asked } = await run({ deadline: 60_000, answer: (t) => t >= 9500 });
    expect(asked.at(-1)).toBe(10_000);
    expect(r).toMatchObject({ ok: true, early: false });
  });

  it('after the grace period the container is still watched each second; an exit seen right after the last try is said', async () => {
    const grid = await run({ deadline: 60_000, answer: () => false, exitAt: 12_500 });
    expect(grid).toMatchObject({ at: 13_000, r: { ok: false, exited: 3, attempts: 11 } });
    const atDeadline = await run({ deadline: 4000, answer: () => false, exitAt: 3500 });
    expect(atDeadline.asked.at(-1)).toBe(4000);
    expect(atDeadline.r).toMatchObject({ ok: false, exited: 3 });
  });

  it("the container's state is read at most once a second, however many checks ask", async () => {
    const clock = fakeClock();
    let reads = 0;
    const watch = containerWatch(makeTestCtx({ clock }), async () => ({ running: reads++ >= 0, exitCode: null }));
    for (const step of [0, 400, 599, 1, 999, 1]) {
      await clock.advance(step);
      await watch();
    }
    expect(reads).toBe(3); // at 0, 1000 and 2000
  });

  it('a slot already past when smoke reaches the check is tried at once, then the schedule goes on', async () => {
    const { asked } = await run({ now: 12_000, deadline: 30_000, answer: (t) => t >= 20_000 });
    expect(asked).toEqual([12_000, 15_000, 20_000]);
    const plan = { startedAt: 0, graceMs: 10_000, intervalMs: 5000, deadline: 60_000 };
    expect([
      nextSlot(plan, 0, null),
      nextSlot(plan, 1000, 0),
      nextSlot(plan, 9500, 9000),
      nextSlot(plan, 9600, 9500),
      nextSlot(plan, 12_000, 4000),
      nextSlot(plan, 12_000, null),
      nextSlot(plan, 10_000, 10_000),
      nextSlot(plan, 23_000, 15_000),
    ]).toEqual([0, 1000, 10_000, 10_000, 12_000, 12_000, 15_000, 25_000]);
  });
});
