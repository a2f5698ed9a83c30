/**
 * Every GPU of a Fly app, read back from Prometheus: the dcgm-exporter series `gpuctl agent` serves
 * (Fly scrapes them into its hosted Prometheus and labels each with `app`, `instance` and `region`),
 * in one instant query, grouped into one plain record per machine. The records have the shape of
 * monitor's MonitorMachine (monitor/types.ts: same field names and units), so `gpuctl monitor --app
 * APP --prometheus URL` can render them as they are; processes are not in Prometheus, so none.
 */
import { AGENT_METRIC } from '../shared/agent-metrics.js';
import { describeOutcome, instantQuery, type PromTarget } from './client.js';

/** Metric name → GPU field (the names of monitor's MonitorGpu). */
export const GPU_FIELDS = {
  [AGENT_METRIC.gpuUtil]: 'utilGpuPct',
  [AGENT_METRIC.fbUsed]: 'memoryUsedMiB',
  [AGENT_METRIC.fbTotal]: 'memoryTotalMiB',
  [AGENT_METRIC.gpuTemp]: 'temperatureC',
  [AGENT_METRIC.powerUsage]: 'powerDrawW',
  [AGENT_METRIC.powerLimit]: 'powerLimitW',
  [AGENT_METRIC.smClock]: 'smClockMHz',
  [AGENT_METRIC.memClock]: 'memClockMHz',
} as const;
type Field = (typeof GPU_FIELDS)[keyof typeof GPU_FIELDS];

export type RemoteGpu = { index: number; name: string; uuid: string } & Record<Field, number | null>;

export interface RemoteMachine {
  /** The agent's Hostname label, else the scrape target (on Fly: the machine). */
  id: string;
  instance: string;
  region?: string;
  gpus: RemoteGpu[];
  processes: never[];
  /** Seconds since Prometheus last scraped the machine's GPU utilisation. */
  ageSeconds: number | null;
  /** Set when the newest sample is older than `staleAfterSeconds`. */
  error?: string;
}

/** cpuAgents: the app's agents in CPU fallback (no nvidia-smi), which serve no GPU series and are not listed as machines. */
export type RemoteRead = { kind: 'ok'; machines: RemoteMachine[]; cpuAgents: number } | { kind: 'failed'; reason: string };

/** A PromQL double-quoted string's content: backslash first, then the quote and line breaks (a raw newline ends the parse). */
export const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

export function gpuQuery(app: string): string {
  return `{__name__=~"${Object.keys(GPU_FIELDS).join('|')}",app="${escapeLabel(app)}"}`;
}

/** When each GPU's utilisation was last scraped (an instant vector carries the evaluation time, not the sample's). */
export const ageQuery = (app: string) => `max by (instance) (timestamp(${AGENT_METRIC.gpuUtil}{app="${escapeLabel(app)}"}))`;

/**
 * Each GPU agent's sample age: a machine whose nvidia-smi fails or hangs exports no GPU series (the agent
 * drops a stale GPU's), so without this it would vanish from the view instead of showing what is wrong.
 */
export const agentAgeQuery = (app: string) =>
  `${AGENT_METRIC.lastSampleAge}{app="${escapeLabel(app)}"} and on (instance) ${AGENT_METRIC.info}{app="${escapeLabel(app)}",mode="gpu"}`;

/** The app's agents that found no nvidia-smi (mode "cpu fallback"): a CPU machine's agent is not a GPU machine gone quiet. */
export const cpuAgentQuery = (app: string) => `count(${AGENT_METRIC.info}{app="${escapeLabel(app)}",mode="cpu fallback"})`;

/** Why an agent in CPU fallback serves no GPU series: one wording for the agent read directly and through Prometheus. */
export const CPU_FALLBACK_REASON =
  'the agent found no nvidia-smi (CPU fallback): a machine without a GPU, or no NVIDIA driver in its image';

/**
 * Why an agent serves no GPU series, from its own gpuctl_agent_last_sample_age_seconds (-1: no sample since it
 * started): one wording whether the agent was read directly (agent-scrape.ts) or through Prometheus (above).
 */
export function sampleAgeReason(ageSeconds: number): string {
  return ageSeconds < 0
    ? "the agent has no GPU sample yet (nvidia-smi has not answered; the agent's /gpu-health says why)"
    : `the agent's last GPU sample is ${Math.round(ageSeconds)} s old (nvidia-smi is failing or hung; the agent's /gpu-health says why)`;
}

const emptyGpu = (index: number, name: string, uuid: string): RemoteGpu => ({
  index,
  name,
  uuid,
  ...(Object.fromEntries(Object.values(GPU_FIELDS).map((f) => [f, null])) as Record<Field, null>),
});

export async function readAppGpus(target: PromTarget, app: string, options: { at: Date; staleAfterSeconds?: number }): Promise<RemoteRead> {
  const { at } = options;
  const [outcome, stamps, agents, cpu] = await Promise.all([
    instantQuery(target, gpuQuery(app), at),
    instantQuery(target, ageQuery(app), at),
    instantQuery(target, agentAgeQuery(app), at),
    instantQuery(target, cpuAgentQuery(app), at),
  ]);
  if (outcome.kind !== 'ok') return { kind: 'failed', reason: describeOutcome(outcome, target.baseUrl) };
  if (outcome.data.resultType !== 'vector') return { kind: 'failed', reason: `expected a vector, got a ${outcome.data.resultType}` };
  const scraped = new Map<string, number>();
  if (stamps.kind === 'ok' && stamps.data.resultType === 'vector') {
    for (const { metric, value } of stamps.data.result) scraped.set(metric.instance ?? '', Number.parseFloat(value[1]));
  }
  const machines = new Map<string, RemoteMachine>();
  for (const { metric, value } of outcome.data.result) {
    const field = GPU_FIELDS[metric.__name__ as keyof typeof GPU_FIELDS];
    const index = Number(metric.gpu);
    if (!field || !Number.isInteger(index)) continue;
    const instance = metric.instance ?? '';
    let machine = machines.get(instance);
    if (!machine) {
      const t = scraped.get(instance);
      const ageSeconds = t === undefined ? null : Math.max(0, Math.round((at.getTime() / 1000 - t) * 10) / 10);
      machine = {
        id: metric.Hostname ?? instance,
        instance,
        ...(metric.region ? { region: metric.region } : {}),
        gpus: [],
        processes: [],
        ageSeconds,
      };
      const stale = options.staleAfterSeconds;
      if (stale !== undefined && ageSeconds !== null && ageSeconds > stale) machine.error = `no sample for ${Math.round(ageSeconds)} s`;
      machines.set(instance, machine);
    }
    let gpu = machine.gpus.find((g) => g.index === index);
    if (!gpu) {
      gpu = emptyGpu(index, metric.modelName ?? '', metric.UUID ?? '');
      machine.gpus.push(gpu);
    }
    const v = Number.parseFloat(value[1]);
    gpu[field] = Number.isFinite(v) ? v : null;
  }
  if (agents.kind === 'ok' && agents.data.resultType === 'vector')
    for (const { metric, value } of agents.data.result) {
      const instance = metric.instance ?? '';
      const age = Number.parseFloat(value[1]);
      if (machines.has(instance) || !Number.isFinite(age)) continue;
      const error = sampleAgeReason(age);
      const region = metric.region ? { region: metric.region } : {};
      machines.set(instance, {
        id: metric.Hostname ?? instance,
        instance,
        ...region,
        gpus: [],
        processes: [],
        ageSeconds: age < 0 ? null : age,
        error,
      });
    }
  const list = [...machines.values()].sort((a, b) => a.id.localeCompare(b.id) || a.instance.localeCompare(b.instance));
  for (const m of list) m.gpus.sort((a, b) => a.index - b.index);
  const cpuAgents = cpu.kind === 'ok' && cpu.data.resultType === 'vector' ? Number(cpu.data.result[0]?.value[1] ?? 0) : 0;
  return { kind: 'ok', machines: list, cpuAgents: Number.isFinite(cpuAgents) ? cpuAgents : 0 };
}
