import { parseAgentOptions, type AgentOptions } from '../agent/options.js';
import type { Env } from '../context.js';
import { defineCommand, type OptionKeys, type RawInput } from './define.js';

const options = [
  { flags: '--listen <host:port>', description: 'address to serve on [GPUCTL_AGENT_LISTEN] (default: 0.0.0.0:9400)' },
  { flags: '--interval <duration>', description: 'sampling interval [GPUCTL_AGENT_INTERVAL] (default: 5s)' },
  { flags: '--max-temp <celsius>', description: 'fail /gpu-health above this GPU temperature [GPUCTL_AGENT_MAX_TEMP_C] (default: 85)' },
  {
    flags: '--max-memory <percent>',
    description: 'fail /gpu-health above this GPU memory use [GPUCTL_AGENT_MAX_MEMORY_PCT] (default: off)',
  },
  {
    flags: '--expect-gpus <n>',
    description: 'fail /gpu-health unless this many GPUs are seen [GPUCTL_AGENT_EXPECT_GPUS] (default: off)',
  },
  { flags: '--with-pid <pid>', description: 'stop when this process is gone [GPUCTL_AGENT_WITH_PID] (gpuctl-start.sh sets it)' },
] as const;

/**
 * Options come from flags and GPUCTL_AGENT_* variables together (flags win): parse resolves both, so bad
 * values are UsageErrors before anything starts. The flags' keys are checked against agent/options.ts's AgentFlagKey.
 */
export function parseAgentFlags(raw: RawInput<OptionKeys<typeof options>>, env: Env = {}): AgentOptions {
  return parseAgentOptions(raw, env);
}

export const agentCommand = defineCommand({
  name: 'agent',
  summary: 'Serve /health, /gpu-health and Prometheus /metrics from inside the machine',
  description:
    'Runs beside the application (the templates start it from gpuctl-start.sh). One long-running\n' +
    '`nvidia-smi --query-gpu=… -lms N` samples every GPU in the background; requests never wait on it.\n' +
    '/gpu-health answers 200, or 503 naming every failed condition (nvidia-smi failing or stale,\n' +
    'uncorrectable ECC errors, pages pending retirement, temperature over the limit, a GPU gone,\n' +
    "clocks throttled for thermal or power-brake reasons). /metrics uses dcgm-exporter's names and labels.\n" +
    'Without nvidia-smi (the CPU layout) it serves host metrics and /gpu-health says "cpu fallback".\n' +
    'Each option also reads a GPUCTL_AGENT_* variable (flags win). Stops on Ctrl-C (exit 130) or SIGTERM (exit 143).\n' +
    'Try it: curl -s localhost:9400/gpu-health (200, or 503 with the reasons).',
  options,
  ndjson: true,
  examples: [
    ['gpuctl agent', 'serve on 0.0.0.0:9400, sample every 5 s'],
    ['gpuctl agent --listen 127.0.0.1:9400 --interval 1s', 'on loopback, every second'],
    ['gpuctl agent --max-temp 80 --expect-gpus 8 --json', 'stricter health for an 8-GPU machine; the listening line as JSON'],
  ],
  parse: parseAgentFlags,
  run: async (agentOptions, ctx) => {
    const [{ runAgent }, { streamWriter }] = await Promise.all([import('../agent/run.js'), import('../ui/output.js')]);
    // The agent emits; this prints: the listening line on stdout, timestamped log lines on stderr (NDJSON with --json).
    const out = streamWriter(ctx.flags.json, ctx.stdout, ctx.style);
    const err = streamWriter(ctx.flags.json, ctx.stderr, ctx.style);
    return runAgent(agentOptions, ctx, {
      listening: (ready) =>
        out.record(
          ready,
          (r) => `gpuctl agent listening on ${r.url} (/health, /gpu-health, /metrics), sampling every ${r.intervalMs / 1000} s\n`,
        ),
      log: (message) =>
        err.record({ event: 'log', at: ctx.clock.now().toISOString(), message }, (r, style) => `${style.dim(r.at)} ${r.message}\n`),
    });
  },
});
