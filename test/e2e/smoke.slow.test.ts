/**
 * `gpuctl smoke` through the built CLI with the real podman (runc, the stand-in bases): a good layout passes
 * every check; a broken Dockerfile, an application that exits and one that never answers each fail naming
 * the step; no engine is exit 3; nothing is left behind, Ctrl-C included.
 * podman runs on a store of this file's own (test/helpers/own-store.ts), the shared one read-only beside it: what
 * smoke leaves there is all smoke's, so "nothing left" is every container podman has, a build's included, and
 * the store (the build cache smoke keeps on purpose with it) is deleted at the end.
 * [slow]: real image builds; the Node 22 re-run leaves these out.
 */
import { execa } from 'execa';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakePath, ROOT, runGpuctl, tempHome } from '../helpers/cli.js';
import { fromImages, standins } from '../helpers/engine.js';
import { ownStore, type OwnStore } from '../helpers/own-store.js';
import { RUN_ID, writeLayout, type Layout } from './image-helpers.js';

const SLOW = 15 * 60_000;
let engine: Record<string, string> = {};
let store: OwnStore | undefined;
let layout: Layout;
const app = `smoke-e2e-${RUN_ID}`;

beforeAll(async () => {
  layout = await writeLayout(['-a', app]);
  store = await ownStore(await standins(fromImages(readFileSync(join(layout.dir, 'Dockerfile'), 'utf8'))));
  engine = store.env;
}, SLOW);

afterAll(async () => {
  if (!store) return;
  const left = await store.left();
  await store.remove();
  expect(left).toEqual([]);
  expect(existsSync(store.dir)).toBe(false);
}, 120_000);

const PATH = () => `${fakePath([])}:/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin`;
const smoke = (args: readonly string[], env: Record<string, string> = {}) =>
  runGpuctl(['smoke', '--dir', layout.dir, ...args], { env: { PATH: PATH(), ...engine, ...env }, timeoutMs: SLOW });

/** What the smoke runs of this file left in its store: any container (a build's too), tagged image or volume. */
const leftovers = () => store!.left();

interface SmokeJson {
  passed: boolean;
  engine: string;
  image: { sizeBytes: number | null; kept: boolean };
  checks: Array<{ id: string; status: string; evidence: string }>;
}

function setAppEnv(entries: Record<string, string>) {
  const fly = join(layout.dir, 'fly.toml');
  const original = readFileSync(fly, 'utf8');
  const lines = Object.entries(entries).map(([k, v]) => `  ${k} = '${v}'`);
  writeFileSync(fly, original.replace('[env]\n', `[env]\n${lines.join('\n')}\n`));
  return () => writeFileSync(fly, original);
}

describe('gpuctl smoke with podman', () => {
  it(
    'passes the layout init wrote: every check, a load run within its gate, a clean stop; the summary appended; nothing left',
    async () => {
      const summary = join(tempHome(), 'summary.md');
      const run = await smoke(['--engine', 'podman', '--loadtest', '3s,20', '--min-rps', '5', '--json'], {
        GITHUB_STEP_SUMMARY: summary,
      });
      // The load run requests the health check's path (no --path): 2xx only, so the gate holds.
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      const json = JSON.parse(run.stdout) as SmokeJson;
      expect(json.passed).toBe(true);
      expect(json.engine).toBe('podman');
      expect(json.checks.map((c) => [c.id, c.status])).toEqual([
        ['build', 'pass'],
        ['start', 'pass'],
        ['app-health', 'pass'],
        ['agent-health', 'pass'],
        ['gpu-health', 'pass'],
        ['metrics', 'pass'],
        ['user', 'pass'],
        ['build-tools', 'pass'],
        ['volume', 'pass'],
        ['loadtest', 'pass'],
        ['stop', 'pass'],
      ]);
      expect(json.checks.find((c) => c.id === 'user')?.evidence).toBe('application as app, agent as app');
      expect(json.checks.find((c) => c.id === 'app-health')?.evidence).toMatch(
        /^HTTP 200 after \d+(\.\d)? s \(inside its grace_period 60 s: Fly's first try comes then\): GET http:\/\/:8080\/health \(\[\[http_service\.checks\]\]\), timeout 5 s, grace_period 60 s, interval 15 s;/,
      );
      expect(json.checks.find((c) => c.id === 'stop')?.evidence).toMatch(/^stopped in \d+\.\d s \(kill_timeout 30 s\), exit 130$/);
      expect(json.image.sizeBytes).toBeGreaterThan(100e6);
      expect(readFileSync(summary, 'utf8')).toContain(`### gpuctl smoke: ${app}`);
      expect(await leftovers()).toEqual([]);
    },
    SLOW,
  );

  it(
    'a broken Dockerfile fails at the build, naming the instruction, on the build cache the run before left; nothing left',
    async () => {
      const dockerfile = join(layout.dir, 'Dockerfile');
      const original = readFileSync(dockerfile, 'utf8');
      appendFileSync(dockerfile, 'RUN exit 7\n');
      try {
        const run = await smoke(['--engine', 'podman']);
        expect(run.exitCode, run.stderr).toBe(1);
        expect(run.stdout).toMatch(/✗\s+image builds\s+podman build exited \d+/);
        expect(run.stdout).not.toContain('container starts');
        expect(run.stdout).toMatch(/Full log: \S+smoke-smoke-e2e/);
        // The passing run above removed its image but not the layers under it (rmi --no-prune), podman's build
        // cache: every step before the context copy (which holds the changed Dockerfile) comes from it, the final
        // stage's apt-get included.
        const log = readFileSync(/Full log: (\S+)/.exec(run.stdout)![1]!, 'utf8').split('\n');
        const steps = log.flatMap((line, i) => (/STEP \d+\/\d+: (?!FROM )/.test(line) ? [[line, log[i + 1]] as const] : []));
        const context = steps.findIndex(([line]) => /STEP \d+\/\d+: COPY \. /.test(line));
        expect(context, log.join('\n')).toBeGreaterThan(0);
        // A step that copies from the `app` stage (which holds the context) may be logged before that stage is built
        // (podman builds it when first needed), so it is not a cache hit and its next line is the app stage's FROM.
        const before = steps.slice(0, context).filter(([step]) => !/COPY --from=app /.test(step));
        expect(before.length).toBeGreaterThan(3);
        for (const [step, next] of before) expect(next, step).toMatch(/^--> Using cache /);
      } finally {
        writeFileSync(dockerfile, original);
      }
      expect(await leftovers()).toEqual([]);
    },
    SLOW,
  );

  it(
    'an application that exits fails at /health with its exit code; nothing left',
    async () => {
      const restore = setAppEnv({ APP_EXIT_CODE: '3' });
      try {
        const run = await smoke(['--engine', 'podman', '--json']);
        expect(run.exitCode, run.stderr).toBe(1);
        const check = (JSON.parse(run.stdout) as SmokeJson).checks.at(-1);
        expect(check).toMatchObject({ id: 'app-health', status: 'fail' });
        expect(check?.evidence).toMatch(/^the container exited \(code 3\) before \/health answered/);
      } finally {
        restore();
      }
      expect(await leftovers()).toEqual([]);
    },
    SLOW,
  );

  it(
    'an application that never answers fails after --wait-timeout; nothing left',
    async () => {
      const restore = setAppEnv({ APP_HANG: '1' });
      try {
        const run = await smoke(['--engine', 'podman', '--wait-timeout', '5s']);
        expect(run.exitCode, run.stderr).toBe(1);
        // The layout's check: GET /health, timeout 5 s, grace_period 60 s (longer than this wait, which the evidence says).
        expect(run.stdout).toMatch(
          /✗\s+application \/health\s+no 2xx within 5 s \(shorter than its grace_period 60 s: raise --wait-timeout\); last: no answer \(/,
        );
      } finally {
        restore();
      }
      expect(await leftovers()).toEqual([]);
    },
    SLOW,
  );

  it(
    'a tcp_checks-only service: a TCP connect passes; with nothing listening it fails, not passed by the port mapping; nothing left',
    async () => {
      const fly = join(layout.dir, 'fly.toml');
      const original = readFileSync(fly, 'utf8');
      // [http_service] with its HTTP check becomes a [[services]] with only a tcp_checks entry.
      const tcpOnly = original
        .replace('[http_service]', "[[services]]\n  protocol = 'tcp'")
        .replace('[http_service.concurrency]', '[services.concurrency]')
        .replace(/\[\[http_service\.checks\]\]([\s\S]*?)\n\s*method = 'GET'\n\s*path = '\/health'\n/, '[[services.tcp_checks]]$1\n');
      expect(tcpOnly).toContain('[[services.tcp_checks]]');
      expect(tcpOnly).not.toContain('http_service');
      writeFileSync(fly, tcpOnly);
      try {
        const run = await smoke(['--engine', 'podman', '--json']);
        expect(run.exitCode, run.stdout + run.stderr).toBe(0);
        const app = (JSON.parse(run.stdout) as SmokeJson).checks.find((c) => c.id === 'app-health');
        expect(app?.evidence).toMatch(
          /^connection accepted after \d+(\.\d)? s \(inside its grace_period 60 s: Fly's first try comes then\): tcp connect to \d+ \(\[\[services\.tcp_checks\]\]\), timeout 5 s/,
        );
        const restore = setAppEnv({ APP_HANG: '1' });
        try {
          const hang = await smoke(['--engine', 'podman', '--json', '--wait-timeout', '5s']);
          expect(hang.exitCode, hang.stderr).toBe(1);
          const failed = (JSON.parse(hang.stdout) as SmokeJson).checks.at(-1);
          expect(failed).toMatchObject({ id: 'app-health', status: 'fail' });
          expect(failed?.evidence).toMatch(
            /^no connection held within 5 s \(shorter than its grace_period 60 s: raise --wait-timeout\); last: connection /,
          );
        } finally {
          restore();
        }
      } finally {
        writeFileSync(fly, original);
      }
      expect(await leftovers()).toEqual([]);
    },
    SLOW,
  );

  it(
    'Ctrl-C during the build stops it, removes what it started and exits 130',
    async () => {
      const dockerfile = join(layout.dir, 'Dockerfile');
      const original = readFileSync(dockerfile, 'utf8');
      // A sleep of its own length (the run's pid as a fraction), so no other process matches it.
      const slow = `sleep 120.${RUN_ID}`;
      appendFileSync(dockerfile, `RUN ${slow}\n`);
      try {
        const child = execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), 'smoke', '--dir', layout.dir, '--engine', 'podman'], {
          reject: false,
          env: { PATH: PATH(), ...engine, HOME: tempHome(), NO_COLOR: '1' },
          extendEnv: false,
        });
        // Interrupted once the build has reached the slow step.
        const building = () => execa('pgrep', ['-f', slow], { reject: false }).then((r) => r.exitCode === 0);
        await expect.poll(building, { timeout: 120_000, interval: 500 }).toBe(true);
        child.kill('SIGINT');
        const result = await child;
        expect(result.exitCode, String(result.stderr)).toBe(130);
        // podman ended by a signal keeps the build's working containers (podman-build(1)); smoke ends the RUN step
        // instead, so that podman stops and removes them itself: it says so, and needs no hint about leftovers.
        expect(String(result.stderr)).toContain('! Stopping the build: podman ends its running step and removes its build containers');
        expect(String(result.stderr)).not.toContain('podman did not stop by itself');
        await expect.poll(building, { timeout: 10_000 }).toBe(false);
      } finally {
        writeFileSync(dockerfile, original);
      }
      expect(await leftovers()).toEqual([]);
    },
    SLOW,
  );
});

it('without docker or podman: exit 3 naming both', async () => {
  const run = await runGpuctl(['smoke', '--dir', '.'], { cwd: (await writeLayout(['-a', `${app}-none`])).dir });
  expect(run.exitCode).toBe(3);
  expect(run.stderr).toContain('No working container engine: docker: not installed; podman: not installed.');
}, 120_000);
