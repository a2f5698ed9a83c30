/**
 * The container smoke starts: published on 127.0.0.1 only (random free host ports), the GPU reserved when
 * asked (docker `--gpus all`, podman CDI `--device nvidia.com/gpu=all`); probes run inside it with `exec`;
 * stopped with a signal and waited for; removed whatever happened.
 */
import { fetchBounded } from '../shared/http-read.js';
import type { Answer } from './checks.js';
import { failureOf, ok, QUICK_MS, type Engine } from './engine.js';
import type { Layout } from './layout.js';

export function gpuFlags(engine: Engine['name']): string[] {
  return engine === 'docker' ? ['--gpus', 'all'] : ['--device', 'nvidia.com/gpu=all'];
}

export function runArgs(layout: Layout, name: string, tag: string, label: string, engine: Engine['name'], gpu: boolean): string[] {
  return [
    'run',
    '--detach',
    '--name',
    name,
    '--label',
    label,
    '--publish',
    `127.0.0.1::${layout.port}`,
    '--publish',
    `127.0.0.1::${layout.metricsPort}`,
    ...Object.entries(layout.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    ...(gpu ? gpuFlags(engine) : []),
    tag,
  ];
}

/** The host port `<engine> port` reports for a container port on 127.0.0.1. */
export function hostPortOf(text: string): number | null {
  const m = /^127\.0\.0\.1:(\d+)$/m.exec(text.trim());
  return m ? Number(m[1]) : null;
}

export async function hostPort(engine: Engine, name: string, port: number): Promise<number | null> {
  const out = await engine.run(['port', name, `${port}/tcp`], QUICK_MS);
  return ok(out) ? hostPortOf(out.stdout) : null;
}

export async function get(url: string, signal: AbortSignal, timeoutMs = 5000): Promise<Answer> {
  try {
    const r = await fetchBounded(url, { timeoutMs, signal });
    return { status: r.status, body: r.body };
  } catch (error) {
    if (signal.aborted) throw error;
    return { status: 0, body: '' };
  }
}

export interface State {
  running: boolean;
  exitCode: number;
}

export async function stateOf(engine: Engine, name: string): Promise<State | null> {
  const out = await engine.run(['inspect', '--format', '{{.State.Running}} {{.State.ExitCode}}', name], QUICK_MS);
  const m = ok(out) ? /^(true|false) (-?\d+)/.exec(out.stdout.trim()) : null;
  return m ? { running: m[1] === 'true', exitCode: Number(m[2]) } : null;
}

export type Waited = { ok: true; seconds: number; answer: Answer } | { ok: false; reason: string };

/** Polls the application's /health until 200, the container exits, or the wait ends. */
export async function waitForHealth(engine: Engine, name: string, url: string, timeoutMs: number, signal: AbortSignal): Promise<Waited> {
  const started = performance.now();
  let last: Answer = { status: 0, body: '' };
  while (performance.now() - started < timeoutMs) {
    last = await get(url, signal, 3000);
    if (last.status === 200) return { ok: true, seconds: (performance.now() - started) / 1000, answer: last };
    const state = await stateOf(engine, name);
    if (state && !state.running)
      return { ok: false, reason: `the container exited (${state.exitCode}) before ${url} answered: ${await logTail(engine, name)}` };
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (signal.aborted) throw signal.reason;
  }
  const seen = last.status === 0 ? 'nothing answered' : `last answer ${last.status}`;
  return { ok: false, reason: `${url} did not answer 200 within ${timeoutMs / 1000} s (${seen}): ${await logTail(engine, name)}` };
}

export async function logTail(engine: Engine, name: string): Promise<string> {
  const out = await engine.run(['logs', '--tail', '5', name], QUICK_MS);
  const text = 'stdout' in out ? `${out.stdout}${out.stderr}`.trim() : '';
  return text ? text.split('\n').slice(-5).join(' | ') : 'no log lines';
}

/** Every process inside: "pid uid args" from /proc (no ps needed in the image). */
export const PROCS_PROBE =
  'for d in /proc/[0-9]*; do u=$(sed -n "s/^Uid:[[:space:]]*\\([0-9]*\\).*/\\1/p" "$d/status" 2>/dev/null) || continue; ' +
  'a=$(tr "\\000" " " < "$d/cmdline" 2>/dev/null); [ -n "$a" ] && echo "${d#/proc/} $u $a"; done; true';

export async function execIn(engine: Engine, name: string, script: string): Promise<{ ok: boolean; text: string }> {
  const out = await engine.run(['exec', name, 'sh', '-c', script], QUICK_MS);
  return ok(out) ? { ok: true, text: out.stdout } : { ok: false, text: failureOf(`${engine.name} exec`, out) };
}

/** The container's exit after SIGNAL: seconds and status, or null when it still ran at the deadline. */
export async function stopWith(
  engine: Engine,
  name: string,
  signal: string,
  deadlineS: number,
): Promise<{ seconds: number | null; exitCode: number | null; error?: string }> {
  const started = performance.now();
  const kill = await engine.run(['kill', '--signal', signal, name], QUICK_MS);
  if (!ok(kill)) return { seconds: null, exitCode: null, error: failureOf(`${engine.name} kill`, kill) };
  while ((performance.now() - started) / 1000 < deadlineS) {
    const state = await stateOf(engine, name);
    if (state && !state.running) return { seconds: (performance.now() - started) / 1000, exitCode: state.exitCode };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { seconds: null, exitCode: null };
}

/** Removes the container (and its anonymous volumes) and, unless kept, the image. Runs after Ctrl-C too (no signal). */
export async function removeAll(engine: Engine, started: { container: string | null; image: string | null }): Promise<string[]> {
  const problems: string[] = [];
  if (started.container) {
    const rm = await engine.run(['rm', '--force', '--volumes', started.container], 60_000);
    if (!ok(rm) && !/no such container/i.test('stdout' in rm ? rm.stderr : '')) problems.push(failureOf(`${engine.name} rm`, rm));
  }
  if (started.image) {
    const rmi = await engine.run(['rmi', '--force', started.image], 60_000);
    if (!ok(rmi)) problems.push(failureOf(`${engine.name} rmi`, rmi));
  }
  return problems;
}
