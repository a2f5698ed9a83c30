/**
 * The metrics the agent exposes, as data: dcgm-exporter's names, types and help texts (its
 * etc/default-counters.csv and DCGM's field list) where one exists, gpuctl_* where none does.
 * Units are dcgm-exporter's: MiB, °C, W, MHz, %.
 */
import type { GpuSample } from '../gpu/smi-sample.js';

export interface GpuMetricDef {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  value: (s: GpuSample) => number | null;
}

const yes = (v: boolean | null) => (v === null ? null : v ? 1 : 0);

export const GPU_METRICS: readonly GpuMetricDef[] = [
  { name: 'DCGM_FI_DEV_SM_CLOCK', type: 'gauge', help: 'SM clock frequency (in MHz).', value: (s) => s.smClockMHz },
  { name: 'DCGM_FI_DEV_MEM_CLOCK', type: 'gauge', help: 'Memory clock frequency (in MHz).', value: (s) => s.memClockMHz },
  { name: 'DCGM_FI_DEV_MEMORY_TEMP', type: 'gauge', help: 'Memory temperature (in C).', value: (s) => s.memoryTemperatureC },
  { name: 'DCGM_FI_DEV_GPU_TEMP', type: 'gauge', help: 'GPU temperature (in C).', value: (s) => s.temperatureC },
  { name: 'DCGM_FI_DEV_POWER_USAGE', type: 'gauge', help: 'Power draw (in W).', value: (s) => s.powerDrawW },
  { name: 'DCGM_FI_DEV_POWER_MGMT_LIMIT', type: 'gauge', help: 'Power management limit (in W).', value: (s) => s.powerLimitW },
  { name: 'DCGM_FI_DEV_GPU_UTIL', type: 'gauge', help: 'GPU utilization (in %).', value: (s) => s.utilGpuPct },
  { name: 'DCGM_FI_DEV_MEM_COPY_UTIL', type: 'gauge', help: 'Memory utilization (in %).', value: (s) => s.utilMemoryPct },
  { name: 'DCGM_FI_DEV_ENC_UTIL', type: 'gauge', help: 'Encoder utilization (in %).', value: (s) => s.utilEncoderPct },
  { name: 'DCGM_FI_DEV_DEC_UTIL', type: 'gauge', help: 'Decoder utilization (in %).', value: (s) => s.utilDecoderPct },
  { name: 'DCGM_FI_DEV_FB_FREE', type: 'gauge', help: 'Framebuffer memory free (in MiB).', value: (s) => s.memoryFreeMiB },
  { name: 'DCGM_FI_DEV_FB_USED', type: 'gauge', help: 'Framebuffer memory used (in MiB).', value: (s) => s.memoryUsedMiB },
  { name: 'DCGM_FI_DEV_FB_TOTAL', type: 'gauge', help: 'Framebuffer memory total (in MiB).', value: (s) => s.memoryTotalMiB },
  {
    name: 'DCGM_FI_DEV_CLOCK_THROTTLE_REASONS',
    type: 'gauge',
    help: 'Current clock throttle reasons (bitmask of nvmlClocksEventReasons).',
    value: (s) => s.throttleMask,
  },
  {
    name: 'DCGM_FI_DEV_ECC_SBE_VOL_TOTAL',
    type: 'counter',
    help: 'Total number of single-bit volatile ECC errors.',
    value: (s) => s.eccCorrectedVolatile,
  },
  {
    name: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
    type: 'counter',
    help: 'Total number of double-bit volatile ECC errors.',
    value: (s) => s.eccUncorrectedVolatile,
  },
  {
    name: 'DCGM_FI_DEV_RETIRED_SBE',
    type: 'counter',
    help: 'Total number of retired pages due to single-bit errors.',
    value: (s) => s.retiredSbe,
  },
  {
    name: 'DCGM_FI_DEV_RETIRED_DBE',
    type: 'counter',
    help: 'Total number of retired pages due to double-bit errors.',
    value: (s) => s.retiredDbe,
  },
  {
    name: 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
    type: 'counter',
    help: 'Number of remapped rows for uncorrectable errors',
    value: (s) => s.remappedUncorrectable,
  },
  {
    name: 'DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS',
    type: 'counter',
    help: 'Number of remapped rows for correctable errors',
    value: (s) => s.remappedCorrectable,
  },
  { name: 'DCGM_FI_DEV_ROW_REMAP_FAILURE', type: 'gauge', help: 'Whether remapping of rows has failed', value: (s) => yes(s.remapFailure) },
  {
    name: 'gpuctl_gpu_pages_pending',
    type: 'gauge',
    help: 'Whether memory pages are pending retirement or rows pending remapping (1: reset the GPU).',
    value: (s) =>
      s.retiredPending === true || s.remapPending === true ? 1 : s.retiredPending === null && s.remapPending === null ? null : 0,
  },
  { name: 'DCGM_FI_DEV_PCIE_LINK_GEN', type: 'gauge', help: 'PCIe current link generation.', value: (s) => s.linkGen },
  { name: 'DCGM_FI_DEV_PCIE_LINK_WIDTH', type: 'gauge', help: 'PCIe current link width.', value: (s) => s.linkWidth },
  { name: 'DCGM_FI_DEV_PCIE_MAX_LINK_GEN', type: 'gauge', help: 'PCIe max link generation.', value: (s) => s.linkGenMax },
  { name: 'DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH', type: 'gauge', help: 'PCIe max link width.', value: (s) => s.linkWidthMax },
  { name: 'gpuctl_gpu_pstate', type: 'gauge', help: 'Performance state (0 for P0, the highest, to 15).', value: (s) => s.pstate },
  { name: 'gpuctl_gpu_max_sm_clock_mhz', type: 'gauge', help: 'Maximum SM clock frequency (in MHz).', value: (s) => s.maxSmClockMHz },
];

/** Per-reason throttle flags, one series per reason label. */
export const THROTTLE_METRIC = {
  name: 'gpuctl_gpu_clock_throttled',
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
