/**
 * The /metrics registry (prom-client, a Registry of its own): GPU series re-set from the sampler's
 * latest readings when they change, host CPU/memory and the agent's own sampling health at each scrape.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { HostMeter } from './host.js';
import { GPU_LABELS, GPU_METRICS, gpuLabels, THROTTLE_METRIC } from './metric-defs.js';
import { THROTTLE_REASONS } from '../gpu/smi-sample.js';
import type { SamplerState } from './sampler.js';
import type { DiagState } from './diag-state.js';
import { AGENT_METRIC } from '../shared/agent-metrics.js';
import type { XidReport } from '../gpu/xid.js';
import { xidsFor } from './xid-watch.js';

export interface AgentMetrics {
  registry: Registry;
  /** Brings the registry up to date with the sampler and the host; cheap when nothing changed. */
  update(state: SamplerState, nowMs: number, healthy: boolean, diag?: DiagState | null, xid?: XidReport | null): void;
}

export function createAgentMetrics(hostname: string, host: HostMeter, version: string, mode: () => string): AgentMetrics {
  const registry = new Registry();
  const registers = [registry];
  const labelNames = [...GPU_LABELS];
  const gpu = GPU_METRICS.map((def) => ({
    def,
    metric:
      def.type === 'counter'
        ? new Counter({ name: def.name, help: def.help, labelNames, registers })
        : new Gauge({ name: def.name, help: def.help, labelNames, registers }),
  }));
  const throttled = new Gauge({ name: THROTTLE_METRIC.name, help: THROTTLE_METRIC.help, labelNames: [...labelNames, 'reason'], registers });
  const g = (name: string, help: string, labels: string[] = []) => new Gauge({ name, help, labelNames: labels, registers });
  const cpuBusy = g(AGENT_METRIC.hostCpuBusy, 'Share of CPU time spent busy over the last interval, all CPUs (0-1).');
  const cpuCount = g(AGENT_METRIC.hostCpus, 'Number of logical CPUs.');
  const load1 = g(AGENT_METRIC.hostLoad1, 'One-minute load average.');
  const memTotal = g(AGENT_METRIC.hostMemoryTotal, 'Host memory (bytes).');
  const memAvail = g(AGENT_METRIC.hostMemoryAvailable, 'Host memory available without swapping (bytes).');
  // The machine's sampling health carries Hostname, as the GPU series do: the alert rules name the machine from it.
  const machine = { Hostname: hostname };
  const age = g(AGENT_METRIC.lastSampleAge, 'Seconds since nvidia-smi last printed a sample (-1: none yet).', ['Hostname']);
  const restarts = new Counter({
    name: AGENT_METRIC.samplerRestarts,
    help: 'Times the nvidia-smi sampler died, hung or printed garbage and was restarted.',
    registers,
  });
  const bad = new Counter({
    name: AGENT_METRIC.badSamples,
    help: 'Samples with an impossible reading (utilisation outside 0-100, temperature below -40 C, negative memory…); those values are not exported.',
    registers,
  });
  const up = g(AGENT_METRIC.samplerUp, 'Whether an nvidia-smi sampler process is running (1) or not (0).', ['Hostname']);
  const gpus = g(AGENT_METRIC.gpus, 'GPUs the agent has seen since it started.', ['Hostname']);
  const healthy = g(AGENT_METRIC.gpuHealthy, 'Whether /gpu-health answers 200 (1) or 503 (0).', ['Hostname']);
  const info = g(AGENT_METRIC.info, 'The agent: gpuctl version and mode (gpu or cpu fallback).', ['version', 'mode']);
  const diagResult = g(AGENT_METRIC.diagResult, 'The last gpuctl diag verdict per GPU: 0 pass, 1 warn, 2 fail.', [
    'gpu',
    'UUID',
    'level',
    'Hostname',
  ]);
  const diagAt = g(AGENT_METRIC.diagLastRun, 'When the last gpuctl diag finished (Unix seconds).', ['level', 'Hostname']);
  const diagGpuAt = g(AGENT_METRIC.diagGpuAt, "When the gpuctl diag that gave this GPU's verdict finished (Unix seconds).", [
    'gpu',
    'UUID',
    'level',
    'Hostname',
  ]);
  const xidLast = g(AGENT_METRIC.xidErrors, 'Value of the last XID error encountered (0: none in the kernel log).', labelNames);
  const xidEvents = g(AGENT_METRIC.xidEvents, "XID events of this code in the kernel log's ring buffer.", [...labelNames, 'xid']);
  const logReadable = g(AGENT_METRIC.kernelLogReadable, 'Whether the agent can read the kernel log for XID events (1) or not (0).');
  collectDefaultMetrics({ register: registry });
  let seenAt: number | null | undefined;
  let seenFresh = '';
  let restartsSeen = 0;
  let badSeen = 0;
  return {
    registry,
    update(state, nowMs, isHealthy, diag = null, xid = null) {
      diagResult.reset();
      diagAt.reset();
      diagGpuAt.reset();
      if (diag) {
        diagAt.set({ level: diag.level, Hostname: hostname }, diag.finishedAtMs / 1000);
        for (const d of diag.gpus) {
          const labels = { gpu: String(d.index), UUID: d.uuid, level: d.level, Hostname: hostname };
          diagResult.set(labels, ['pass', 'warn', 'fail'].indexOf(d.verdict));
          diagGpuAt.set(labels, d.finishedAtMs / 1000);
        }
      }
      // A GPU nvidia-smi stopped reporting keeps no series: its last values would read as current. That is
      // decided at every update, not only when a sample arrives: a dead or hung nvidia-smi sends none.
      const fresh = [...state.gpus.values()].filter(({ at }) => nowMs - at <= 3 * state.intervalMs);
      const freshKey = fresh.map(({ sample }) => sample.uuid).join(',');
      if (state.lastSampleAt !== seenAt || freshKey !== seenFresh) {
        seenAt = state.lastSampleAt;
        seenFresh = freshKey;
        for (const { metric } of gpu) metric.reset();
        throttled.reset();
        for (const { sample } of fresh) {
          const labels = gpuLabels(sample, hostname);
          for (const { def, metric } of gpu) {
            const value = def.value(sample);
            if (value === null) continue;
            if (metric instanceof Counter) metric.inc(labels, value);
            else metric.set(labels, value);
          }
          for (const reason of THROTTLE_REASONS) {
            const v = sample.throttle[reason];
            if (v !== null) throttled.set({ ...labels, reason }, v ? 1 : 0);
          }
        }
      }
      xidLast.reset();
      xidEvents.reset();
      logReadable.reset();
      if (xid) logReadable.set(xid.readable ? 1 : 0);
      if (xid?.readable)
        for (const { sample, at } of state.gpus.values()) {
          if (nowMs - at > 3 * state.intervalMs || sample.pciBusId === null) continue;
          const labels = gpuLabels(sample, hostname);
          const { perCode, last } = xidsFor(xid.events, sample.pciBusId);
          xidLast.set(labels, last);
          for (const [code, count] of perCode) xidEvents.set({ ...labels, xid: String(code) }, count);
        }
      const h = host.read();
      if (h.cpuBusyRatio !== null) cpuBusy.set(h.cpuBusyRatio);
      cpuCount.set(h.cpuCount);
      load1.set(h.load1);
      memTotal.set(h.memoryTotalBytes);
      memAvail.set(h.memoryAvailableBytes);
      age.set(machine, state.lastSampleAt === null ? -1 : (nowMs - state.lastSampleAt) / 1000);
      if (state.restarts > restartsSeen) {
        restarts.inc(state.restarts - restartsSeen);
        restartsSeen = state.restarts;
      }
      if (state.badSamples > badSeen) {
        bad.inc(state.badSamples - badSeen);
        badSeen = state.badSamples;
      }
      up.set(machine, state.phase === 'running' ? 1 : 0);
      gpus.set(machine, state.gpus.size);
      healthy.set(machine, isHealthy ? 1 : 0);
      info.reset();
      info.set({ version, mode: mode() }, 1);
    },
  };
}
