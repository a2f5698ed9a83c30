/**
 * /gpu-health, decided: a pure function of the sampler's state, the clock and the thresholds.
 * Every failed condition is named (with its GPU), so one 503 says everything that is wrong.
 */
import type { GpuReading, SamplerState } from './sampler.js';

export interface HealthThresholds {
  maxTempC: number;
  /** Fail when a GPU's memory use is above this share (percent); null: never. */
  maxMemoryPct: number | null;
  /** The GPUs this machine must have (the layout's count); null: whatever was seen at start. */
  expectGpus: number | null;
}

export type HealthCondition =
  | 'nvidia-smi-missing'
  | 'nvidia-smi-failing'
  | 'no-sample-yet'
  | 'sample-stale'
  | 'gpu-missing'
  | 'ecc-uncorrected'
  | 'pages-pending'
  | 'temperature'
  | 'clocks-throttled'
  | 'memory';

export interface HealthFailure {
  condition: HealthCondition;
  gpu?: number;
  message: string;
}

export interface GpuHealth {
  status: 'ok' | 'failing';
  mode: 'gpu' | 'cpu fallback';
  gpus: number;
  lastSampleAgeSeconds: number | null;
  samplerRestarts: number;
  failures: HealthFailure[];
}

function perGpu(reading: GpuReading, t: HealthThresholds): HealthFailure[] {
  const s = reading.sample;
  const gpu = s.index;
  const out: HealthFailure[] = [];
  if ((s.eccUncorrectedVolatile ?? 0) > 0)
    out.push({
      condition: 'ecc-uncorrected',
      gpu,
      message: `GPU ${gpu} has ${s.eccUncorrectedVolatile} uncorrectable ECC errors since boot`,
    });
  if (s.retiredPending === true)
    out.push({ condition: 'pages-pending', gpu, message: `GPU ${gpu} has memory pages pending retirement (reset the GPU)` });
  if (s.remapPending === true)
    out.push({ condition: 'pages-pending', gpu, message: `GPU ${gpu} has row remappings pending (reset the GPU)` });
  if (s.remapFailure === true) out.push({ condition: 'pages-pending', gpu, message: `GPU ${gpu} failed to remap a memory row` });
  if (s.temperatureC !== null && s.temperatureC > t.maxTempC)
    out.push({ condition: 'temperature', gpu, message: `GPU ${gpu} is at ${s.temperatureC} °C, over the ${t.maxTempC} °C limit` });
  const reasons = (['hw_thermal_slowdown', 'sw_thermal_slowdown', 'hw_power_brake_slowdown'] as const).filter(
    (r) => s.throttle[r] === true,
  );
  if (reasons.length) out.push({ condition: 'clocks-throttled', gpu, message: `GPU ${gpu} clocks are throttled: ${reasons.join(', ')}` });
  if (t.maxMemoryPct !== null && s.memoryUsedMiB !== null && s.memoryTotalMiB) {
    const pct = (100 * s.memoryUsedMiB) / s.memoryTotalMiB;
    if (pct > t.maxMemoryPct)
      out.push({ condition: 'memory', gpu, message: `GPU ${gpu} memory is ${pct.toFixed(0)}% used, over ${t.maxMemoryPct}%` });
  }
  return out;
}

export function decideHealth(state: SamplerState, nowMs: number, t: HealthThresholds): GpuHealth {
  const staleMs = 3 * state.intervalMs;
  const age = state.lastSampleAt === null ? null : nowMs - state.lastSampleAt;
  const failures: HealthFailure[] = [];
  const base = { gpus: state.gpus.size, lastSampleAgeSeconds: age === null ? null : age / 1000, samplerRestarts: state.restarts };
  if (state.phase === 'absent') {
    if (t.expectGpus)
      failures.push({
        condition: 'nvidia-smi-missing',
        message: `nvidia-smi is not installed, but this machine should have ${t.expectGpus} GPU(s)`,
      });
    return { status: failures.length ? 'failing' : 'ok', mode: 'cpu fallback', ...base, failures };
  }
  if (state.failure)
    failures.push({ condition: 'nvidia-smi-failing', message: `${state.failure.message} (${state.restarts} restart(s) so far)` });
  if (age === null) failures.push({ condition: 'no-sample-yet', message: 'no sample from nvidia-smi yet' });
  else if (age > staleMs)
    failures.push({
      condition: 'sample-stale',
      message: `the last sample is ${(age / 1000).toFixed(1)} s old (limit ${staleMs / 1000} s)`,
    });
  const readings = [...state.gpus.values()].sort((a, b) => a.sample.index - b.sample.index);
  for (const reading of readings) {
    if (age !== null && age <= staleMs && nowMs - reading.at > staleMs) {
      failures.push({
        condition: 'gpu-missing',
        gpu: reading.sample.index,
        message: `GPU ${reading.sample.index} (${reading.sample.uuid}) is no longer reported by nvidia-smi`,
      });
    } else failures.push(...perGpu(reading, t));
  }
  if (t.expectGpus !== null && age !== null && state.gpus.size < t.expectGpus) {
    failures.push({ condition: 'gpu-missing', message: `nvidia-smi reports ${state.gpus.size} GPU(s) where ${t.expectGpus} are expected` });
  }
  return { status: failures.length ? 'failing' : 'ok', mode: 'gpu', ...base, failures };
}
