/**
 * The checks on a running container: the application's health (waited for, bounded), the agent's three
 * endpoints, who runs what, the build tools left in the image, the volume, and the stop as Fly does it
 * (kill_signal, then at most kill_timeout). Observations come from the engine and loopback HTTP only.
 */
import type { Ctx } from '../context.js';
import { InterruptedError } from '../errors.js';
import { fetchBounded } from '../shared/http-read.js';
import { buildToolsCheck, check, gpuHealthCheck, metricsCheck, stopCheck, userCheck, type SmokeCheck, type Verdict } from './checks.js';
import type { Engine } from './engine.js';
import type { SmokeLayout } from './layout.js';

export interface Container {
  name: string;
  app: string;
  agent: string | null;
  cmd: readonly string[];
  gpus: boolean;
}

export interface ProbeDeps {
  readVerdict(body: string): Verdict | null;
  /** A new step (its own elapsed time on a CI line), or with `sameStep` the current step's latest text (a build phase). */
  progress(text: string, sameStep?: boolean): void;
}

const PS =
  'for d in /proc/[0-9]*; do [ -r "$d/cmdline" ] && printf "%s %s\\n" "$(stat -c %U "$d")" "$(tr "\\0" " " < "$d/cmdline")"; done; true';
const TOOLS = 'for t in gcc cc g++ c++ make nvcc git; do command -v "$t"; done; true';

async function get(ctx: Ctx, url: string): Promise<{ status: number; body: string }> {
  try {
    return await fetchBounded(url, { timeoutMs: 5000, signal: ctx.signal, clock: ctx.clock });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return { status: 0, body: '' };
  }
}

/** Whether the container runs, and its exit code once it has exited. */
export async function containerState(engine: Engine, name: string): Promise<{ running: boolean; exitCode: number | null }> {
  const r = await engine.run(['inspect', '--format', '{{.State.Running}} {{.State.ExitCode}}', name], { timeoutMs: 30_000 });
  const [running, code] = r.stdout.trim().split(' ');
  return { running: running === 'true', exitCode: code === undefined || code === '' ? null : Number(code) };
}

/** Polls URL until 200 or the deadline; stops early when the container has exited. */
async function waitFor(ctx: Ctx, engine: Engine, c: Container, url: string, timeoutMs: number) {
  const deadline = ctx.clock.monotonic() + timeoutMs;
  let last = { status: 0, body: '' };
  for (;;) {
    last = await get(ctx, url);
    if (last.status === 200) return { ok: true as const, last };
    const s = await containerState(engine, c.name);
    if (!s.running) return { ok: false as const, exited: s.exitCode, last };
    if (ctx.clock.monotonic() >= deadline) return { ok: false as const, exited: null, last };
    if (!(await ctx.clock.sleep(1000, ctx.signal))) throw new InterruptedError();
  }
}

/** The application's health check failed: the container exited first (its code), or no 200 came within the wait. */
export function appHealthFailed(layout: SmokeLayout, exited: number | null, lastStatus: number, waitMs: number): SmokeCheck {
  const why =
    exited !== null
      ? `the container exited (code ${exited}) before ${layout.healthPath} answered`
      : `no 200 within ${Math.round(waitMs / 1000)} s`;
  return check(
    'app-health',
    `application ${layout.healthPath}`,
    'fail',
    `${why}; last: ${lastStatus === 0 ? 'no answer' : `HTTP ${lastStatus}`}`,
  );
}

export async function probeRunning(
  ctx: Ctx,
  engine: Engine,
  c: Container,
  layout: SmokeLayout,
  waitMs: number,
  deps: ProbeDeps,
): Promise<SmokeCheck[]> {
  const checks: SmokeCheck[] = [];
  deps.progress(`Waiting for ${layout.healthPath} (at most ${Math.round(waitMs / 1000)} s)`);
  const started = ctx.clock.monotonic();
  const app = await waitFor(ctx, engine, c, `${c.app}${layout.healthPath}`, waitMs);
  if (!app.ok) {
    checks.push(appHealthFailed(layout, app.exited, app.last.status, waitMs));
    return checks;
  }
  checks.push(
    check(
      'app-health',
      `application ${layout.healthPath}`,
      'pass',
      `HTTP 200 after ${((ctx.clock.monotonic() - started) / 1000).toFixed(1)} s`,
    ),
  );
  if (c.agent !== null) {
    const agent = await waitFor(ctx, engine, c, `${c.agent}/health`, 30_000);
    checks.push(
      check(
        'agent-health',
        'agent /health',
        agent.ok ? 'pass' : 'fail',
        agent.ok ? 'HTTP 200' : agent.last.status ? `HTTP ${agent.last.status}` : 'no answer',
      ),
    );
    const gpu = await get(ctx, `${c.agent}/gpu-health`);
    const verdict = gpu.status === 0 ? null : deps.readVerdict(gpu.body);
    checks.push(gpuHealthCheck(gpu.status, verdict, { gpuLayout: layout.gpuLayout, gpusReserved: c.gpus }));
    const metrics = await get(ctx, `${c.agent}/metrics`);
    checks.push(metricsCheck(metrics.status, metrics.body, verdict?.mode === 'gpu' ? 'gpu' : 'cpu'));
  }
  const ps = await engine.run(['exec', c.name, 'sh', '-c', PS], { timeoutMs: 30_000 });
  checks.push(userCheck(ps.stdout, c.cmd, layout.runAs));
  const tools = await engine.run(['exec', c.name, 'sh', '-c', TOOLS], { timeoutMs: 30_000 });
  checks.push(buildToolsCheck(tools.stdout));
  for (const mount of layout.mounts) {
    const user = layout.runAs ? ['--user', layout.runAs] : [];
    const w = await engine.run(['exec', ...user, c.name, 'sh', '-c', 'touch "$1/.gpuctl-smoke" && rm -f "$1/.gpuctl-smoke"', 'sh', mount], {
      timeoutMs: 30_000,
    });
    const who = layout.runAs ?? 'the image user';
    checks.push(
      check(
        'volume',
        `${mount} writable`,
        w.exitCode === 0 ? 'pass' : 'fail',
        w.exitCode === 0 ? `${who} can write` : `${who} cannot write: ${w.stderr.trim()}`,
      ),
    );
  }
  return checks;
}

/** Sends kill_signal and waits at most kill_timeout, as Fly does; the exit code must be a clean one. */
export async function stopAsFly(ctx: Ctx, engine: Engine, c: Container, layout: SmokeLayout, deps: ProbeDeps): Promise<SmokeCheck> {
  deps.progress(`Stopping with ${layout.killSignal} (kill_timeout ${layout.killTimeoutS} s)`);
  const started = ctx.clock.monotonic();
  const kill = await engine.run(['kill', `--signal=${layout.killSignal}`, c.name], { timeoutMs: 30_000 });
  let s = await containerState(engine, c.name);
  // Refused (e.g. kill_signal = 'SIGFOO') while the container runs: say so now, not "still running" after kill_timeout.
  const refused = kill.exitCode !== 0 && s.running ? (kill.stderr.trim().split('\n').at(-1) ?? '') || `exit ${kill.exitCode}` : undefined;
  while (refused === undefined && s.running && ctx.clock.monotonic() - started < layout.killTimeoutS * 1000) {
    if (!(await ctx.clock.sleep(250, ctx.signal))) throw new InterruptedError();
    s = await containerState(engine, c.name);
  }
  const seconds = (ctx.clock.monotonic() - started) / 1000;
  return stopCheck({
    stopped: !s.running,
    exitCode: s.exitCode,
    seconds,
    killSignal: layout.killSignal,
    killTimeoutS: layout.killTimeoutS,
    ...(refused !== undefined ? { killError: refused } : {}),
  });
}
