/**
 * `gpuctl smoke`, step by step: engine, build, run, wait for /health, the checks inside and outside the
 * container, the optional load run, the stop, the clean-up. Every step is a Check; the first failed step
 * ends the run (the rest are skipped), and what smoke started is removed whatever happens, Ctrl-C included.
 */
import { randomBytes } from 'node:crypto';
import type { Ctx } from '../context.js';
import {
  agentHealthCheck,
  gpuHealthCheck,
  metricsCheck,
  parseProcs,
  stopCheck,
  toolsCheck,
  userCheck,
  BUILD_TOOLS,
  type Check,
} from './checks.js';
import { buildImage, smokeLogPath } from './build.js';
import { execIn, get, hostPort, PROCS_PROBE, removeAll, runArgs, stopWith, waitForHealth } from './container.js';
import { findEngine, ok, failureOf, type Engine } from './engine.js';
import { readLayout, SIGNALS } from './layout.js';
import type { SmokeLoad, SmokeOptions } from './options.js';

export interface SmokeEvents {
  /** A step starts (the spinner's text). */
  step(text: string): void;
  /** A build phase ("3/12 RUN …"). */
  phase(text: string): void;
  /** A step's verdict. */
  checked(check: Check): void;
}

/** The load run, handed in by commands/smoke.ts (the loadtest feature). */
export type LoadRun = (url: string, load: SmokeLoad, signal: AbortSignal) => Promise<Check>;

export interface SmokeReport {
  schemaVersion: 1;
  dir: string;
  engine: { name: string; version: string };
  image: { tag: string; buildSeconds: number | null; sizeBytes: number | null; kept: boolean };
  gpu: { layout: boolean; machine: boolean; reserved: boolean; note: string };
  checks: Check[];
  failedStep: string | null;
  buildLog: string;
  interrupted: boolean;
}

async function hasGpu(ctx: Ctx): Promise<boolean> {
  const out = await ctx.exec({ file: 'nvidia-smi', args: ['-L'], timeoutMs: 15_000 });
  return ok(out) && /^GPU \d+/m.test(out.stdout);
}

export async function runSmoke(ctx: Ctx, options: SmokeOptions, events: SmokeEvents, loadRun: LoadRun): Promise<SmokeReport> {
  const layout = await readLayout(options.dir);
  const engine: Engine = await findEngine(ctx, options.engine);
  const id = randomBytes(4).toString('hex');
  const tag = `localhost/gpuctl-smoke-${layout.app.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}:${id}`;
  const name = `gpuctl-smoke-${id}`;
  const label = `gpuctl-smoke=${id}`;
  const machineGpu = layout.gpu ? await hasGpu(ctx) : false;
  const reserved = layout.gpu && machineGpu;
  const report: SmokeReport = {
    schemaVersion: 1,
    dir: options.dir,
    engine: { name: engine.name, version: engine.version },
    image: { tag, buildSeconds: null, sizeBytes: null, kept: options.keep },
    gpu: {
      layout: layout.gpu,
      machine: machineGpu,
      reserved,
      note: !layout.gpu
        ? 'CPU layout: no GPU reserved'
        : reserved
          ? `GPU reserved (${engine.name === 'docker' ? '--gpus all' : '--device nvidia.com/gpu=all'})`
          : "GPU layout on a machine without a GPU: the start script's CPU fallback ran",
    },
    checks: [],
    failedStep: null,
    buildLog: smokeLogPath(ctx.env, layout.app, ctx.now()),
    interrupted: false,
  };
  const started = { container: null as string | null, image: null as string | null };
  const record = (check: Check): boolean => {
    report.checks.push(check);
    events.checked(check);
    if (check.status === 'fail' && report.failedStep === null) report.failedStep = check.name;
    return check.status !== 'fail';
  };
  try {
    await steps(ctx, options, events, loadRun, { engine, layout, tag, name, label, reserved, report, started, record });
    if (ctx.signal.aborted) report.interrupted = true;
  } catch (error) {
    if (!ctx.signal.aborted) throw error;
    report.interrupted = true;
  } finally {
    // --keep keeps the image (not the container); Ctrl-C removes both.
    if (options.keep && !report.interrupted) started.image = null;
    events.step('Removing what smoke started');
    const problems = await removeAll(engine, started);
    if (problems.length > 0) record({ name: 'clean-up', status: 'fail', evidence: problems.join('; ') });
  }
  return report;
}

interface Run {
  engine: Engine;
  layout: Awaited<ReturnType<typeof readLayout>>;
  tag: string;
  name: string;
  label: string;
  reserved: boolean;
  report: SmokeReport;
  started: { container: string | null; image: string | null };
  record: (check: Check) => boolean;
}

async function steps(ctx: Ctx, options: SmokeOptions, events: SmokeEvents, loadRun: LoadRun, r: Run): Promise<void> {
  const { engine, layout, name, record, signal } = { ...r, signal: ctx.signal };
  events.step(`Building ${r.tag} with ${engine.name}`);
  const built = await buildImage(
    ctx,
    engine,
    { dir: layout.dir, tag: r.tag, label: r.label, buildArgs: options.buildArgs, logPath: r.report.buildLog },
    (phase) => events.phase(phase),
  );
  r.report.image.buildSeconds = built.seconds;
  if (built.ok) {
    r.started.image = r.tag;
    r.report.image.sizeBytes = built.sizeBytes;
  } else {
    // A failed build may still have tagged nothing; dangling layers stay in the engine's cache.
    record({ name: 'image builds', status: 'fail', evidence: built.reason });
    return;
  }
  const size = built.sizeBytes === null ? 'size unknown' : `${(built.sizeBytes / 1e6).toFixed(0)} MB`;
  record({ name: 'image builds', status: 'pass', evidence: `${built.seconds.toFixed(1)} s, ${size}; log ${r.report.buildLog}` });

  events.step('Starting the container');
  r.started.container = name;
  const run = await engine.run(runArgs(layout, name, r.tag, r.label, engine.name, r.reserved), 60_000, { signal });
  if (!ok(run)) return void record({ name: 'container starts', status: 'fail', evidence: failureOf(`${engine.name} run`, run) });
  const [appPort, agentPort] = await Promise.all([hostPort(engine, name, layout.port), hostPort(engine, name, layout.metricsPort)]);
  if (appPort === null || agentPort === null)
    return void record({
      name: 'container starts',
      status: 'fail',
      evidence: `no 127.0.0.1 host port for ${layout.port} or ${layout.metricsPort}`,
    });
  const app = `http://127.0.0.1:${appPort}`;
  const agent = `http://127.0.0.1:${agentPort}`;

  events.step(`Waiting for ${app}/health (at most ${options.waitTimeoutMs / 1000} s)`);
  const waited = await waitForHealth(engine, name, `${app}/health`, options.waitTimeoutMs, signal);
  if (!waited.ok) return void record({ name: 'application /health', status: 'fail', evidence: waited.reason });
  record({
    name: 'application /health',
    status: 'pass',
    evidence: `200 after ${waited.seconds.toFixed(1)} s on 127.0.0.1:${appPort} (container ${layout.port})`,
  });

  events.step('Checking the agent, the user and the final stage');
  const agentHealth = await waitAgent(`${agent}/health`, signal);
  record(agentHealthCheck(agentHealth));
  record(gpuHealthCheck(await get(`${agent}/gpu-health`, signal, 10_000)));
  record(metricsCheck(await get(`${agent}/metrics`, signal, 10_000), r.reserved));
  record(await userStep(engine, name, r.tag, layout.user));
  const tools = await execIn(engine, name, `for t in ${BUILD_TOOLS.join(' ')}; do command -v "$t"; done; true`);
  record(tools.ok ? toolsCheck(tools.text) : { name: 'no build tools in the final stage', status: 'fail', evidence: tools.text });

  if (options.loadtest) {
    events.step(`Load on ${app}/health for ${options.loadtest.durationS} s`);
    record(await loadRun(`${app}/health`, options.loadtest, signal));
  }

  events.step(`Stopping with ${layout.killSignal} (kill_timeout ${layout.killTimeoutS} s)`);
  const stop = await stopWith(engine, name, layout.killSignal, layout.killTimeoutS);
  if (stop.error) return void record({ name: `stops on ${layout.killSignal} within kill_timeout`, status: 'fail', evidence: stop.error });
  record(
    stopCheck({
      signal: layout.killSignal,
      signalNumber: SIGNALS[layout.killSignal] ?? 0,
      killTimeoutS: layout.killTimeoutS,
      seconds: stop.seconds,
      exitCode: stop.exitCode,
    }),
  );
}

/** The agent starts beside the application and may answer a moment later. */
async function waitAgent(url: string, signal: AbortSignal) {
  let answer = await get(url, signal);
  for (let i = 0; i < 20 && answer.status !== 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    answer = await get(url, signal);
  }
  return answer;
}

async function userStep(engine: Engine, name: string, tag: string, user: string): Promise<Check> {
  const procs = await execIn(engine, name, PROCS_PROBE);
  if (!procs.ok) return { name: 'runs as non-root user', status: 'fail', evidence: procs.text };
  const uid = /^[\w.-]+$/.test(user) ? await execIn(engine, name, `id -u ${JSON.stringify(user)}`) : { ok: false, text: '' };
  const cmd = await engine.run(['image', 'inspect', '--format', '{{json .Config.Cmd}}', tag], 30_000);
  const args = ok(cmd) ? ((JSON.parse(cmd.stdout.trim() || 'null') as string[] | null) ?? []) : [];
  const uidNumber = uid.ok && /^\d+$/.test(uid.text.trim()) ? Number(uid.text.trim()) : null;
  return userCheck(parseProcs(procs.text), args, { name: user, uid: uidNumber });
}
