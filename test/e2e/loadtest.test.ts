/**
 * `gpuctl loadtest` as a process (the built CLI) against a small server this test starts on
 * 127.0.0.1, with GPUCTL_LOADTEST_LOOPBACK_ONLY=1 so that nothing can leave the machine. Runs are
 * short (1-2 s); the figures are checked for what they must be, not for speed.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { LoadtestJson } from '../../src/loadtest/render.js';
import { fakePath, ROOT, runGpuctl, tempHome } from '../helpers/cli.js';

let server: Server;
let base: string;
let hits = 0;
const authorization = new Set<string>();
beforeAll(async () => {
  server = createServer((req, res) => {
    hits += 1;
    if (req.url === '/fail') {
      res.statusCode = 503;
      return void res.end('{"status":"failing"}');
    }
    if (req.url === '/slow') return void setTimeout(() => res.end('ok'), 30);
    if (req.url === '/auth') authorization.add(req.headers.authorization ?? '');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const env = { GPUCTL_LOADTEST_LOOPBACK_ONLY: '1' };
const load = (args: string[], extra: Record<string, string> = {}) =>
  runGpuctl(['loadtest', ...args], { env: { ...env, ...extra }, timeoutMs: 60_000 });

test('a fixed rate for a duration: rps near the rate, every percentile, no errors; the step summary is written', async () => {
  const summary = join(mkdtempSync(join(tmpdir(), 'gpuctl-load-')), 'summary.md');
  const before = hits;
  const run = await load([`${base}/`, '--duration', '2s', '--rate', '50', '--json', '--min-rps', '10'], { GITHUB_STEP_SUMMARY: summary });
  expect(run.exitCode, run.stderr).toBe(0);
  const json = JSON.parse(run.stdout) as LoadtestJson;
  expect(json.mode).toEqual({ rate: 50, connections: 10, durationS: 2, method: 'GET' });
  expect(json.summary.errors).toBe(0);
  expect(json.summary.non2xx).toBe(0);
  // Every counted response was served; at most one request per connection was still in flight at the stop.
  expect(json.summary.ok2xx).toBeLessThanOrEqual(hits - before);
  expect(json.summary.ok2xx).toBeGreaterThanOrEqual(hits - before - json.mode.connections);
  // A fixed rate: about what was asked (loopback without a rate gives thousands per second), not a trickle.
  expect(json.summary.rps).toBeLessThanOrEqual(50 * 1.5);
  expect(json.summary.rps).toBeGreaterThan(10);
  const l = json.summary.latencyMs!;
  expect(l.p50).toBeGreaterThan(0);
  expect(l.p50).toBeLessThanOrEqual(l.p90);
  expect(l.p90).toBeLessThanOrEqual(l.p95);
  expect(l.p95).toBeLessThanOrEqual(l.p99);
  expect(l.p99).toBeLessThanOrEqual(l.p999);
  expect(json.gate).toMatchObject({ passed: true, checks: [{ name: 'rps', passed: true }] });
  const md = readFileSync(summary, 'utf8');
  expect(md).toContain('### gpuctl loadtest: passed');
  expect(md).toMatch(/\| requests\/s \| p50 \| p90 \| p95 \| p99 \| p99\.9 \| non-2xx \| errors \|/);
});

test('a password in the URL is sent (basic auth) and never shown: not in the text, the JSON or the step summary', async () => {
  const summary = join(mkdtempSync(join(tmpdir(), 'gpuctl-load-')), 'summary.md');
  const target = base.replace('http://', 'http://admin:s3cretpass@');
  const text = await load([`${target}/auth`, '-d', '1s', '--connections', '1'], { GITHUB_STEP_SUMMARY: summary });
  const json = await load([`${target}/auth`, '-d', '1s', '--connections', '1', '--json']);
  expect(text.exitCode, text.stderr).toBe(0);
  expect(json.exitCode, json.stderr).toBe(0);
  expect([...authorization]).toEqual([`Basic ${Buffer.from('admin:s3cretpass').toString('base64')}`]);
  expect((JSON.parse(json.stdout) as LoadtestJson).url).toBe(`${base}/auth`);
  expect(text.stdout).toContain(`GET ${base}/auth, 1 connection`);
  for (const shown of [text.stdout, text.stderr, json.stdout, json.stderr, readFileSync(summary, 'utf8')])
    expect(shown).not.toContain('s3cret');
});

test('the CI gate: --max-p95 missed → exit 1, said per check', async () => {
  const run = await load([`${base}/slow`, '-d', '1s', '--connections', '2', '--max-p95', '5ms']);
  expect(run.exitCode).toBe(1);
  expect(run.stdout).toMatch(/✗ p95 \d+(\.\d+)? ms \(limit ≤ 5\.00 ms\)/);
  expect(run.stdout).toContain('Failed: the gate was missed.');
  expect(run.stdout).toMatch(/requests\/s +\d/);
  expect(run.stdout).toMatch(/p99\.9 +\d/);
});

test('non-2xx responses are counted, and a run without a single 2xx fails', async () => {
  const run = await load([`${base}/fail`, '-d', '1s', '--connections', '2', '--json']);
  expect(run.exitCode).toBe(1);
  const json = JSON.parse(run.stdout) as LoadtestJson;
  expect(json.summary.non2xx).toBeGreaterThan(0);
  expect(json.summary.statusCodes['503']).toBe(json.summary.non2xx);
  expect(json.summary.latencyMs).toBeNull();
});

test('refusals (exit 2): no --duration, over the bounds, a target off loopback in tests', async () => {
  expect((await load([`${base}/`])).stderr).toContain('--duration is required');
  expect((await load([`${base}/`, '-d', '20m'])).exitCode).toBe(2);
  expect((await load([`${base}/`, '-d', '1s', '--rate', '1000000'])).exitCode).toBe(2);
  // -R is the rate (autocannon's and wrk2's -R); -r is --region in gpuctl, as in flyctl, and was the rate here once
  expect((await load([`${base}/`, '-d', '1s', '-R', '1000000'])).stderr).toContain('--rate must be a number above 0 and at most 10000');
  const oldRate = await load([`${base}/`, '-d', '1s', '-r', '50']);
  expect(oldRate.exitCode).toBe(2);
  expect(oldRate.stderr).toContain('-r 50: -r is --region in gpuctl, as in flyctl');
  expect(oldRate.stderr).toContain('use -R 50 (--rate');
  const remote = await load(['https://quant-signals.fly.dev/', '-d', '1s']);
  expect(remote.exitCode).toBe(2);
  expect(remote.stderr).toContain('is not a loopback address');
  const app = await load(['-a', 'quant-signals', '-d', '1s']);
  expect(app.stderr).toContain('quant-signals.fly.dev is not a loopback address');
});

test('Ctrl-C (or SIGTERM) stops a long run cleanly: exit 130 (143) within seconds, the part that ran reported with that exit code', async () => {
  const home = tempHome();
  const stop = async (signal: 'SIGINT' | 'SIGTERM') => {
    const child = execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), 'loadtest', `${base}/`, '-d', '60s', '--rate', '20', '--json'], {
      reject: false,
      extendEnv: false,
      cwd: home,
      env: { PATH: fakePath([]), HOME: home, NO_COLOR: '1', ...env },
      timeout: 30_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const sent = performance.now();
    child.kill(signal);
    const result = await child;
    return { result, afterMs: performance.now() - sent };
  };
  // both at once: the same wall time as one
  const [int, term] = await Promise.all([stop('SIGINT'), stop('SIGTERM')]);
  for (const [{ result, afterMs }, code] of [
    [int, 130],
    [term, 143],
  ] as const) {
    expect(result.exitCode).toBe(code);
    expect(afterMs).toBeLessThan(5000);
    const json = JSON.parse(String(result.stdout)) as LoadtestJson;
    expect(json.interrupted).toBe(true);
    expect(json.exitCode).toBe(code); // it said 130 after a SIGTERM while gpuctl exited 143
    expect(json.summary.ok2xx).toBeGreaterThan(0);
  }
});
