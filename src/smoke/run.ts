/**
 * `gpuctl smoke`: build the layout's image, run it on loopback as Fly would (its environment, a volume,
 * kill_signal), check it, stop it, and remove what it started: the container always, the image unless
 * --keep, on Ctrl-C too. Progress goes out as events; the command owns the screen.
 */
import type { Ctx } from '../context.js';
import { ToolError } from '../errors.js';
import { logPath, namePart, writeLog } from '../shared/log-file.js';
import { check, type SmokeCheck } from './checks.js';
import { runBuild } from './build.js';
import { buildArgs, findEngine, hostPort, imageFacts, runArgs, type Engine, type EngineName } from './engine.js';
import { skippedProbe } from './groups.js';
import { readLayout, type SmokeLayout } from './layout.js';
import { loadTarget, type LoadTarget } from './load-target.js';
import { containerState, probeRunning, stopAsFly, type Container, type ProbeDeps } from './probe.js';
import { probeFailed } from './probe-checks.js';

export interface SmokeOptions {
  dir: string;
  engine: EngineName | undefined;
  buildArgs: string[];
  waitTimeoutMs: number;
  keep: boolean;
  /** --process-group: the group to run (default: flyctl's default group; groups.ts). */
  processGroup?: string | undefined;
  /** --path: what --loadtest requests (default: load-target.ts). */
  loadtestPath?: string | undefined;
}

export interface SmokeDeps extends ProbeDeps {
  /** Something the user must see now, that stays on screen (the running step ends with it). */
  notice(text: string): void;
  hasGpu(): Promise<boolean>;
  /** The loadtest against the running application (its gates), when --loadtest asks for one: its base URL and the path to load. */
  loadtest: ((appBase: string, path: string) => Promise<SmokeCheck>) | undefined;
}

export interface SmokeResult {
  schemaVersion: 1;
  dir: string;
  app: string;
  engine: EngineName;
  image: { tag: string; sizeBytes: number | null; kept: boolean };
  buildSeconds: number | null;
  gpu: { layout: boolean; reserved: boolean };
  /** The process group smoke ran: its name, every group, and its [processes] command (null: the image's CMD). */
  processGroup: { name: string; groups: string[]; command: string[] | null };
  logFile: string | null;
  /** With --loadtest: the path it requests and where that came from (load-target.ts); else null. */
  loadtest: LoadTarget | null;
  checks: SmokeCheck[];
  passed: boolean;
}

export async function runSmoke(ctx: Ctx, options: SmokeOptions, deps: SmokeDeps): Promise<SmokeResult> {
  const layout = await readLayout(options.dir, options.processGroup);
  const engine = await findEngine(ctx, options.engine);
  const id = `${ctx.clock.now().getTime().toString(36)}${ctx.host.pid.toString(36)}`;
  const label = `gpuctl.smoke=${id}`;
  const result: SmokeResult = {
    schemaVersion: 1,
    dir: options.dir,
    app: layout.app,
    engine: engine.name,
    image: { tag: `localhost/gpuctl-smoke-${namePart(layout.app)}:${id}`, sizeBytes: null, kept: false },
    buildSeconds: null,
    gpu: { layout: layout.gpuLayout, reserved: false },
    processGroup: { name: layout.group.name, groups: layout.group.groups, command: layout.group.command },
    logFile: null,
    loadtest: deps.loadtest ? loadTarget(layout.probes, layout.port, options.loadtestPath) : null,
    checks: [],
    passed: false,
  };
  const log: string[] = [];
  const container: Container = {
    name: `gpuctl-smoke-${namePart(layout.app)}-${id}`,
    app: '',
    agent: null,
    ports: {},
    cmd: [],
    gpus: false,
  };
  let built = false;
  // A build stopped part-way (Ctrl-C: podman may still finish it in its grace) may have tagged the image.
  let building = false;
  let started = false;
  try {
    deps.progress(`Building ${options.dir} with ${engine.name}`);
    const t0 = ctx.clock.monotonic();
    const args = buildArgs({ dir: options.dir, tag: result.image.tag, label, buildArgs: options.buildArgs });
    building = true;
    const build = await runBuild(ctx, engine, args, deps, log);
    building = false;
    result.buildSeconds = Math.round((ctx.clock.monotonic() - t0) / 100) / 10;
    if (build.exitCode !== 0) {
      const last = [...build.stdout.split('\n'), ...build.stderr.split('\n')].filter((l) => l.trim()).slice(-3);
      result.checks.push(check('build', 'image builds', 'fail', `${engine.name} build exited ${build.exitCode}: ${last.join(' | ')}`));
      return result;
    }
    built = true;
    result.checks.push(check('build', 'image builds', 'pass', `${result.buildSeconds} s`));
    const inspect = await engine.run(['image', 'inspect', '--format', '{{.Size}} {{json .Config.Cmd}}', result.image.tag], {
      timeoutMs: 30_000,
    });
    const facts = imageFacts(inspect.stdout);
    if (facts === null)
      throw new ToolError(
        `\`${engine.name} image inspect\` printed something unreadable: ${JSON.stringify(inspect.stdout.trim().slice(0, 120))}.`,
        engine.name,
        'bad_output',
      );
    result.image.sizeBytes = facts.sizeBytes;
    container.cmd = layout.group.command ?? facts.cmd;
    container.gpus = result.gpu.reserved = layout.gpuLayout && (await deps.hasGpu());
    await start(ctx, engine, layout, container, label, result.image.tag, result.checks);
    started = true;
    if (result.checks.some((c) => c.status === 'fail')) return result;
    result.checks.push(...layout.skipped.map((p) => skippedProbe(p, layout.group)));
    result.checks.push(...(await probeRunning(ctx, engine, container, layout, options.waitTimeoutMs, deps)));
    if (deps.loadtest && result.loadtest && !result.checks.some((c) => c.status === 'fail')) {
      const { path, from } = result.loadtest;
      deps.progress(`Load test of GET ${path}`);
      const load = await deps.loadtest(container.app, path);
      result.checks.push({ ...load, evidence: `GET ${path} (${from}): ${load.evidence}` });
    }
    if (!result.checks.some((c) => c.id === 'app-health' && c.status === 'fail'))
      result.checks.push(await stopAsFly(ctx, engine, container, layout, deps));
    return result;
  } finally {
    result.passed = result.checks.length > 0 && !result.checks.some((c) => c.status === 'fail');
    result.image.kept = built && options.keep;
    await cleanUp(engine, container.name, started, (built && !options.keep) || building ? result.image.tag : null, log);
    result.logFile = await keepLog(ctx, layout, log);
  }
}

async function start(
  ctx: Ctx,
  engine: Engine,
  layout: SmokeLayout,
  c: Container,
  label: string,
  tag: string,
  checks: SmokeCheck[],
): Promise<void> {
  // The service's port, each check's port (a top-level check may name another) and the agent's, each once.
  const ports = [
    ...new Set([layout.port, ...layout.probes.map((p) => p.port), ...(layout.metricsPort !== null ? [layout.metricsPort] : [])]),
  ];
  const run = await engine.run(
    runArgs(engine.name, {
      name: c.name,
      label,
      tag,
      ports,
      env: layout.env,
      mounts: layout.mounts,
      gpus: c.gpus,
      cmd: layout.group.command,
    }),
    { timeoutMs: 120_000 },
  );
  c.startedAt = ctx.clock.monotonic();
  if (run.exitCode !== 0) {
    checks.push(check('start', 'container starts', 'fail', run.stderr.trim().split('\n').at(-1) ?? `exit ${run.exitCode}`));
    return;
  }
  const published: Array<{ port: number; host: number | null; said: string }> = [];
  for (const p of ports) {
    const said = await engine.run(['port', c.name, String(p)], { timeoutMs: 30_000 });
    published.push({ port: p, host: hostPort(said.stdout), said: (said.stdout.trim() || said.stderr.trim()).split('\n')[0] ?? '' });
  }
  const unread = published.find((p) => p.host === null);
  if (unread) {
    // An application that exits at once takes its ports with it: that is the health check's failure, with the code.
    const s = await containerState(engine, c.name);
    if (!s.running && s.exitCode !== null) {
      checks.push(check('start', 'container starts', 'pass', `started, then exited before its ports could be read`));
      const first = layout.probes[0];
      checks.push(
        first
          ? probeFailed(first, { exited: s.exitCode, last: 'no answer', waitMs: 0 })
          : check('app-health', 'application', 'fail', `the container exited (code ${s.exitCode}) before it could be checked`),
      );
      return;
    }
    checks.push(
      check('start', 'container starts', 'fail', `\`${engine.name} port\` named no 127.0.0.1 port: ${JSON.stringify(unread.said)}`),
    );
    return;
  }
  c.ports = Object.fromEntries(published.map((p) => [p.port, p.host!]));
  c.app = `http://127.0.0.1:${c.ports[layout.port]}`;
  c.agent = layout.metricsPort !== null ? `http://127.0.0.1:${c.ports[layout.metricsPort]}` : null;
  const others = published.filter((p) => p.port !== layout.port && p.port !== layout.metricsPort).map((p) => `${p.port} on ${p.host}`);
  checks.push(
    check(
      'start',
      'container starts',
      'pass',
      `ports on 127.0.0.1: ${c.app.slice(17)}${c.agent ? `, agent ${c.agent.slice(17)}` : ''}${others.length ? `, ${others.join(', ')}` : ''}${c.gpus ? ', GPUs reserved' : ''}`,
    ),
  );
}

/** Never interrupted itself: it runs after Ctrl-C, on a signal of its own. */
async function cleanUp(engine: Engine, name: string, started: boolean, image: string | null, log: string[]): Promise<void> {
  const own = new AbortController().signal;
  if (started) {
    const logs = await engine.run(['logs', name], { timeoutMs: 30_000, signal: own }).catch(() => null);
    if (logs) log.push('--- container log ---', ...logs.stdout.split('\n'), ...logs.stderr.split('\n'));
    await engine.run(['rm', '--force', '--volumes', name], { timeoutMs: 60_000, signal: own }).catch(() => undefined);
  }
  // --no-prune: the image's untagged parents are podman's build cache (docker's is apart from its images); a
  // pruning rmi threw away the final stage's layers, so the next smoke ran its apt-get again (8 s -> 40 s here).
  if (image) await engine.run(['rmi', '--force', '--no-prune', image], { timeoutMs: 60_000, signal: own }).catch(() => undefined);
}

async function keepLog(ctx: Ctx, layout: SmokeLayout, log: readonly string[]): Promise<string | null> {
  if (log.length === 0) return null;
  const path = logPath(ctx.env, 'smoke', layout.app, ctx.clock.now());
  return writeLog(path, log, (text) => ctx.redact(text)).then(
    () => path,
    () => null,
  );
}
