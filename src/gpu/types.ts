/**
 * The Fly.io GPU kind a catalogued part was offered as: a fact about the part, recorded in the
 * catalogue. flyio/gpu-kinds.ts describes the kinds themselves (sizes, regions, prices, retirement)
 * and takes this type from here, so the hardware floor never imports Fly's.
 */
export type FlyGpuKindId = 'a10' | 'l40s' | 'a100-pcie-40gb' | 'a100-sxm4-80gb';

export type Precision = 'fp32' | 'tf32' | 'fp16' | 'bf16' | 'fp8';
export const PRECISIONS: readonly Precision[] = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8'];

export type Architecture = 'Volta' | 'Turing' | 'Ampere' | 'Ada Lovelace' | 'Hopper' | 'Blackwell' | 'unknown';

/** Dense peak TFLOP/s per precision (tensor cores where the chip has them; FP32 on the CUDA cores). null: not supported. */
export type PeakTflops = Record<Precision, number | null>;

export interface GpuProfile {
  id: string;
  displayName: string;
  /** Names nvidia-smi prints for this part (matched case-insensitively, "NVIDIA"/"Tesla" prefix optional). */
  names: readonly string[];
  architecture: Architecture;
  computeCapability: string;
  sms: number | null;
  memoryGB: number | null;
  memoryType: string | null;
  peakMemoryBandwidthGBs: number | null;
  peakTflops: PeakTflops;
  tensorCores: boolean;
  bestPrecision: 'bf16' | 'fp16' | 'fp32';
  flyGpuKind: FlyGpuKindId | null;
  /** Where the figures come from; "derived" profiles were worked out from the device's own report. */
  source: string;
  derived: boolean;
}
