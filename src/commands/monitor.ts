import type { Ctx } from '../context.js';
import { UsageError } from '../errors.js';
import { checkFlyAppName } from '../flyio/app-name.js';
import { LAYOUT_AGENT_PORT } from '../shared/agent-metrics.js';
import type { SampleSource } from '../monitor/run.js';
import { DEFAULT_THRESHOLDS, type MonitorOptions } from '../monitor/options.js';
import { bool, durationOption, list, numberOption, str, type OptionKeys, type RawInput } from '../shared/options.js';
import { parseHttpUrl, PROMETHEUS_URL } from '../shared/http-url.js';
import { defineCommand } from './define.js';

const options = [
  { flags: '--interval <duration>', description: 'time between samples', default: '2s' },
  { flags: '--once', description: 'print one sample and exit' },
  { flags: '--max-temp <celsius>', description: 'alert above this GPU temperature', default: '85' },
  { flags: '--max-memory <percent>', description: 'alert above this share of GPU memory used', default: '90' },
  { flags: '--max-util <percent>', description: 'alert above this GPU utilisation (default: off)' },
  { flags: '-a, --app <name>', description: "every machine of this Fly app, from Prometheus (the agents' series)" },
  { flags: '--prometheus <url>', description: 'Prometheus API base URL for --app (default GPUCTL_PROMETHEUS_URL)' },
  {
    flags: '--agent <url>',
    description:
      "for --app: read this machine's gpuctl agent /metrics instead of Prometheus (repeatable; GPUCTL_AGENT_TOKEN sent as a bearer)",
    repeatable: true,
  },
] as const;

type Raw = RawInput<OptionKeys<typeof options>>;

function bounded(raw: Raw, name: 'maxTemp' | 'maxMemory' | 'maxUtil', flag: string, min: number, max: number): number | null {
  return numberOption(raw, name, flag, { min, max }) ?? null;
}

/** commander's values → MonitorOptions. Pure; bad values are UsageErrors. */
export function parseMonitorOptions(raw: Raw): MonitorOptions {
  const intervalMs = durationOption(raw, 'interval', '--interval', '2s');
  if (intervalMs < 100) throw new UsageError(`--interval "${str(raw, 'interval')}" is under 100ms.`);
  const given = str(raw, 'app');
  const app = given === undefined ? undefined : checkFlyAppName(given, '--app');
  const prometheus = str(raw, 'prometheus');
  if (prometheus !== undefined && app === undefined)
    throw new UsageError('--prometheus is for the remote view: name the app with --app.', {
      hint: 'e.g. gpuctl monitor --app quant-signals --prometheus https://api.fly.io/prometheus/my-org/',
    });
  if (prometheus !== undefined) parseHttpUrl(prometheus, '--prometheus', PROMETHEUS_URL);
  const agents = list(raw, 'agent');
  if (agents.length > 0 && app === undefined)
    throw new UsageError('--agent is for the remote view: name the app with --app.', {
      hint: `e.g. gpuctl monitor --app quant-signals --agent http://127.0.0.1:9400 (after \`flyctl proxy 9400:${LAYOUT_AGENT_PORT} -a quant-signals\`)`,
    });
  if (agents.length > 0 && prometheus !== undefined)
    throw new UsageError('--agent and --prometheus are two sources for one view: give one.');
  // An agent URL: no credentials in it (the token travels in a header, from GPUCTL_AGENT_TOKEN).
  for (const agent of agents)
    parseHttpUrl(agent, '--agent', {
      credentials: 'refuse',
      example: 'http://127.0.0.1:9400',
      credentialsHint: 'Set GPUCTL_AGENT_TOKEN instead: gpuctl sends it as a bearer.',
    });
  const thresholds = {
    maxTempC: bounded(raw, 'maxTemp', '--max-temp', 1, 150) ?? DEFAULT_THRESHOLDS.maxTempC,
    maxMemoryPct: bounded(raw, 'maxMemory', '--max-memory', 1, 100) ?? DEFAULT_THRESHOLDS.maxMemoryPct,
    maxUtilPct: bounded(raw, 'maxUtil', '--max-util', 0, 100),
  };
  return { intervalMs, once: bool(raw, 'once'), thresholds, app, prometheus, agents };
}

/**
 * The remote view's source: every machine of the app, read from Prometheus (prometheus/gpu-samples.ts)
 * and handed to monitor here (features do not import each other). The token comes from
 * GPUCTL_PROMETHEUS_TOKEN and is only ever sent as a header.
 */
async function remoteSource(ctx: Ctx, app: string, options: MonitorOptions): Promise<SampleSource> {
  const baseUrl = options.prometheus ?? ctx.env.GPUCTL_PROMETHEUS_URL;
  if (!baseUrl)
    throw new UsageError('Where is Prometheus? Pass --prometheus URL or set GPUCTL_PROMETHEUS_URL.', {
      hint: "Fly's is https://api.fly.io/prometheus/<org>/ (token: GPUCTL_PROMETHEUS_TOKEN); or read the agents directly with --agent URL.",
    });
  parseHttpUrl(baseUrl, options.prometheus !== undefined ? '--prometheus' : 'GPUCTL_PROMETHEUS_URL', PROMETHEUS_URL);
  const [prom, { readAppGpus }] = await Promise.all([import('../prometheus/client.js'), import('../prometheus/gpu-samples.js')]);
  const target = { baseUrl, token: prom.tokenFromEnv(ctx.env), timeoutMs: prom.DEFAULT_TIMEOUT_MS, signal: ctx.signal };
  // Fly scrapes every 15 s: a machine is stale when its newest sample is older than four scrapes (or three intervals).
  const staleAfterSeconds = Math.max(60, (3 * options.intervalMs) / 1000);
  return async () => {
    const at = ctx.clock.now();
    const read = await readAppGpus(target, app, { at, staleAfterSeconds });
    // Prometheus failing, or holding nothing of the app, is the one machine the sample can name: the app.
    const unread = (error: string) => ({ at: at.toISOString(), machines: [{ id: app, gpus: [], processes: [], error }] });
    if (read.kind === 'failed') return unread(`cannot read its GPUs from Prometheus: ${read.reason}`);
    if (read.machines.length === 0 && read.cpuAgents > 0) {
      const agents = read.cpuAgents === 1 ? 'its gpuctl agent runs' : `its ${read.cpuAgents} gpuctl agents run`;
      return unread(
        `no GPU series for app ${app} in Prometheus: ${agents} in CPU fallback (no nvidia-smi: machines without a GPU, or no NVIDIA driver in the image)`,
      );
    }
    if (read.machines.length === 0)
      return unread(
        `no GPU series for app ${app} in Prometheus (does [metrics] point at gpuctl agent? gpuctl init writes it for port ${LAYOUT_AGENT_PORT})`,
      );
    return { at: at.toISOString(), machines: read.machines };
  };
}

/** The remote view read from each machine's agent (prometheus/agent-scrape.ts); the token is only ever a header. */
async function agentSource(ctx: Ctx, options: MonitorOptions): Promise<SampleSource> {
  const { readAgent } = await import('../prometheus/agent-scrape.js');
  const token = ctx.env.GPUCTL_AGENT_TOKEN?.trim() || undefined;
  return async () => {
    const at = ctx.clock.now().toISOString();
    const machines = await Promise.all(options.agents.map((url) => readAgent({ url, token, timeoutMs: 10_000, signal: ctx.signal })));
    return { at, machines };
  };
}

export const monitorCommand = defineCommand({
  name: 'monitor',
  summary: 'A live view of the GPUs: utilisation, memory, temperature, power, clocks, processes (local, or every machine of an app)',
  description:
    'Asks nvidia-smi every --interval (one --query-gpu and one --query-compute-apps call) and redraws the\n' +
    'screen, in the spirit of nvitop and gpustat. Values over a threshold are shown in red and named on an\n' +
    'ALERT line. Ctrl-C quits and gives the terminal back. --once prints one screen; --json prints one\n' +
    'NDJSON record per sample ({schemaVersion, at, machines, alerts}) for piping.\n\n' +
    'With --app, the same view for every machine of a Fly app, from the series `gpuctl agent` serves as\n' +
    'Prometheus holds them (Fly scrapes [metrics] into https://api.fly.io/prometheus/<org>/; a read-only\n' +
    'token in GPUCTL_PROMETHEUS_TOKEN). Processes are not in Prometheus, so none are shown there. With\n' +
    "--agent URL (repeatable), each machine's agent /metrics instead; GPUCTL_AGENT_TOKEN goes as a bearer.\n\n" +
    'Exit status, the same for every source: each sample is printed in full, and a machine that gave no fresh\n' +
    'GPU data (nvidia-smi failing, an agent unreachable or refusing the token, a stale sample in Prometheus,\n' +
    'Prometheus not answering) is listed with why (its "error", an "unreadable" alert). With --once, monitor\n' +
    'exits 1 when any machine of that sample gave no fresh GPU data, else 0; crossed thresholds do not change\n' +
    'it. The live view and a --json stream go on through such samples until Ctrl-C (exit 130).',
  options,
  ndjson: true,
  examples: [
    ['gpuctl monitor', 'redraw every 2 s until Ctrl-C'],
    ['gpuctl monitor --once', 'one screen, e.g. in a log'],
    ['gpuctl monitor --json --interval 1s | jq -c .alerts', 'one record per second, for scripts'],
    [
      'gpuctl monitor --app quant-signals --prometheus https://api.fly.io/prometheus/my-org/',
      'every machine of the app (GPUCTL_PROMETHEUS_TOKEN set)',
    ],
    [
      'gpuctl monitor --app quant-signals --agent http://127.0.0.1:9400',
      `one machine through \`flyctl proxy 9400:${LAYOUT_AGENT_PORT} -a quant-signals\` (the agent is on ${LAYOUT_AGENT_PORT} as gpuctl init sets it up; GPUCTL_AGENT_TOKEN set when the agent wants it)`,
    ],
  ],
  parse: parseMonitorOptions,
  run: async (options, ctx) => {
    const [{ runMonitor }, { monitorScreen, jsonRecord }, { streamWriter }] = await Promise.all([
      import('../monitor/run.js'),
      import('../monitor/screen.js'),
      import('../ui/output.js'),
    ]);
    const local = async () => {
      const { keepGoing, sampleLocal } = await import('../monitor/local.js');
      return keepGoing(sampleLocal);
    };
    const source =
      options.app === undefined
        ? await local()
        : options.agents.length > 0
          ? await agentSource(ctx, options)
          : await remoteSource(ctx, options.app, options);
    // The loop samples; the screen (and so the terminal) is the command's, given back however the loop ends.
    const screen = monitorScreen(options, { json: ctx.flags.json, isTTY: ctx.stdout.isTTY, style: ctx.style });
    const out = streamWriter(ctx.flags.json, ctx.stdout, ctx.style);
    out.text(screen.enter);
    try {
      return await runMonitor(options, ctx, source, (sample, first) =>
        out.record(jsonRecord(sample, options), (r) => screen.frame(r, first)),
      );
    } finally {
      out.text(screen.leave);
    }
  },
});
