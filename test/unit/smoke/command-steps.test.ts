/**
 * `gpuctl smoke` through the command, with the engine faked at ctx.exec and the container's ports served by a loopback
 * HTTP server: a passing run, and what a CI log shows on the way. Without a terminal, a step that lasts 30 s prints a
 * progress line with ITS time: "… Stopping with SIGINT (…) (30 s)" for a stop that has taken 30 s, not the run's total.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseSmoke, smokeCommand } from '../../../src/commands/smoke.js';
import type { ExecRequest } from '../../../src/exec.js';
import { fakeClock } from '../../helpers/clock.js';
import { exited, makeTestCtx } from '../../helpers/ctx.js';

let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/gpu-health') return void res.end('{"status":"ok","mode":"cpu fallback","gpus":0,"failures":[]}');
    if (req.url === '/metrics') return void res.end('gpuctl_host_cpus 2\ngpuctl_host_load1 0.1\ngpuctl_host_cpu_busy_ratio 0.05\n');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('a passing CPU layout; each CI progress line carries its own step time', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-smoke-steps-'));
  writeFileSync(
    join(dir, 'fly.toml'),
    "app = 'demo'\nkill_signal = 'SIGINT'\nkill_timeout = 60\n[http_service]\n  internal_port = 8080\n[metrics]\n  port = 9091\n",
  );
  writeFileSync(join(dir, 'Dockerfile'), 'FROM ubuntu:22.04\nENV GPUCTL_RUN_AS=app\nCMD ["python3", "-m", "app"]\n');
  const clock = fakeClock();
  const engine = (sub: string, result: (r: ExecRequest) => ReturnType<typeof exited>) => ({
    match: (r: ExecRequest) => r.file === 'podman' && r.args[0] === sub,
    result,
  });
  const base = makeTestCtx({
    clock,
    env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'gpuctl-smoke-state-')) },
    rules: [
      engine('info', () => exited('{}')),
      engine('build', () => exited('STEP 1/1: FROM ubuntu:22.04\n')),
      engine('image', () => exited('123456789 ["python3","-m","app"]\n')),
      engine('run', () => exited('c0ffee\n')),
      engine('port', () => exited(`127.0.0.1:${port}\n`)),
      engine('exec', (r) =>
        exited(
          r.args.includes('touch "$1/.gpuctl-smoke" && rm -f "$1/.gpuctl-smoke"')
            ? ''
            : r.args.at(-1)!.startsWith('for d')
              ? 'app python3 -m app\napp node /usr/local/bin/gpuctl agent\n'
              : '',
        ),
      ),
      engine('kill', () => exited('')),
      engine('inspect', () => exited('false 130\n')),
      engine('logs', () => exited('')),
      engine('rm', () => exited('')),
      engine('rmi', () => exited('')),
    ],
  });
  // The build takes 40 s and the stop 35 s on the fake clock, which moves only here.
  const took: Record<string, number> = { build: 40_000, kill: 35_000 };
  const ctx = { ...base, exec: async (r: ExecRequest) => (await clock.advance(took[r.args[0] ?? ''] ?? 0), base.exec(r)) };
  const code = await smokeCommand.run!(parseSmoke({ args: [], opts: { dir, engine: 'podman' } }), ctx);
  expect(code, base.out() + base.err()).toBe(0);
  expect(base.out()).toContain('Smoke: demo');
  expect(base.out()).toMatch(/✓ +stops on SIGINT within kill_timeout +stopped in 35\.0 s \(kill_timeout 60 s\), exit 130/);
  const lines = ctx
    .err()
    .split('\n')
    .filter((l) => l.startsWith('…'));
  expect(lines).toEqual([`… Building ${dir} with podman (30 s)`, '… Stopping with SIGINT (kill_timeout 60 s) (30 s)']);
});
