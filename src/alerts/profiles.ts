/**
 * The alert thresholds each workload profile implies (what `gpuctl init` writes, and `gpuctl alerts
 * export --workload` prints). Only inference pages on a GPU held busy: there it means the app is
 * saturated and needs machines; a batch, backtest or training job is meant to keep the GPU at 100 %.
 * The memory threshold is 100 % less the headroom init's tuning leaves below GPUCTL_GPU_MEMORY_FRACTION
 * (src/init/tuning.ts HEADROOM): above it, the app outgrew the share it was tuned for.
 */
import type { WorkloadId } from '../shared/profiles.js';
import { DEFAULT_THRESHOLDS, type AlertThresholds } from './rules.js';

export const WORKLOAD_ALERTS: Readonly<Record<WorkloadId, Pick<AlertThresholds, 'utilPct' | 'memoryPct'>>> = {
  inference: { utilPct: 95, memoryPct: 90 },
  batch: { utilPct: null, memoryPct: 95 },
  backtest: { utilPct: null, memoryPct: 93 },
  training: { utilPct: null, memoryPct: 97 },
};

/** The workload's thresholds over the defaults (temperatures, staleness, `for:`), then the caller's. */
export function thresholdsFor(workload: WorkloadId, overrides: Partial<AlertThresholds> = {}): AlertThresholds {
  return { ...DEFAULT_THRESHOLDS, ...WORKLOAD_ALERTS[workload], ...overrides };
}
