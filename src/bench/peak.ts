/**
 * How close a figure comes to what the GPU can do, only against the roof that bounds the kernel,
 * which its headline unit names (the kernel table's unit column, native/src/kernels.inc):
 * - B/s figures: the datasheet memory bandwidth, and the device-copy ceiling measured in the same run
 *   (memory/memcpy_d2d, bytes read + written): what this GPU, driver and clock state deliver;
 * - FLOP/s figures: the precision's dense datasheet TFLOP/s;
 * - anything else (Mpaths/s for Monte Carlo, Gsteps/s for the backtest grid, us for latencies) has no
 *   datasheet roof that bounds it (RNG and FP64 issue, not FP32 FMA or DRAM): no percentage at all.
 * Host<->device copies (PCIe/NVLink-C2C bound) and CPU-mode figures have none either.
 */
import type { GpuProfile, Precision } from '../gpu/types.js';
import { PRECISIONS } from '../gpu/types.js';
import { kernelRef } from './kernel-names.js';
import type { ResultLine } from './protocol.js';

export const CEILING_KERNEL = kernelRef('memcpy_d2d');

export type PeakBasis = 'bandwidth' | Precision;

export interface PeakFigures {
  /** Achieved / datasheet peak × 100, or null. */
  pctOfPeak: number | null;
  /** What the peak was: "bandwidth" or a precision's TFLOP/s. */
  peakBasis: PeakBasis | null;
  /** The datasheet value used (GB/s or TFLOP/s). */
  peak: number | null;
  /** Achieved bandwidth / measured device-copy ceiling × 100, or null. */
  pctOfCeiling: number | null;
  /** Bytes per second achieved, in GB/s (bytes / median), when the kernel counts bytes. */
  achievedGBs: number | null;
  /** FLOP per second achieved, in TFLOP/s, when the kernel counts flops. */
  achievedTflops: number | null;
}

const isPrecision = (p: string | null): p is Precision => p !== null && (PRECISIONS as readonly string[]).includes(p);

/** The catalogue's precision for a result's: FP8 formats (fp8_e4m3, fp8_e5m2) share one peak. */
export function catalogPrecision(precision: string | null): Precision | null {
  const p = precision?.startsWith('fp8') ? 'fp8' : precision;
  return isPrecision(p ?? null) ? (p as Precision) : null;
}

/** The ceiling in GB/s: the memcpy_d2d result's bytes over its median. */
export function ceilingGBs(results: readonly ResultLine[]): number | null {
  const copy = results.find((r) => r.suite === CEILING_KERNEL.suite && r.name === CEILING_KERNEL.name);
  return copy && copy.medianMs > 0 && copy.bytes > 0 ? copy.bytes / copy.medianMs / 1e6 : null;
}

/** Which roof a figure in this unit is held to: "bandwidth", "flops", or none. */
export function roofOf(unit: string): 'bandwidth' | 'flops' | null {
  if (/^[kMGTP]?B\/s$/.test(unit)) return 'bandwidth';
  if (/^[kMGTP]?FLOP\/s$/.test(unit)) return 'flops';
  return null;
}

export function peakFigures(result: ResultLine, profile: Pick<GpuProfile, 'peakMemoryBandwidthGBs' | 'peakTflops'> | null, ceiling: number | null, mode: 'gpu' | 'cpu'): PeakFigures {
  const none: PeakFigures = { pctOfPeak: null, peakBasis: null, peak: null, pctOfCeiling: null, achievedGBs: null, achievedTflops: null };
  // Links and collectives move bytes between GPUs: bounded by NVLink/PCIe, not by device memory.
  if (mode === 'cpu' || result.medianMs <= 0 || result.unit === 'us' || result.suite === 'links' || result.suite === 'collectives') return none;
  const achievedGBs = result.bytes > 0 ? result.bytes / result.medianMs / 1e6 : null;
  const achievedTflops = result.flops > 0 ? result.flops / result.medianMs / 1e9 : null;
  const figures = { ...none, achievedGBs, achievedTflops };
  // Host↔device copies are bounded by PCIe/NVLink-C2C, not by device memory: no datasheet peak for them.
  const hostLink = /^(h2d|d2h)_/.test(result.name);
  const roof = roofOf(result.unit);
  if (roof === 'bandwidth' && achievedGBs !== null && !hostLink) {
    const bandwidth = profile?.peakMemoryBandwidthGBs ?? null;
    return {
      ...figures,
      ...(bandwidth ? { pctOfPeak: (100 * achievedGBs) / bandwidth, peakBasis: 'bandwidth' as const, peak: bandwidth } : {}),
      pctOfCeiling: ceiling ? (100 * achievedGBs) / ceiling : null,
    };
  }
  if (roof === 'flops' && achievedTflops !== null) {
    const precision = catalogPrecision(result.precision) ?? 'fp32';
    const tflops = profile?.peakTflops[precision] ?? null;
    if (tflops) return { ...figures, pctOfPeak: (100 * achievedTflops) / tflops, peakBasis: precision, peak: tflops };
  }
  return figures;
}
