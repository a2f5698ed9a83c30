/** `gpuctl agent`, wired: sampler + host meter + registry + server, until Ctrl-C or SIGTERM (ctx.signal). */
import { diagStatePath, diagStateReader } from './diag-state.js';
import { hostname } from 'node:os';
import type { Ctx } from '../context.js';
import { processExists } from '../exec.js';
import { smiBinary, smiConfigured, streamSmi } from '../gpu/smi-probe.js';
import { ExitCode, FailedError, UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { decideHealth } from './health.js';
import { HostMeter } from './host.js';
import { createAgentMetrics } from './metrics.js';
import type { AgentOptions } from './options.js';
import { Sampler } from './sampler.js';
import { listen } from './server.js';
import { readKernelLog } from '../gpu/kernel-log.js';
import { watchXids } from './xid-watch.js';

/** The agent serving, as the command shows it (the `listening` line; with --json, its one JSON record). */
export interface AgentReady {
  event: 'listening';
  url: string;
  endpoints: string[];
  intervalMs: number;
  pid: number;
}

/** What the agent tells the command, which owns the terminal: once serving, and each log message. */
export interface AgentEvents {
  listening(ready: AgentReady): void;
  log(message: string): void;
}

const PORT_HINT = 'Pick another port with --listen HOST:PORT (and the same port in fly.toml [metrics] and [checks.gpu]).';
const HOST_HINT =
  'Listen on an address of this machine: 0.0.0.0 (every IPv4 interface), [::] (every interface, as the templates do) or 127.0.0.1.';

/** Why the server could not listen, and what to change: the port when it is taken, the host when it is not this machine's. */
export function listenFailure(host: string, error: NodeJS.ErrnoException): { why: string; hint: string } {
  switch (error.code) {
    case 'EADDRINUSE':
      return { why: 'the port is in use', hint: PORT_HINT };
    case 'EADDRNOTAVAIL':
      return { why: `${host} is not an address of this machine (EADDRNOTAVAIL)`, hint: HOST_HINT };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { why: `the name ${host} does not resolve (${error.code})`, hint: HOST_HINT };
    default:
      return { why: error.message, hint: PORT_HINT };
  }
}

export async function runAgent(options: AgentOptions, ctx: Ctx, events: AgentEvents): Promise<number> {
  const log = (message: string) => events.log(message);
  // A process already gone would stop the agent at its first look, exit 0, as if all was well (it did).
  if (options.withPid !== null && !processExists(options.withPid))
    throw new UsageError(`--with-pid ${options.withPid}: there is no process ${options.withPid}, so the agent would stop at once.`, {
      hint: "Pass the process id the agent is to follow (gpuctl-start.sh passes the application's), or leave --with-pid and GPUCTL_AGENT_WITH_PID out.",
    });
  const sampler = new Sampler((request) => streamSmi(ctx, request), {
    file: smiBinary(ctx),
    configured: smiConfigured(ctx) !== undefined,
    intervalMs: options.intervalMs,
    env: { ...ctx.env, GPUCTL_AGENT_TOKEN: undefined },
    clock: ctx.clock,
    onLog: log,
  });
  const host = new HostMeter();
  const thresholds = { maxTempC: options.maxTempC, maxMemoryPct: options.maxMemoryPct, expectGpus: options.expectGpus };
  const health = () => decideHealth(sampler.state(), ctx.clock.now().getTime(), thresholds);
  const metrics = createAgentMetrics(hostname(), host, VERSION, () => (sampler.state().phase === 'absent' ? 'cpu fallback' : 'gpu'));
  const diag = diagStateReader(diagStatePath(ctx.env), log);
  const xids = watchXids(() => readKernelLog(ctx, { ...ctx.env, GPUCTL_AGENT_TOKEN: undefined }), 30_000, log, ctx.clock);
  const stopHost = ctx.clock.every(options.intervalMs, () => host.tick());
  sampler.run();
  // Rendering /metrics costs ~2 ms of CPU (prom-client's process metrics most of it); the values change at
  // most once per sample, so one rendering serves every scrape for up to a second (or an interval if shorter).
  const render = cachedFor(
    Math.min(1000, options.intervalMs),
    async () => {
      metrics.update(sampler.state(), ctx.clock.now().getTime(), health().status === 'ok', diag(), xids.state());
      return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
    },
    () => ctx.clock.monotonic(),
  );
  const token = ctx.env.GPUCTL_AGENT_TOKEN?.trim() || undefined;
  if (token !== undefined)
    log("GPUCTL_AGENT_TOKEN is set: /metrics answers 401 without Authorization: Bearer (Fly's [metrics] scraper cannot send one)");
  const routes = { health, metrics: render, token };
  let server;
  try {
    server = await listen(routes, options.host, options.port).catch((error: NodeJS.ErrnoException) => {
      // [::] (what the templates ask for: Fly reaches machines over IPv6) on a host without IPv6.
      if (options.host !== '::' || (error.code !== 'EAFNOSUPPORT' && error.code !== 'EADDRNOTAVAIL')) throw error;
      log(`no IPv6 here (${error.code}); listening on 0.0.0.0 instead`);
      return listen(routes, '0.0.0.0', options.port);
    });
  } catch (error) {
    stopHost();
    xids.stop();
    await sampler.stop();
    const { why, hint } = listenFailure(options.host, error as NodeJS.ErrnoException);
    throw new FailedError(`The agent cannot listen on ${options.host}:${options.port}: ${why}.`, { hint, cause: error });
  }
  events.listening({
    event: 'listening',
    url: server.url,
    endpoints: ['/health', '/gpu-health', '/metrics'],
    intervalMs: options.intervalMs,
    pid: ctx.host.pid,
  });
  let stopWatch: (() => void) | undefined;
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    const pid = options.withPid;
    if (pid !== null) {
      stopWatch = ctx.clock.every(250, () => {
        if (!processExists(pid)) {
          log(`process ${pid} has exited; stopping`);
          resolve();
        }
      });
    }
  });
  stopWatch?.();
  stopHost();
  xids.stop();
  await Promise.all([server.close(), sampler.stop(500)]);
  log('stopped');
  return ExitCode.ok;
}

/** `make()`'s promise, shared by every caller until it is `ttlMs` old (concurrent callers share one run). */
export function cachedFor<T>(ttlMs: number, make: () => Promise<T>, now: () => number): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined;
  return () => {
    const t = now();
    if (cached && t - cached.at < ttlMs) return cached.value;
    const value = make();
    cached = { at: t, value };
    value.catch(() => (cached = undefined));
    return value;
  };
}
