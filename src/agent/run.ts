/** `gpuctl agent`, wired: sampler + host meter + registry + server, until Ctrl-C or SIGTERM (ctx.signal). */
import { hostname } from 'node:os';
import type { Ctx } from '../context.js';
import { startStream } from '../exec.js';
import { FailedError } from '../errors.js';
import { VERSION } from '../version.js';
import { decideHealth } from './health.js';
import { HostMeter } from './host.js';
import { createAgentMetrics } from './metrics.js';
import type { AgentOptions } from './options.js';
import { Sampler } from './sampler.js';
import { listen } from './server.js';

export async function runAgent(options: AgentOptions, ctx: Ctx): Promise<number> {
  const log = (message: string) =>
    ctx.stderr.write(
      ctx.flags.json
        ? `${JSON.stringify({ event: 'log', at: ctx.now().toISOString(), message })}\n`
        : `${ctx.style.dim(ctx.now().toISOString())} ${message}\n`,
    );
  const sampler = new Sampler(startStream, {
    file: ctx.env.GPUCTL_NVIDIA_SMI ?? 'nvidia-smi',
    intervalMs: options.intervalMs,
    env: { ...ctx.env },
    onLog: log,
  });
  const host = new HostMeter();
  const thresholds = { maxTempC: options.maxTempC, maxMemoryPct: options.maxMemoryPct, expectGpus: options.expectGpus };
  const health = () => decideHealth(sampler.state(), Date.now(), thresholds);
  const metrics = createAgentMetrics(hostname(), host, VERSION, () => (sampler.state().phase === 'absent' ? 'cpu fallback' : 'gpu'));
  const hostTimer = setInterval(() => host.tick(), options.intervalMs);
  sampler.run();
  const routes = {
    health,
    metrics: async () => {
      metrics.update(sampler.state(), Date.now(), health().status === 'ok');
      return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
    },
  };
  let server;
  try {
    server = await listen(routes, options.host, options.port).catch((error: NodeJS.ErrnoException) => {
      // [::] (what the templates ask for: Fly reaches machines over IPv6) on a host without IPv6.
      if (options.host !== '::' || (error.code !== 'EAFNOSUPPORT' && error.code !== 'EADDRNOTAVAIL')) throw error;
      log(`no IPv6 here (${error.code}); listening on 0.0.0.0 instead`);
      return listen(routes, '0.0.0.0', options.port);
    });
  } catch (error) {
    clearInterval(hostTimer);
    await sampler.stop();
    const code = (error as NodeJS.ErrnoException).code;
    throw new FailedError(
      `The agent cannot listen on ${options.host}:${options.port}: ${code === 'EADDRINUSE' ? 'the port is in use' : (error as Error).message}.`,
      {
        hint: 'Pick another port with --listen HOST:PORT (and the same port in fly.toml [metrics] and [checks.gpu]).',
        cause: error,
      },
    );
  }
  const ready = {
    event: 'listening',
    url: server.url,
    endpoints: ['/health', '/gpu-health', '/metrics'],
    intervalMs: options.intervalMs,
    pid: process.pid,
  };
  ctx.stdout.write(
    ctx.flags.json
      ? `${JSON.stringify(ready)}\n`
      : `gpuctl agent listening on ${server.url} (/health, /gpu-health, /metrics), sampling every ${options.intervalMs / 1000} s\n`,
  );
  let watch: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    const pid = options.withPid;
    if (pid !== null) {
      watch = setInterval(() => {
        if (processGone(pid)) {
          log(`process ${pid} has exited; stopping`);
          resolve();
        }
      }, 250);
    }
  });
  clearInterval(watch);
  clearInterval(hostTimer);
  await Promise.all([server.close(), sampler.stop(500)]);
  log('stopped');
  return 0;
}

/** True once `pid` no longer exists (EPERM: it exists under another user). */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
