/** `gpuctl agent`'s options: flags first, then GPUCTL_AGENT_* variables (the templates set those), then defaults. Pure. */
import { str, type RawInput } from '../shared/options.js';
import type { Env } from '../context.js';
import { UsageError } from '../errors.js';
import { parseDuration } from '../shared/duration.js';

export interface AgentOptions {
  host: string;
  port: number;
  intervalMs: number;
  maxTempC: number;
  maxMemoryPct: number | null;
  expectGpus: number | null;
  /** Stop when this process is gone (gpuctl-start.sh passes the application's pid). */
  withPid: number | null;
}

export const AGENT_DEFAULTS = { listen: '0.0.0.0:9400', interval: '5s', maxTempC: 85 } as const;

/** "0.0.0.0:9400", "127.0.0.1:0", ":9400", "9400", "[::]:9400" → host and port. */
export function parseListen(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$|^(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[3] ?? m[4]);
  if (port > 65535) return undefined;
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/** The flags `gpuctl agent` declares (commands/agent.ts): its options must produce these keys, or it does not compile. */
export type AgentFlagKey = 'listen' | 'interval' | 'maxTemp' | 'maxMemory' | 'expectGpus' | 'withPid';

function pick(raw: RawInput<AgentFlagKey>, env: Env, opt: AgentFlagKey, variable: string): { text: string; from: string } | undefined {
  const flag = str(raw, opt);
  if (flag !== undefined) return { text: flag, from: `--${opt.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` };
  const value = env[variable];
  return value !== undefined && value.trim() !== '' ? { text: value, from: variable } : undefined;
}

function numberIn(p: { text: string; from: string } | undefined, min: number, max: number, what: string): number | null {
  if (!p) return null;
  const n = Number(p.text);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${p.from} "${p.text}" is not ${what}.`);
  return n;
}

function withPid(p: { text: string; from: string } | undefined): number | null {
  if (!p) return null;
  if (!/^[1-9]\d*$/.test(p.text.trim())) throw new UsageError(`${p.from} "${p.text}" is not a process id.`);
  return Number(p.text);
}

export function parseAgentOptions(raw: RawInput<AgentFlagKey>, env: Env): AgentOptions {
  const listenText = pick(raw, env, 'listen', 'GPUCTL_AGENT_LISTEN') ?? { text: AGENT_DEFAULTS.listen, from: '--listen' };
  const listen = parseListen(listenText.text);
  if (!listen)
    throw new UsageError(`${listenText.from} "${listenText.text}" is not HOST:PORT.`, {
      hint: 'e.g. --listen 0.0.0.0:9400, or 127.0.0.1:0 for any free port',
    });
  const intervalText = pick(raw, env, 'interval', 'GPUCTL_AGENT_INTERVAL') ?? { text: AGENT_DEFAULTS.interval, from: '--interval' };
  const intervalMs = parseDuration(intervalText.text);
  if (intervalMs === undefined || intervalMs < 100 || intervalMs > 3_600_000) {
    throw new UsageError(`${intervalText.from} "${intervalText.text}" is not an interval between 100ms and 1h.`, {
      hint: 'e.g. --interval 5s or 500ms',
    });
  }
  const expect = numberIn(pick(raw, env, 'expectGpus', 'GPUCTL_AGENT_EXPECT_GPUS'), 0, 64, 'a GPU count (0-64)');
  if (expect !== null && !Number.isInteger(expect)) throw new UsageError(`The expected GPU count "${expect}" is not a whole number.`);
  return {
    ...listen,
    intervalMs: Math.round(intervalMs),
    maxTempC:
      numberIn(pick(raw, env, 'maxTemp', 'GPUCTL_AGENT_MAX_TEMP_C'), 1, 150, 'a temperature in °C (1-150)') ?? AGENT_DEFAULTS.maxTempC,
    maxMemoryPct: numberIn(pick(raw, env, 'maxMemory', 'GPUCTL_AGENT_MAX_MEMORY_PCT'), 1, 100, 'a percentage (1-100)'),
    expectGpus: expect === 0 ? null : expect,
    withPid: withPid(pick(raw, env, 'withPid', 'GPUCTL_AGENT_WITH_PID')),
  };
}
