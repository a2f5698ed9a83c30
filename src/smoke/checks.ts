/**
 * The verdict of each smoke check from what was observed (HTTP answers, the metrics text, the process
 * table read inside the container, the stop): pure, so each is tested with recorded inputs.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface Check {
  name: string;
  status: CheckStatus;
  evidence: string;
}

const pass = (name: string, evidence: string): Check => ({ name, status: 'pass', evidence });
const fail = (name: string, evidence: string): Check => ({ name, status: 'fail', evidence });
const cut = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max)}…` : text).replace(/\s+/g, ' ').trim();

export interface Answer {
  /** 0: nothing answered. */
  status: number;
  body: string;
}

export function agentHealthCheck(answer: Answer): Check {
  const name = 'agent /health';
  return answer.status === 200
    ? pass(name, `200 ${cut(answer.body, 80)}`)
    : fail(name, answer.status === 0 ? 'no answer' : `${answer.status} ${cut(answer.body)}`);
}

/**
 * /gpu-health: 200 with status ok passes; 503 names the failed conditions. Without a GPU on a GPU layout the
 * agent answers 503 (it expects its GPUs): that is the truth about this machine, reported as a failure.
 */
export function gpuHealthCheck(answer: Answer): Check & { mode?: string } {
  const name = 'agent /gpu-health';
  if (answer.status === 0) return fail(name, 'no answer');
  let body: { status?: unknown; mode?: unknown; gpus?: unknown; failures?: Array<{ condition?: unknown; message?: unknown }> };
  try {
    body = JSON.parse(answer.body) as typeof body;
  } catch {
    return fail(name, `${answer.status}, not JSON: ${cut(answer.body)}`);
  }
  const mode = typeof body.mode === 'string' ? body.mode : undefined;
  const facts = `${answer.status} ${String(body.status)}${mode ? `, ${mode}` : ''}${typeof body.gpus === 'number' ? `, ${body.gpus} GPU(s)` : ''}`;
  const failures = (body.failures ?? []).map((f) => String(f.message ?? f.condition)).join('; ');
  if (answer.status === 200 && body.status === 'ok') return { ...pass(name, facts), ...(mode ? { mode } : {}) };
  return { ...fail(name, failures ? `${facts}: ${failures}` : facts), ...(mode ? { mode } : {}) };
}

/** The dcgm-exporter series every GPU has; the host series every agent has (the CPU fallback has only these). */
export const GPU_SERIES = ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_GPU_TEMP', 'DCGM_FI_DEV_POWER_USAGE'] as const;
export const HOST_SERIES = ['gpuctl_host_cpus', 'gpuctl_host_load1'] as const;

/** /metrics parsed with a Prometheus text-format parser; the expected series present (the GPU ones when a GPU was given). */
export function metricsCheck(answer: Answer, gpu: boolean): Check {
  const name = 'agent /metrics';
  if (answer.status !== 200) return fail(name, answer.status === 0 ? 'no answer' : `${answer.status} ${cut(answer.body)}`);
  let families: Set<string>;
  try {
    // A family counts with at least one sample: the agent declares the DCGM families (HELP, TYPE) even without a GPU.
    families = new Set(
      parsePrometheusTextFormat(answer.body)
        .filter((f) => f.metrics.length > 0)
        .map((f) => f.name),
    );
  } catch (error) {
    return fail(name, `not the Prometheus text format: ${error instanceof Error ? error.message : String(error)}`);
  }
  const expected = [...HOST_SERIES, ...(gpu ? GPU_SERIES : [])];
  const missing = expected.filter((series) => !families.has(series));
  if (missing.length > 0) return fail(name, `${families.size} series families; missing ${missing.join(', ')}`);
  return pass(name, `${families.size} series families; ${gpu ? 'dcgm-exporter series and ' : ''}${HOST_SERIES.join(', ')} present`);
}

export interface Proc {
  pid: number;
  uid: number;
  args: string;
}

/** `pid uid args` lines, as the probe in container.ts prints them from /proc. */
export function parseProcs(text: string): Proc[] {
  return text
    .split('\n')
    .map((line) => /^(\d+) (\d+) (.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), uid: Number(m[2]), args: m[3]!.trim() }));
}

/**
 * The application (the image's CMD) and the agent run as the Dockerfile's user (USER, or GPUCTL_RUN_AS
 * for the start script), never as root.
 */
export function userCheck(procs: readonly Proc[], cmd: readonly string[], user: { name: string; uid: number | null }): Check {
  const name = 'runs as non-root user';
  const command = cmd.join(' ');
  const app = procs.filter((p) => command !== '' && p.args === command);
  const agent = procs.filter((p) => /\bgpuctl(\.js)? agent\b/.test(p.args));
  if (app.length === 0) return fail(name, `no process runs the image's CMD (${command || 'none'})`);
  const wrong = [...app, ...agent].filter((p) => p.uid === 0 || (user.uid !== null && p.uid !== user.uid));
  const where = `application uid ${[...new Set(app.map((p) => p.uid))].join(',')}; agent ${agent.length ? `uid ${[...new Set(agent.map((p) => p.uid))].join(',')}` : 'not running'}`;
  if (user.uid === null)
    return fail(
      name,
      `${user.name ? `user ${user.name} unknown in the image` : 'the Dockerfile names no user (USER or GPUCTL_RUN_AS)'}; ${where}`,
    );
  if (user.uid === 0) return fail(name, `the Dockerfile's user ${user.name} is root`);
  if (wrong.length > 0) return fail(name, `expected ${user.name} (uid ${user.uid}); ${where}`);
  return pass(name, `${user.name} (uid ${user.uid}): ${where}`);
}

/** The tools whose presence means the build stage leaked into the final one. */
export const BUILD_TOOLS = ['gcc', 'cc', 'g++', 'c++', 'make', 'ld', 'nvcc'] as const;

/** What `command -v` found, one path a line. */
export function toolsCheck(found: string): Check {
  const name = 'no build tools in the final stage';
  const paths = found
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return paths.length === 0 ? pass(name, `none of ${BUILD_TOOLS.join(', ')}`) : fail(name, `found ${paths.join(', ')}`);
}

export interface StopObservation {
  signal: string;
  /** The signal's number (exit 128+N when it ended the application). */
  signalNumber: number;
  killTimeoutS: number;
  /** Seconds from the signal to the container's exit; null: still running at kill_timeout. */
  seconds: number | null;
  exitCode: number | null;
}

/** The start script's documented status: the application's own (0 on a clean stop), 128+N when signal N ended it. */
export function stopCheck(stop: StopObservation): Check {
  const name = `stops on ${stop.signal} within kill_timeout`;
  if (stop.seconds === null || stop.exitCode === null)
    return fail(name, `still running ${stop.killTimeoutS} s after ${stop.signal} (Fly would kill it)`);
  const expected = [0, 128 + stop.signalNumber];
  const evidence = `exited ${stop.exitCode} after ${stop.seconds.toFixed(1)} s (kill_timeout ${stop.killTimeoutS} s); agent and application gone with the container`;
  if (!expected.includes(stop.exitCode)) return fail(name, `${evidence}; expected ${expected.join(' or ')}`);
  return pass(name, evidence);
}
