/**
 * The checks on a running container: fly.toml's own checks as written (fly-checks.ts: TCP connects and HTTP(S)
 * requests, waited for, every attempt bounded), the agent's three endpoints, who runs what, the build tools left in
 * the image, the volume, and the stop as Fly does it (kill_signal, then at most kill_timeout). Observations come from
 * the engine and loopback connections only.
 */
import type { Ctx } from '../context.js';
import { InterruptedError } from '../errors.js';
import { containerWatch, waitForCheck, type Attempt } from './check-wait.js';
import { fetchBounded } from '../shared/http-read.js';
import { tcpConnect } from '../shared/tcp-connect.js';
import { buildToolsCheck, check, gpuHealthCheck, metricsCheck, stopCheck, userCheck, type SmokeCheck, type Verdict } from './checks.js';
import type { Engine } from './engine.js';
import type { Probe } from './fly-checks.js';
import type { SmokeLayout } from './layout.js';
import { probeFailed, probePassed, probeTitle } from './probe-checks.js';

export interface Container {
  name: string;
  app: string;
  agent: string | null;
  /** The container's ports published on 127.0.0.1: internal port -> host port. */
  ports: Record<number, number>;
  cmd: readonly string[];
  gpus: boolean;
  /** Monotonic ms when the engine's `run` returned: the checks' grace_period counts from here. */
  startedAt?: number;
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

/** Why a request got no answer: the connection's error code (ECONNREFUSED, a TLS error), else the error's text. */
function noAnswer(error: unknown): string {
  const e = error as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  return `no answer (${e.cause?.code ?? e.code ?? e.cause?.message ?? e.message ?? String(error)})`;
}

/** One attempt of a fly.toml check against the container's published port: a TCP connect, or the HTTP(S) request as written. */
export async function attemptProbe(ctx: Ctx, p: Probe, hostPort: number): Promise<Attempt> {
  if (p.kind === 'tcp') return tcpConnect('127.0.0.1', hostPort, { timeoutMs: p.timeoutMs, signal: ctx.signal, clock: ctx.clock });
  try {
    const r = await fetchBounded(`${p.protocol}://127.0.0.1:${hostPort}${p.path}`, {
      method: p.method,
      headers: p.headers,
      redirect: 'manual',
      timeoutMs: p.timeoutMs,
      signal: ctx.signal,
      clock: ctx.clock,
      ...(p.protocol === 'https' ? { tls: { verify: !p.tlsSkipVerify, serverName: p.tlsServerName ?? undefined } } : {}),
    });
    return { ok: r.status >= 200 && r.status < 300, said: `HTTP ${r.status}` };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return { ok: false, said: noAnswer(error) };
  }
}

const agentGet = (ctx: Ctx, url: string) => async (): Promise<Attempt> => {
  const r = await get(ctx, url);
  return { ok: r.status === 200, said: r.status ? `HTTP ${r.status}` : 'no answer' };
};

export async function probeRunning(
  ctx: Ctx,
  engine: Engine,
  c: Container,
  layout: SmokeLayout,
  waitMs: number,
  deps: ProbeDeps,
): Promise<SmokeCheck[]> {
  const checks: SmokeCheck[] = [];
  const state = containerWatch(ctx, () => containerState(engine, c.name));
  // Every check of fly.toml within one --wait-timeout, as a deploy waits for all of them within its wait_timeout;
  // each tried on its own schedule (each second inside grace_period, then every interval) from the container's start.
  const started = c.startedAt ?? ctx.clock.monotonic();
  const deadline = ctx.clock.monotonic() + waitMs;
  for (const p of layout.probes) {
    const first = p.gracePeriodMs ? `each second inside its grace_period, ${Math.round(p.gracePeriodMs / 1000)} s; ` : '';
    deps.progress(`Waiting for ${probeTitle(p)} (${first}at most ${Math.round(waitMs / 1000)} s)`);
    const hostPort = c.ports[p.port]!;
    const plan = { startedAt: started, graceMs: p.gracePeriodMs ?? 0, intervalMs: p.intervalMs, deadline };
    const r = await waitForCheck(ctx, state, () => attemptProbe(ctx, p, hostPort), plan);
    if (!r.ok) {
      checks.push(probeFailed(p, { exited: r.exited, last: r.last?.said ?? null, waitMs }));
      return checks;
    }
    checks.push(probePassed(p, r.last.said, ctx.clock.monotonic() - started, r.early));
  }
  if (c.agent !== null) {
    const now = ctx.clock.monotonic();
    const plan = { startedAt: now, graceMs: 0, intervalMs: 1000, deadline: now + 30_000 };
    const agent = await waitForCheck(ctx, state, agentGet(ctx, `${c.agent}/health`), plan);
    checks.push(check('agent-health', 'agent /health', agent.ok ? 'pass' : 'fail', agent.last?.said ?? 'the container exited'));
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
