/**
 * Process groups as flyctl flattens fly.toml for each group's Machines (processgroups.go `Flatten`): smoke runs one
 * group with its [processes] command, probes the checks that apply to it (an entry without `processes` applies to
 * the default group only), and lists the others as skipped, naming their group. The engine is faked at ctx.exec;
 * every published port is a real loopback HTTP server. On the code before, smoke ran the image's CMD and probed
 * every check of every group in one container.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitCommand } from '../../../src/flyio/fly-command.js';
import { check } from '../../../src/smoke/checks.js';
import { appliesTo, chooseGroup } from '../../../src/smoke/groups.js';
import { renderSmoke } from '../../../src/smoke/render.js';
import { runSmoke } from '../../../src/smoke/run.js';
import { createStyle } from '../../../src/ui/style.js';
import { fakeClock } from '../../helpers/clock.js';
import { makeTestCtx } from '../../helpers/ctx.js';
import { fakeSmokeEngine, quietSmokeDeps } from '../../helpers/smoke-engine.js';

describe('chooseGroup and appliesTo (flyctl ProcessNames, DefaultProcessName, Flatten)', () => {
  it('the default group: app without [processes] or when [processes] has it, else the first by name; --process-group picks one', () => {
    expect(chooseGroup({}, undefined)).toEqual({ name: 'app', groups: ['app'], defaultGroup: 'app', command: null });
    const fly = { processes: { worker: 'python3 -m worker', web: "gunicorn 'app:create()' --bind :8080" } };
    expect(chooseGroup(fly, undefined)).toEqual({
      name: 'web',
      groups: ['web', 'worker'],
      defaultGroup: 'web',
      command: ['gunicorn', 'app:create()', '--bind', ':8080'],
    });
    expect(chooseGroup({ processes: { worker: 'w', app: '' } }, undefined)).toMatchObject({ name: 'app', command: null });
    expect(chooseGroup(fly, 'worker')).toMatchObject({ name: 'worker', defaultGroup: 'web', command: ['python3', '-m', 'worker'] });
    expect(() => chooseGroup(fly, 'cron')).toThrow("--process-group 'cron' is not a process group of this fly.toml ('web', 'worker').");
    expect(() => chooseGroup({ processes: { web: "serve 'open" } }, undefined)).toThrow('EOF found when expecting closing quote');
  });

  it('an entry without processes applies to the default group only, not to every group', () => {
    const fly = { processes: { web: 'w', worker: 'k' } };
    const web = chooseGroup(fly, undefined);
    const worker = chooseGroup(fly, 'worker');
    expect([appliesTo([], web), appliesTo([], worker)]).toEqual([true, false]);
    expect([appliesTo(['worker'], web), appliesTo(['worker'], worker), appliesTo(['web', 'worker'], worker)]).toEqual([false, true, true]);
  });

  it('[processes] commands split as google/shlex splits them; an open quote or a trailing backslash is its error', () => {
    const cases: Array<[string, string[] | string]> = [
      ['a  b', ['a', 'b']],
      ["a 'b  c'", ['a', 'b  c']],
      ['a "b \\" c"', ['a', 'b " c']],
      ['a\\ b', ['a b']],
      ['x\'y\'z ""', ['xyz', '']],
      ['# note\n serve', ['serve']],
      ['serve #x', ['serve']],
      ['a#b', ['a#b']],
      ['a "b', 'EOF found when expecting closing quote'],
      ["a 'b", 'EOF found when expecting closing quote'],
      ['a \\', 'EOF found after escape character'],
      ['a "b\\', 'EOF found after escape character'],
    ];
    for (const [text, expected] of cases) {
      const split = splitCommand(text);
      expect(split.ok ? split.words : split.error, text).toEqual(expected);
    }
  });
});

describe('gpuctl smoke on a fly.toml with two process groups', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const FLY =
    "app = 'groups'\n[processes]\n  web = 'serve --port 8080'\n  worker = 'work'\n" +
    "[http_service]\n  internal_port = 8080\n  processes = ['web']\n  [[http_service.checks]]\n    path = '/health'\n" +
    "[[services]]\n  internal_port = 9000\n  processes = ['worker']\n  [[services.tcp_checks]]\n" +
    "[checks.db]\n  type = 'tcp'\n  port = 5432\n" +
    "[checks.queue]\n  type = 'http'\n  port = 9100\n  path = '/queue'\n  processes = ['worker']\n" +
    "[[mounts]]\n  source = 'jobs'\n  destination = '/jobs'\n  processes = ['worker']\n";

  const smoke = async (processGroup: string | undefined) => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-smoke-groups-'));
    writeFileSync(join(dir, 'fly.toml'), FLY);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM ubuntu:22.04\nUSER app\nCMD ["image-cmd"]\n');
    const ctx = makeTestCtx({
      clock: fakeClock({ autoAdvance: true }),
      env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'gpuctl-smoke-state-')) },
      rules: fakeSmokeEngine({ cmd: '["image-cmd"]', port: () => `127.0.0.1:${port}`, processes: 'app serve --port 8080\napp work' }),
    });
    const loaded: string[] = [];
    const deps = quietSmokeDeps({
      loadtest: async (_base: string, path: string) => (loaded.push(path), check('loadtest', 'loadtest 1 s', 'pass', '5.0 req/s')),
    });
    const options = { dir, engine: 'podman' as const, buildArgs: [], waitTimeoutMs: 5000, keep: false, processGroup };
    const result = await runSmoke(ctx, options, deps);
    const run = ctx.calls.find((c) => c.args[0] === 'run')!.args;
    return { result, loaded, command: run.slice(run.findIndex((a) => a.startsWith('localhost/gpuctl-smoke-')) + 1), run };
  };
  const rows = (r: Awaited<ReturnType<typeof smoke>>['result']) =>
    r.checks.filter((c) => ['app-health', 'top-check', 'volume'].includes(c.id)).map((c) => [c.title, c.status]);

  it("by default the default group (web): its command, its checks and [checks.db] (no processes); worker's listed as skipped", async () => {
    const { result, command, loaded } = await smoke(undefined);
    expect(command).toEqual(['serve', '--port', '8080']);
    expect(result.processGroup).toEqual({ name: 'web', groups: ['web', 'worker'], command: ['serve', '--port', '8080'] });
    expect(rows(result)).toEqual([
      ['application tcp :9000', 'skip'],
      ['[checks.queue] /queue', 'skip'],
      ['application /health', 'pass'],
      ['[checks.db] tcp :5432', 'pass'],
    ]);
    expect(result.checks.find((c) => c.title === 'application tcp :9000')!.evidence).toBe(
      "not process group 'web', which smoke ran (processes = ['worker']): `gpuctl smoke --process-group worker` checks it",
    );
    expect(result.passed).toBe(true);
    expect(renderSmoke(result, createStyle(false))).toContain(
      'Process group web ran (its [processes] command, serve --port 8080); worker: not run (--process-group NAME runs one).',
    );
    expect(result.loadtest).toEqual({ path: '/health', from: '[[http_service.checks]]' });
    expect(loaded).toEqual(['/health']);
    expect(result.checks.find((c) => c.id === 'loadtest')!.evidence).toBe('GET /health ([[http_service.checks]]): 5.0 req/s');
  });

  it("--process-group worker: its command, service, check and volume; web's check and [checks.db] (the default group's) skipped", async () => {
    const { result, command, run } = await smoke('worker');
    expect(command).toEqual(['work']);
    expect(run).toContain('/jobs');
    expect(rows(result)).toEqual([
      ['application /health', 'skip'],
      ['[checks.db] tcp :5432', 'skip'],
      ['application tcp :9000', 'pass'],
      ['[checks.queue] /queue', 'pass'],
      ['/jobs writable', 'pass'],
    ]);
    expect(result.checks.find((c) => c.title === '[checks.db] tcp :5432')!.evidence).toBe(
      "not process group 'worker', which smoke ran (no processes: flyctl gives it to the default process group 'web' only): `gpuctl smoke --process-group web` checks it",
    );
    expect(result.checks.find((c) => c.id === 'user')!.evidence).toBe('application as app');
    expect(result.loadtest).toEqual({
      path: '/health',
      from: "smoke's default: the service on 9000 has no GET http check to take a path from",
    });
  });
});
