/**
 * What the files are for: a Fly GPU kind (retired on Fly, still rendered for migration and for
 * running the same image elsewhere) or a Fly CPU size. Everything here is read from the GPU
 * catalogue, gpu-kinds.ts and vm-sizes.ts; nothing is restated.
 */
import { FLY_GPU_DRIVER_VERSION, FLY_GPU_KINDS, type FlyGpuKindId } from '../flyio/gpu-kinds.js';
import { vmSize, type VmSize } from '../flyio/vm-sizes.js';
import { CATALOGUE } from '../gpu/catalogue.js';
import { cudaVersionForDriver } from '../gpu/cuda-driver.js';
import type { GpuProfile } from '../gpu/types.js';

export type Target = { kind: 'gpu'; gpuKind: FlyGpuKindId } | { kind: 'cpu'; vmSize: string };

export type Precision = GpuProfile['bestPrecision'];

/** The Fly region init proposes for a CPU layout: Chicago, where every GPU kind but the A100 80GB lived. */
export const DEFAULT_CPU_REGION = 'ord';

export interface GpuFacts {
  kind: FlyGpuKindId;
  profile: GpuProfile;
  /** "8.6" → TORCH_CUDA_ARCH_LIST, "86" → CUDAARCHS. */
  computeCapability: string;
  regions: readonly string[];
  memoryMb: number;
  cpus: number;
  cpuKind: 'performance';
  driverVersion: string;
  /** The newest CUDA userland that driver runs (e.g. 12.3 for 545). */
  maxCuda: string;
}

/** The catalogue profile Fly offered as this kind (the catalogue holds exactly one per kind). */
export function profileForKind(kind: FlyGpuKindId): GpuProfile {
  const profile = CATALOGUE.find((p) => p.flyGpuKind === kind);
  if (!profile) throw new Error(`The GPU catalogue has no profile for Fly GPU kind ${kind}.`);
  return profile;
}

export function gpuFacts(kind: FlyGpuKindId): GpuFacts {
  const fly = FLY_GPU_KINDS[kind];
  const profile = profileForKind(kind);
  const maxCuda = cudaVersionForDriver(FLY_GPU_DRIVER_VERSION).cudaVersion;
  if (!maxCuda) throw new Error(`No CUDA version known for driver ${FLY_GPU_DRIVER_VERSION}.`);
  return {
    kind,
    profile,
    computeCapability: profile.computeCapability,
    regions: fly.regions,
    memoryMb: fly.guest.memoryMb,
    cpus: fly.guest.cpus,
    cpuKind: fly.guest.cpuKind,
    driverVersion: FLY_GPU_DRIVER_VERSION,
    maxCuda,
  };
}

export function cpuFacts(name: string): VmSize {
  const size = vmSize(name);
  if (!size) throw new Error(`Unknown Fly VM size ${name}.`);
  return size;
}

/** Precision the application should compute in: the GPU's best (bf16 from Ampere on, fp16 on Volta/Turing), fp32 on a CPU. */
export function precisionFor(profile: GpuProfile | null): Precision {
  return profile ? profile.bestPrecision : 'fp32';
}

export function defaultRegion(target: Target): string {
  return target.kind === 'gpu' ? (FLY_GPU_KINDS[target.gpuKind].regions[0] ?? DEFAULT_CPU_REGION) : DEFAULT_CPU_REGION;
}

export function targetLabel(target: Target): string {
  return target.kind === 'gpu' ? `Fly GPU kind ${target.gpuKind} (retired)` : `${target.vmSize} (CPU)`;
}

/**
 * Memory for the machine: --memory where given (checkCompatible checked it), else the preset's raised to what the
 * workload needs; tooSmall when the size cannot hold that.
 */
export function memoryFor(
  target: Target,
  minMemoryMb: number,
  requestedMb: number | null = null,
): { memoryMb: number } | { tooSmall: VmSize } {
  if (target.kind === 'gpu') return { memoryMb: Math.max(gpuFacts(target.gpuKind).memoryMb, minMemoryMb) };
  const size = cpuFacts(target.vmSize);
  if (size.maxMemoryMb < minMemoryMb) return { tooSmall: size };
  return { memoryMb: requestedMb ?? Math.max(size.memoryMb, minMemoryMb) };
}

/** fly.toml memory string: "16gb" for whole GiB, "1536mb" otherwise (flyctl reads both). */
export function memoryString(memoryMb: number): string {
  return memoryMb % 1024 === 0 ? `${memoryMb / 1024}gb` : `${memoryMb}mb`;
}
