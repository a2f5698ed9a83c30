/**
 * Each smoke check as a pure function of what was observed: a status and the evidence a person can
 * read in the table (and in --json). No I/O here; run.ts gathers the observations.
 */
import { constants } from 'node:os';
import { AGENT_METRIC } from '../shared/agent-metrics.js';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface SmokeCheck {
  id: string;
  title: string;
  status: CheckStatus;
  evidence: string;
}

export const check = (id: string, title: string, status: CheckStatus, evidence: string): SmokeCheck => ({ id, title, status, evidence });

/** The series /metrics must hold: dcgm-exporter's with a GPU, the agent's host series in CPU fallback. */
export const EXPECTED_SERIES = {
  gpu: [AGENT_METRIC.gpuUtil, AGENT_METRIC.fbUsed, AGENT_METRIC.gpuTemp, AGENT_METRIC.powerUsage],
  cpu: [AGENT_METRIC.hostCpus, AGENT_METRIC.hostLoad1, AGENT_METRIC.hostCpuBusy],
} as const;

/** The metric names of an exposition text (comments and blank lines skipped). */
export function seriesNames(text: string): Set<string> {
  return new Set([...text.matchAll(/^([A-Za-z_:][\w:]*)(?=[{\s])/gm)].map((m) => m[1]!));
}

export function metricsCheck(status: number, text: string, mode: 'gpu' | 'cpu'): SmokeCheck {
  const title = 'agent /metrics';
  if (status !== 200) return check('metrics', title, 'fail', status === 0 ? 'no answer' : `HTTP ${status}`);
  const names = seriesNames(text);
  const missing = EXPECTED_SERIES[mode].filter((name) => !names.has(name));
  return missing.length === 0
    ? check('metrics', title, 'pass', `${names.size} series, ${EXPECTED_SERIES[mode].join(', ')} present`)
    : check('metrics', title, 'fail', `missing ${missing.join(', ')} (of ${names.size} series)`);
}

export interface Verdict {
  status: string | null;
  mode: string | null;
  failed: ReadonlyArray<{ name: string | null; message: string }>;
}

/** /gpu-health: ok passes; a GPU layout run without a GPU fails its GPU conditions by design (a warning here, said so). */
export function gpuHealthCheck(httpStatus: number, verdict: Verdict | null, o: { gpuLayout: boolean; gpusReserved: boolean }): SmokeCheck {
  const title = 'agent /gpu-health';
  if (httpStatus === 0 || verdict === null)
    return check('gpu-health', title, 'fail', httpStatus === 0 ? 'no answer' : `HTTP ${httpStatus}, not the agent's body`);
  const reasons = verdict.failed.map((f) => f.message).join('; ');
  const said = `HTTP ${httpStatus} ${verdict.status ?? '?'}, ${verdict.mode ?? '?'}${reasons ? `: ${reasons}` : ''}`;
  if (httpStatus === 200 && verdict.status === 'ok') return check('gpu-health', title, 'pass', said);
  if (o.gpuLayout && !o.gpusReserved && verdict.mode === 'cpu fallback')
    return check('gpu-health', title, 'warn', `${said} (a GPU layout on a machine without a GPU: the CPU fallback ran)`);
  return check('gpu-health', title, 'fail', said);
}

/** `user cmdline` lines from /proc: the application (its CMD) and the agent run as the layout's user, never root. */
export function userCheck(processes: string, cmd: readonly string[], runAs: string | null): SmokeCheck {
  const title = 'runs as non-root';
  const rows = processes
    .split('\n')
    .map((line) => /^(\S+) (.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ user: m[1]!, cmdline: m[2]!.trim() }));
  const app = rows.find((r) => cmd.length > 0 && r.cmdline.startsWith(cmd.join(' ')));
  if (!app) return check('user', title, 'fail', `no process runs ${JSON.stringify(cmd.join(' '))}`);
  const agent = rows.find((r) => /\bgpuctl agent\b/.test(r.cmdline) && !r.cmdline.includes('gpuctl-start'));
  const who = [`application as ${app.user}`, ...(agent ? [`agent as ${agent.user}`] : [])].join(', ');
  const wrong = [app, ...(agent ? [agent] : [])].filter((r) => r.user === 'root' || (runAs !== null && r.user !== runAs));
  return wrong.length === 0
    ? check('user', title, 'pass', who)
    : check('user', title, 'fail', `${who} (expected ${runAs ?? 'a non-root user'})`);
}

/** `command -v` lines for compilers and build tools in the final stage: none is the multi-stage promise. */
export function buildToolsCheck(found: string): SmokeCheck {
  const paths = found
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return paths.length === 0
    ? check('build-tools', 'no build tools in the image', 'pass', 'no gcc, cc, g++, make, nvcc or git')
    : check('build-tools', 'no build tools in the image', 'fail', `found ${paths.join(', ')}`);
}

/** The exit codes a clean stop gives: 0, or 128 + the stop signal (130 SIGINT, 143 SIGTERM). */
export function cleanExitCodes(killSignal: string): number[] {
  const n = (constants.signals as Record<string, number>)[killSignal];
  return [0, ...new Set([...(n ? [128 + n] : []), 130, 143])];
}

export function stopCheck(o: {
  stopped: boolean;
  exitCode: number | null;
  seconds: number;
  killSignal: string;
  killTimeoutS: number;
  /** The engine refused to send the signal (an unknown kill_signal): what it said. */
  killError?: string;
}): SmokeCheck {
  const title = `stops on ${o.killSignal} within kill_timeout`;
  if (o.killError !== undefined) return check('stop', title, 'fail', `the signal was not sent: ${o.killError}`);
  if (!o.stopped) return check('stop', title, 'fail', `still running ${o.killTimeoutS} s after ${o.killSignal} (Fly would kill it)`);
  const evidence = `stopped in ${o.seconds.toFixed(1)} s (kill_timeout ${o.killTimeoutS} s), exit ${o.exitCode ?? '?'}`;
  return o.exitCode !== null && cleanExitCodes(o.killSignal).includes(o.exitCode)
    ? check('stop', title, 'pass', evidence)
    : check('stop', title, 'fail', evidence);
}
