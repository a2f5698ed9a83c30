/**
 * Readings no GPU can produce (utilisation -50 % or 1e308 %, -273 °C, negative memory) are not exported:
 * a sample's impossible values are dropped (null, as if not reported) and the sample counts as bad, so
 * /gpu-health and /metrics never present a broken driver's numbers as a healthy GPU's.
 */
import type { GpuSample } from '../gpu/smi-sample.js';

type NumericKey = { [K in keyof GpuSample]: GpuSample[K] extends number | null ? K : never }[keyof GpuSample];

/** Inclusive bounds per numeric reading; units as nvidia-smi prints them. */
const RANGES: ReadonlyArray<readonly [NumericKey, number, number]> = [
  ['utilGpuPct', 0, 100],
  ['utilMemoryPct', 0, 100],
  ['utilEncoderPct', 0, 100],
  ['utilDecoderPct', 0, 100],
  ['memoryTotalMiB', 0, 16 * 1024 * 1024],
  ['memoryUsedMiB', 0, 16 * 1024 * 1024],
  ['memoryFreeMiB', 0, 16 * 1024 * 1024],
  // A GPU below -40 °C or above 150 °C is a sensor or driver fault, not a reading.
  ['temperatureC', -40, 150],
  ['memoryTemperatureC', -40, 150],
  ['powerDrawW', 0, 10_000],
  ['powerLimitW', 0, 10_000],
  ['smClockMHz', 0, 100_000],
  ['memClockMHz', 0, 100_000],
  ['maxSmClockMHz', 0, 100_000],
  ['eccCorrectedVolatile', 0, Number.MAX_SAFE_INTEGER],
  ['eccUncorrectedVolatile', 0, Number.MAX_SAFE_INTEGER],
  ['retiredSbe', 0, Number.MAX_SAFE_INTEGER],
  ['retiredDbe', 0, Number.MAX_SAFE_INTEGER],
  ['remappedCorrectable', 0, Number.MAX_SAFE_INTEGER],
  ['remappedUncorrectable', 0, Number.MAX_SAFE_INTEGER],
  // PCIe generations 1-6 so far; widths x1 to x32.
  ['linkGen', 1, 16],
  ['linkGenMax', 1, 16],
  ['linkWidth', 1, 32],
  ['linkWidthMax', 1, 32],
];

export interface SaneSample {
  sample: GpuSample;
  /** "utilization.gpu=-50"-style notes for each value dropped; empty when the sample was sane. */
  dropped: string[];
}

/** Pure: the sample with every out-of-range reading set to null, and what was dropped. */
export function saneSample(sample: GpuSample): SaneSample {
  const dropped: string[] = [];
  const out: GpuSample = { ...sample };
  for (const [key, min, max] of RANGES) {
    const v = sample[key];
    if (v === null || (v >= min && v <= max)) continue;
    dropped.push(`${key}=${v}`);
    (out as unknown as Record<string, number | null>)[key] = null;
  }
  const { memoryUsedMiB: used, memoryTotalMiB: total } = out;
  if (used !== null && total !== null && used > total) {
    dropped.push(`memoryUsedMiB=${used}>memoryTotalMiB=${total}`);
    out.memoryUsedMiB = null;
  }
  return { sample: out, dropped };
}
