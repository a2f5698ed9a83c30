/**
 * Known GPUs. Peak TFLOP/s are DENSE figures (datasheets print tensor figures "with sparsity":
 * those are halved here); FP16/BF16 are with FP32 accumulate where the datasheet distinguishes
 * (GeForce cards run FP32-accumulate tensor math at half rate). Bandwidth in GB/s (10^9 B/s).
 * Sources, by key:
 *   T4     NVIDIA T4 datasheet (nvidia.com/content/dam/en-zz/Solutions/Data-Center/tesla-t4/t4-tensor-core-datasheet-951643.pdf)
 *   V100   NVIDIA V100 datasheet (images.nvidia.com/content/technologies/volta/pdf/volta-v100-datasheet-update-us-1165301-r5.pdf)
 *   V100S  NVIDIA V100S datasheet (2019-11)
 *   A10    NVIDIA A10 datasheet (nvidia.com/content/dam/en-zz/Solutions/Data-Center/a10/pdf/A10-datasheet.pdf)
 *   A10G   no NVIDIA datasheet (AWS G5 part); Baseten, "NVIDIA A10 vs A10G for ML model inference" (spec table)
 *   L4     NVIDIA L4 datasheet (2023-03)
 *   L40S   NVIDIA L40S datasheet (2023-08)
 *   A100   NVIDIA A100 datasheet (nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf); Ampere architecture whitepaper
 *   H100   NVIDIA H100 datasheet (2023; SXM5, PCIe, NVL columns)
 *   H200   NVIDIA H200 datasheet (2024-11; SXM and NVL columns)
 *   GA102  NVIDIA Ampere GA102 GPU architecture whitepaper v2 (RTX 3090 table)
 *   AD102  NVIDIA Ada GPU architecture whitepaper v2.1 (RTX 4090 table)
 *   A6000  NVIDIA RTX A6000 datasheet (2021)
 *   6000A  NVIDIA RTX 6000 Ada Generation datasheet (2023)
 * SM counts from the same documents or the architecture whitepapers.
 */
import type { Architecture, FlyGpuKindId, GpuProfile } from './types.js';

type Peaks = [fp32: number, tf32: number | null, fp16: number, bf16: number | null, fp8: number | null];

function gpu(
  id: string,
  displayName: string,
  names: string[],
  arch: Architecture,
  cc: string,
  sms: number,
  memory: [gb: number, type: string, bandwidthGBs: number],
  [fp32, tf32, fp16, bf16, fp8]: Peaks,
  flyGpuKind: FlyGpuKindId | null,
  source: string,
): GpuProfile {
  const [memoryGB, memoryType, peakMemoryBandwidthGBs] = memory;
  return {
    id,
    displayName,
    names,
    architecture: arch,
    computeCapability: cc,
    sms,
    memoryGB,
    memoryType,
    peakMemoryBandwidthGBs,
    peakTflops: { fp32, tf32, fp16, bf16, fp8 },
    tensorCores: true,
    bestPrecision: bf16 === null ? 'fp16' : 'bf16',
    flyGpuKind,
    source,
    derived: false,
  };
}

export const CATALOGUE: readonly GpuProfile[] = [
  gpu('t4', 'NVIDIA T4', ['Tesla T4'], 'Turing', '7.5', 40, [16, 'GDDR6', 320], [8.1, null, 65, null, null], null, 'T4'),
  gpu('v100-pcie-16gb', 'NVIDIA V100 PCIe 16GB', ['Tesla V100-PCIE-16GB'], 'Volta', '7.0', 80, [16, 'HBM2', 900], [14, null, 112, null, null], null, 'V100'),
  gpu('v100-pcie-32gb', 'NVIDIA V100 PCIe 32GB', ['Tesla V100-PCIE-32GB'], 'Volta', '7.0', 80, [32, 'HBM2', 900], [14, null, 112, null, null], null, 'V100'),
  gpu('v100s-pcie-32gb', 'NVIDIA V100S PCIe 32GB', ['Tesla V100S-PCIE-32GB'], 'Volta', '7.0', 80, [32, 'HBM2', 1134], [16.4, null, 130, null, null], null, 'V100S'),
  gpu('v100-sxm2-16gb', 'NVIDIA V100 SXM2 16GB', ['Tesla V100-SXM2-16GB'], 'Volta', '7.0', 80, [16, 'HBM2', 900], [15.7, null, 125, null, null], null, 'V100'),
  gpu('v100-sxm2-32gb', 'NVIDIA V100 SXM2 32GB', ['Tesla V100-SXM2-32GB'], 'Volta', '7.0', 80, [32, 'HBM2', 900], [15.7, null, 125, null, null], null, 'V100'),
  gpu('a10', 'NVIDIA A10', ['NVIDIA A10'], 'Ampere', '8.6', 72, [24, 'GDDR6', 600], [31.2, 62.5, 125, 125, null], 'a10', 'A10'),
  gpu('a10g', 'NVIDIA A10G', ['NVIDIA A10G'], 'Ampere', '8.6', 80, [24, 'GDDR6', 600], [35, 35, 70, 70, null], null, 'A10G'),
  gpu('l4', 'NVIDIA L4', ['NVIDIA L4'], 'Ada Lovelace', '8.9', 58, [24, 'GDDR6', 300], [30.3, 60, 121, 121, 242.5], null, 'L4'),
  gpu('l40s', 'NVIDIA L40S', ['NVIDIA L40S'], 'Ada Lovelace', '8.9', 142, [48, 'GDDR6', 864], [91.6, 183, 362.05, 362.05, 733], 'l40s', 'L40S'),
  gpu('a100-pcie-40gb', 'NVIDIA A100 PCIe 40GB', ['NVIDIA A100-PCIE-40GB'], 'Ampere', '8.0', 108, [40, 'HBM2', 1555], [19.5, 156, 312, 312, null], 'a100-pcie-40gb', 'A100'),
  gpu('a100-pcie-80gb', 'NVIDIA A100 PCIe 80GB', ['NVIDIA A100 80GB PCIe', 'NVIDIA A100-PCIE-80GB'], 'Ampere', '8.0', 108, [80, 'HBM2e', 1935], [19.5, 156, 312, 312, null], null, 'A100'),
  gpu('a100-sxm4-40gb', 'NVIDIA A100 SXM4 40GB', ['NVIDIA A100-SXM4-40GB'], 'Ampere', '8.0', 108, [40, 'HBM2', 1555], [19.5, 156, 312, 312, null], null, 'A100'),
  gpu('a100-sxm4-80gb', 'NVIDIA A100 SXM4 80GB', ['NVIDIA A100-SXM4-80GB'], 'Ampere', '8.0', 108, [80, 'HBM2e', 2039], [19.5, 156, 312, 312, null], 'a100-sxm4-80gb', 'A100'),
  gpu('h100-pcie', 'NVIDIA H100 PCIe', ['NVIDIA H100 PCIe'], 'Hopper', '9.0', 114, [80, 'HBM2e', 2000], [51, 378, 756, 756, 1513], null, 'H100'),
  gpu('h100-sxm', 'NVIDIA H100 SXM5 80GB', ['NVIDIA H100 80GB HBM3', 'NVIDIA H100 SXM5 80GB'], 'Hopper', '9.0', 132, [80, 'HBM3', 3350], [67, 494.5, 989.5, 989.5, 1979], null, 'H100'),
  gpu('h100-nvl', 'NVIDIA H100 NVL', ['NVIDIA H100 NVL'], 'Hopper', '9.0', 132, [94, 'HBM3', 3900], [60, 417.5, 835.5, 835.5, 1670.5], null, 'H100'),
  gpu('h200', 'NVIDIA H200 SXM', ['NVIDIA H200'], 'Hopper', '9.0', 132, [141, 'HBM3e', 4800], [67, 494.5, 989.5, 989.5, 1979], null, 'H200'),
  gpu('h200-nvl', 'NVIDIA H200 NVL', ['NVIDIA H200 NVL'], 'Hopper', '9.0', 132, [141, 'HBM3e', 4800], [60, 417.5, 835.5, 835.5, 1670.5], null, 'H200'),
  gpu('rtx-3090', 'NVIDIA GeForce RTX 3090', ['NVIDIA GeForce RTX 3090'], 'Ampere', '8.6', 82, [24, 'GDDR6X', 936], [35.6, 35.6, 71, 71, null], null, 'GA102'),
  gpu('rtx-4090', 'NVIDIA GeForce RTX 4090', ['NVIDIA GeForce RTX 4090'], 'Ada Lovelace', '8.9', 128, [24, 'GDDR6X', 1008], [82.6, 82.6, 165.2, 165.2, 330.3], null, 'AD102'),
  gpu('rtx-a6000', 'NVIDIA RTX A6000', ['NVIDIA RTX A6000'], 'Ampere', '8.6', 84, [48, 'GDDR6', 768], [38.7, 77.4, 154.8, 154.8, null], null, 'A6000'),
  gpu('rtx-6000-ada', 'NVIDIA RTX 6000 Ada Generation', ['NVIDIA RTX 6000 Ada Generation'], 'Ada Lovelace', '8.9', 142, [48, 'GDDR6', 960], [91.1, 182.1, 364.2, 364.2, 728.5], null, '6000A'),
];

export function profileById(id: string): GpuProfile | undefined {
  return CATALOGUE.find((profile) => profile.id === id);
}
