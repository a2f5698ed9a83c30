import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJson } from '../../../src/flyio/decode.js';
import { statusSchema, type FlyAppStatus } from '../../../src/flyio/schemas.js';
import { assessHealth, renderHealth } from '../../../src/health/assess.js';
import { createStyle } from '../../../src/ui/style.js';
import { renderHealthMarkdown } from '../../../src/health/markdown.js';
import { judge, probe } from '../../../src/health/probe.js';
import { realClock } from '../../../src/shared/clock.js';
import { fakeClock } from '../../helpers/clock.js';

const decoded = decodeJson(readFileSync(new URL('../../fixtures/flyctl/status.json', import.meta.url), 'utf8'), statusSchema);
if (!decoded.ok) throw new Error(decoded.reason);
const status: FlyAppStatus = decoded.value;
const ok = { path: '/health', url: 'x', status: 200, latencyMs: 3, verdict: 'ok' as const, detail: '200' };

describe('judge', () => {
  it.each([
    [200, '{"ok":true}', false, 'ok'],
    [404, '', true, 'absent'],
    [404, '', false, 'failed'],
    [503, 'loading model', true, 'failed'],
  ] as const)('%i %s optional=%s → %s', (code, body, optional, verdict) => {
    expect(judge(code, body, optional).verdict).toBe(verdict);
  });
});

describe('assessHealth', () => {
  it('healthy: every machine started with passing checks, /health ok', () => {
    const checks = Object.fromEntries(status.machines.map((m) => [m.id, m.checks]));
    expect(assessHealth(status, checks, [ok]).healthy).toBe(true);
  });

  it('takes checks from `checks list` and gives the reason per machine', () => {
    const checks = { e2865641be6d86: [{ name: 'servicecheck-00-http-8080', status: 'critical', output: 'timeout', updatedAt: null }] };
    const health = assessHealth(status, checks, [
      ok,
      { ...ok, path: '/gpu-health', status: 500, verdict: 'failed', detail: 'HTTP 500: no GPU' },
    ]);
    expect(health.healthy).toBe(false);
    expect(health.reasons).toEqual([
      'machine e2865641be6d86 (ord) check servicecheck-00-http-8080 is critical: timeout',
      '/gpu-health: HTTP 500: no GPU',
    ]);
  });

  it('a machine stopped by autostop is idle: its stale gpu verdict is not judged, and the step summary says why', () => {
    // The fixture's services autostop (min_machines_running = 1 in ord, PRIMARY_REGION=ord); the iad machine is the idle one.
    const [ord, iad] = status.machines;
    const idle = { ...iad!, state: 'stopped', checks: [], lastExit: { requestedStop: true, exitCode: 0, oomKilled: false } };
    const stale = {
      machine: idle.id,
      region: 'iad',
      status: 'critical',
      verdict: 'failed' as const,
      detail: 'connect: connection refused',
      conditions: [],
    };
    const health = assessHealth({ ...status, machines: [ord!, idle] }, {}, [ok], [stale]);
    expect(health).toMatchObject({ healthy: true, reasons: [], gpu: [], shortfalls: [] });
    expect(renderHealthMarkdown(health)).toContain(`| \`${idle.id}\` | iad | stopped (autostop) | none | idle |`);
    const strict = assessHealth({ ...status, machines: [ord!, idle] }, {}, [ok], [stale], { requireStarted: true });
    expect(strict.reasons).toEqual([
      `machine ${idle.id} (iad) is stopped`,
      `machine ${idle.id} (iad) /gpu-health: check gpu is critical: connect: connection refused`,
    ]);
    // The primary region's machine stopped too: below min_machines_running = 1 there.
    const both = assessHealth({ ...status, machines: [{ ...ord!, state: 'stopped', checks: [] }, idle] }, {}, [ok]);
    expect(both.reasons).toEqual(['group app: 0 of 1 machines started in its primary region ord, fewer than min_machines_running = 1']);
    expect(renderHealthMarkdown(both)).toContain('- group app: 0 of 1 machines started in its primary region ord');
  });

  describe('an app without autostop whose machine stops (flyctl: restart policy, exit code, auto_start_machines)', () => {
    const [ord, iad] = status.machines;
    const plain = { ...iad!, autostop: { mode: 'off' as const, autostart: true, minRunning: 0 }, checks: [] };
    const exited = (exitCode: number, more: Partial<typeof plain> = {}) => ({
      ...plain,
      state: 'stopped',
      lastExit: { requestedStop: false, exitCode, oomKilled: false },
      ...more,
    });
    const judge = (m: typeof plain, requireStarted = false) =>
      assessHealth({ ...status, machines: [ord!, m] }, {}, [ok], [], { requireStarted });
    const text = (m: typeof plain) => renderHealth(judge(m), createStyle(false));

    it('exited cleanly by itself, left stopped by on-failure, a service that autostarts it: idle, as Fly documents', () => {
      const health = judge(exited(0));
      expect(health).toMatchObject({ healthy: true, reasons: [] });
      expect(health.machines[1]).toMatchObject({ atRest: 'idle exit', healthy: true, advice: null });
      expect(text(exited(0))).toMatch(new RegExp(`${iad!.id} +iad +stopped \\(idle exit\\) +none +idle`));
      expect(judge(exited(0), true).machines[1]!.advice).toContain('--require-started wants every machine but a standby started');
    });

    it('fails, saying why and what to do, when nothing starts it again, Fly should have restarted it, or it crashed', () => {
      const start = `flyctl machine start ${iad!.id} -a ${status.name}`;
      const cases: Array<[typeof plain, string, string]> = [
        [
          exited(0, { autostop: { ...plain.autostop, autostart: false } }),
          'is stopped (its process exited with code 0)',
          'nothing will start it again',
        ],
        [
          exited(0, { restartPolicy: 'always' }),
          'is stopped (its process exited with code 0)',
          'restart policy always should have restarted it',
        ],
        [
          exited(1),
          'is stopped (its process exited with code 1)',
          `Fly's restarts (restart policy on-failure) gave up: read why with flyctl logs -a ${status.name} -i ${iad!.id}`,
        ],
        [
          { ...exited(0), lastExit: { requestedStop: true, exitCode: 0, oomKilled: false } },
          'is stopped',
          "its services do not autostop, so it is not idle by Fly's rule",
        ],
      ];
      for (const [machine, reason, advice] of cases) {
        const health = judge(machine);
        expect(health.reasons).toEqual([`machine ${iad!.id} (iad) ${reason}`]);
        expect(health.machines[1]!.advice).toContain(advice);
        expect(text(machine)).toContain(`✗ ${iad!.id}: `);
        expect(renderHealthMarkdown(health)).toContain('What to do:');
      }
      expect(judge(exited(1)).machines[1]!.advice).toContain(start);
    });

    // Edges: each fails when a condition of the at-rest rule (flyio/machines.ts) or of assess.ts is dropped (scripts/mutants).
    it('an exit 0 that was an out-of-memory kill is no idle exit; a started machine is not at rest whatever its last exit', () => {
      const oom = exited(0, { lastExit: { requestedStop: false, exitCode: 0, oomKilled: true } });
      expect(judge(oom).reasons).toEqual([`machine ${iad!.id} (iad) is stopped (killed: out of memory)`]);
      expect(judge({ ...exited(0), state: 'started' }).machines[1]).toMatchObject({ atRest: null, healthy: true });
      expect(judge({ ...exited(3), state: 'failed' }).reasons).toEqual([`machine ${iad!.id} (iad) is failed`]);
    });

    it('a warning check is not passing; a gpu check with no live verdict is judged as a check', () => {
      const warn = { name: 'servicecheck-00-http-8080', status: 'warning', output: '', updatedAt: null };
      const gpuCheck = { name: 'gpu', status: 'critical', output: 'HTTP 503', updatedAt: null };
      const health = assessHealth({ ...status, machines: [ord!] }, { [ord!.id]: [warn, gpuCheck] }, [ok]);
      expect(health.reasons).toEqual([
        `machine ${ord!.id} (ord) check servicecheck-00-http-8080 is warning`,
        `machine ${ord!.id} (ord) check gpu is critical: HTTP 503`,
      ]);
      const shown = renderHealth(health, createStyle(false));
      expect(shown).toMatch(new RegExp(`${ord!.id} +ord +started +0/2 passing`));
      expect(shown).toContain('is unhealthy: 2 problems.');
    });

    it('--require-started counts no autostop shortfall (every machine is judged started or not)', () => {
      const stopped = { ...ord!, state: 'stopped', checks: [], lastExit: { requestedStop: true, exitCode: 0, oomKilled: false } };
      const health = assessHealth({ ...status, machines: [stopped] }, {}, [ok], [], { requireStarted: true });
      expect(health).toMatchObject({ shortfalls: [], reasons: [`machine ${ord!.id} (ord) is stopped`] });
      expect(renderHealth(health, createStyle(false))).toContain('is unhealthy: 1 problem.');
    });

    it('an absent optional endpoint is no problem; a failed one names each condition its body gave', () => {
      const absent = { ...ok, path: '/gpu-health', status: 404, verdict: 'absent' as const, detail: '404: the app does not serve it' };
      expect(assessHealth({ ...status, machines: [ord!] }, {}, [ok, absent]).healthy).toBe(true);
      const conditions = [
        { name: 'xid', gpu: 0, message: 'XID 79' },
        { name: null, gpu: null, message: 'sampler stopped' },
      ];
      const failed = { ...absent, status: 503, verdict: 'failed' as const, detail: 'HTTP 503: 2 failed conditions', conditions };
      expect(assessHealth({ ...status, machines: [ord!] }, {}, [ok, failed]).reasons).toEqual([
        '/gpu-health: xid: XID 79',
        '/gpu-health: sampler stopped',
      ]);
    });
  });

  it('an app with no machines is unhealthy, even when /health answers (another app, a stale DNS entry)', () => {
    const health = assessHealth({ ...status, machines: [] }, {}, [ok]);
    expect(health).toMatchObject({ healthy: false, machines: [], reasons: ['the app has no machines'] });
  });
});

describe('probe (a local server on 127.0.0.1)', () => {
  let server: Server;
  let base: string;
  // Answers held until the test lets them go (or the server closes): time passes only on the test's clock meanwhile.
  const held: Array<() => void> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/health') return void res.end('{"status":"ok"}');
      if (req.url === '/held') return void held.push(() => res.end('{"status":"ok"}'));
      res.statusCode = 404;
      res.end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    for (const answer of held.splice(0)) answer();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const signal = new AbortController().signal;

  it('reads status and body', async () => {
    expect(await probe(base, '/health', false, 2000, signal, realClock)).toMatchObject({
      status: 200,
      verdict: 'ok',
      detail: '200 {"status":"ok"}',
    });
    expect(await probe(`${base}/`, '/gpu-health', true, 2000, signal, realClock)).toMatchObject({ status: 404, verdict: 'absent' });
  });

  it("times out when the clock says the timeout has passed, not before (the context's clock, not a global timer)", async () => {
    const clock = fakeClock();
    let result: unknown;
    const probing = probe(base, '/held', false, 60_000, signal, clock).then((r) => (result = r));
    while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await clock.advance(59_999);
    expect(result).toBeUndefined();
    await clock.advance(1);
    await probing;
    expect(result).toMatchObject({ status: null, latencyMs: null, verdict: 'failed', detail: 'no answer within 60 s' });
    held.splice(0).forEach((answer) => answer());
  });

  it('measures the latency on the clock', async () => {
    const clock = fakeClock();
    const probing = probe(base, '/held', false, 60_000, signal, clock);
    while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await clock.advance(1234);
    held.shift()!();
    expect(await probing).toMatchObject({ status: 200, verdict: 'ok', latencyMs: 1234 });
  });
});
