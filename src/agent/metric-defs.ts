/**
 * The metrics the agent exposes, as data: dcgm-exporter's names, types and help texts (its
 * etc/default-counters.csv and DCGM's field list) where one exists, gpuctl_* where none does.
 * Units are dcgm-exporter's: MiB, °C, W, MHz, %.
 */
import type { GpuSample } from '../gpu/smi-sample.js';
import { AGENT_METRIC } from '../shared/agent-metrics.js';

/** The names, exported with the definitions: the one table (shared/agent-metrics.ts, so readers on other floors share it). */
export { AGENT_METRIC, type AgentMetricName } from '../shared/agent-metrics.js';

export interface GpuMetricDef {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  value: (s: GpuSample) => number | null;
}

const yes = (v: boolean | null) => (v === null ? null : v ? 1 : 0);

export const GPU_METRICS: readonly GpuMetricDef[] = [
  { name: AGENT_METRIC.smClock, type: 'gauge', help: 'SM clock frequency (in MHz).', value: (s) => s.smClockMHz },
  { name: AGENT_METRIC.memClock, type: 'gauge', help: 'Memory clock frequency (in MHz).', value: (s) => s.memClockMHz },
  { name: AGENT_METRIC.memoryTemp, type: 'gauge', help: 'Memory temperature (in C).', value: (s) => s.memoryTemperatureC },
  { name: AGENT_METRIC.gpuTemp, type: 'gauge', help: 'GPU temperature (in C).', value: (s) => s.temperatureC },
  { name: AGENT_METRIC.powerUsage, type: 'gauge', help: 'Power draw (in W).', value: (s) => s.powerDrawW },
  { name: AGENT_METRIC.powerLimit, type: 'gauge', help: 'Power management limit (in W).', value: (s) => s.powerLimitW },
  { name: AGENT_METRIC.gpuUtil, type: 'gauge', help: 'GPU utilization (in %).', value: (s) => s.utilGpuPct },
  { name: AGENT_METRIC.memCopyUtil, type: 'gauge', help: 'Memory utilization (in %).', value: (s) => s.utilMemoryPct },
  { name: AGENT_METRIC.encUtil, type: 'gauge', help: 'Encoder utilization (in %).', value: (s) => s.utilEncoderPct },
  { name: AGENT_METRIC.decUtil, type: 'gauge', help: 'Decoder utilization (in %).', value: (s) => s.utilDecoderPct },
  { name: AGENT_METRIC.fbFree, type: 'gauge', help: 'Framebuffer memory free (in MiB).', value: (s) => s.memoryFreeMiB },
  { name: AGENT_METRIC.fbUsed, type: 'gauge', help: 'Framebuffer memory used (in MiB).', value: (s) => s.memoryUsedMiB },
  { name: AGENT_METRIC.fbTotal, type: 'gauge', help: 'Framebuffer memory total (in MiB).', value: (s) => s.memoryTotalMiB },
  {
    name: AGENT_METRIC.throttleReasons,
    type: 'gauge',
    help: 'Current clock throttle reasons (bitmask of nvmlClocksEventReasons).',
    value: (s) => s.throttleMask,
  },
  {
    name: AGENT_METRIC.eccSbeVolatile,
    type: 'counter',
    help: 'Total number of single-bit volatile ECC errors.',
    value: (s) => s.eccCorrectedVolatile,
  },
  {
    name: AGENT_METRIC.eccDbeVolatile,
    type: 'counter',
    help: 'Total number of double-bit volatile ECC errors.',
    value: (s) => s.eccUncorrectedVolatile,
  },
  {
    name: AGENT_METRIC.retiredSbe,
    type: 'counter',
    help: 'Total number of retired pages due to single-bit errors.',
    value: (s) => s.retiredSbe,
  },
  {
    name: AGENT_METRIC.retiredDbe,
    type: 'counter',
    help: 'Total number of retired pages due to double-bit errors.',
    value: (s) => s.retiredDbe,
  },
  {
    name: AGENT_METRIC.remappedUncorrectable,
    type: 'counter',
    help: 'Number of remapped rows for uncorrectable errors',
    value: (s) => s.remappedUncorrectable,
  },
  {
    name: AGENT_METRIC.remappedCorrectable,
    type: 'counter',
    help: 'Number of remapped rows for correctable errors',
    value: (s) => s.remappedCorrectable,
  },
  { name: AGENT_METRIC.rowRemapFailure, type: 'gauge', help: 'Whether remapping of rows has failed', value: (s) => yes(s.remapFailure) },
  {
    name: AGENT_METRIC.pagesPending,
    type: 'gauge',
    help: 'Whether memory pages are pending retirement or rows pending remapping (1: reset the GPU).',
    value: (s) =>
      s.retiredPending === true || s.remapPending === true ? 1 : s.retiredPending === null && s.remapPending === null ? null : 0,
  },
  { name: AGENT_METRIC.pcieLinkGen, type: 'gauge', help: 'PCIe current link generation.', value: (s) => s.linkGen },
  { name: AGENT_METRIC.pcieLinkWidth, type: 'gauge', help: 'PCIe current link width.', value: (s) => s.linkWidth },
  { name: AGENT_METRIC.pcieMaxLinkGen, type: 'gauge', help: 'PCIe max link generation.', value: (s) => s.linkGenMax },
  { name: AGENT_METRIC.pcieMaxLinkWidth, type: 'gauge', help: 'PCIe max link width.', value: (s) => s.linkWidthMax },
  { name: AGENT_METRIC.pstate, type: 'gauge', help: 'Performance state (0 for P0, the highest, to 15).', value: (s) => s.pstate },
  { name: AGENT_METRIC.maxSmClock, type: 'gauge', help: 'Maximum SM clock frequency (in MHz).', value: (s) => s.maxSmClockMHz },
];

/** Per-reason throttle flags, one series per reason label. */
export const THROTTLE_METRIC = {
  name: AGENT_METRIC.clockThrottled,
  help: 'Whether the clocks are held down for this reason (1) or not (0).',
} as const;

/** dcgm-exporter's labels (its `device` is nvidia<index>), plus the PCI bus id. */
export const GPU_LABELS = ['gpu', 'UUID', 'device', 'modelName', 'Hostname', 'pci_bus_id'] as const;
export type GpuLabel = (typeof GPU_LABELS)[number];

export function gpuLabels(s: GpuSample, hostname: string): Record<GpuLabel, string> {
  return {
    gpu: String(s.index),
    UUID: s.uuid,
    device: `nvidia${s.index}`,
    modelName: s.name,
    Hostname: hostname,
    pci_bus_id: s.pciBusId ?? '',
  };
}
