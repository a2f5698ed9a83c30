/**
 * The names of the series `gpuctl agent` exports on /metrics: the one table of that contract. The agent
 * defines its metrics from it (agent/metric-defs.ts, agent/metrics.ts); whatever reads them back
 * (prometheus/gpu-samples.ts for monitor, autoscale's default query and machine count) names them from
 * it too, so a rename is one edit. GPU series keep dcgm-exporter's names (DCGM_FI_*), so its dashboards
 * and alerts work unchanged; gpuctl_* where dcgm-exporter has none. `metricNameRule()` in
 * scripts/lint-owners.mjs keeps the names out of other files.
 */
/**
 * The port the layout `gpuctl init` writes runs the agent on (fly.toml's [metrics] and [checks.gpu],
 * GPUCTL_METRICS_PORT for gpuctl-start.sh); a bare `gpuctl agent` listens on 9400 (agent/options.ts).
 */
export const LAYOUT_AGENT_PORT = 9091;

export const AGENT_METRIC = {
  smClock: 'DCGM_FI_DEV_SM_CLOCK',
  memClock: 'DCGM_FI_DEV_MEM_CLOCK',
  memoryTemp: 'DCGM_FI_DEV_MEMORY_TEMP',
  gpuTemp: 'DCGM_FI_DEV_GPU_TEMP',
  powerUsage: 'DCGM_FI_DEV_POWER_USAGE',
  powerLimit: 'DCGM_FI_DEV_POWER_MGMT_LIMIT',
  gpuUtil: 'DCGM_FI_DEV_GPU_UTIL',
  memCopyUtil: 'DCGM_FI_DEV_MEM_COPY_UTIL',
  encUtil: 'DCGM_FI_DEV_ENC_UTIL',
  decUtil: 'DCGM_FI_DEV_DEC_UTIL',
  fbFree: 'DCGM_FI_DEV_FB_FREE',
  fbUsed: 'DCGM_FI_DEV_FB_USED',
  fbTotal: 'DCGM_FI_DEV_FB_TOTAL',
  throttleReasons: 'DCGM_FI_DEV_CLOCK_THROTTLE_REASONS',
  eccSbeVolatile: 'DCGM_FI_DEV_ECC_SBE_VOL_TOTAL',
  eccDbeVolatile: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
  retiredSbe: 'DCGM_FI_DEV_RETIRED_SBE',
  retiredDbe: 'DCGM_FI_DEV_RETIRED_DBE',
  remappedUncorrectable: 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
  remappedCorrectable: 'DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS',
  rowRemapFailure: 'DCGM_FI_DEV_ROW_REMAP_FAILURE',
  xidErrors: 'DCGM_FI_DEV_XID_ERRORS',
  pcieLinkGen: 'DCGM_FI_DEV_PCIE_LINK_GEN',
  pcieLinkWidth: 'DCGM_FI_DEV_PCIE_LINK_WIDTH',
  pcieMaxLinkGen: 'DCGM_FI_DEV_PCIE_MAX_LINK_GEN',
  pcieMaxLinkWidth: 'DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH',
  pagesPending: 'gpuctl_gpu_pages_pending',
  pstate: 'gpuctl_gpu_pstate',
  maxSmClock: 'gpuctl_gpu_max_sm_clock_mhz',
  clockThrottled: 'gpuctl_gpu_clock_throttled',
  xidEvents: 'gpuctl_gpu_xid_events',
  hostCpuBusy: 'gpuctl_host_cpu_busy_ratio',
  hostCpus: 'gpuctl_host_cpus',
  hostLoad1: 'gpuctl_host_load1',
  hostMemoryTotal: 'gpuctl_host_memory_total_bytes',
  hostMemoryAvailable: 'gpuctl_host_memory_available_bytes',
  lastSampleAge: 'gpuctl_agent_last_sample_age_seconds',
  samplerRestarts: 'gpuctl_agent_sampler_restarts_total',
  badSamples: 'gpuctl_agent_bad_samples_total',
  samplerUp: 'gpuctl_agent_sampler_up',
  gpus: 'gpuctl_agent_gpus',
  gpuHealthy: 'gpuctl_agent_gpu_healthy',
  kernelLogReadable: 'gpuctl_agent_kernel_log_readable',
  info: 'gpuctl_agent_info',
  diagResult: 'gpuctl_diag_result',
  diagLastRun: 'gpuctl_diag_last_run_timestamp_seconds',
  diagGpuAt: 'gpuctl_diag_gpu_timestamp_seconds',
} as const;

export type AgentMetricName = (typeof AGENT_METRIC)[keyof typeof AGENT_METRIC];
