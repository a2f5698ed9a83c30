/**
 * What to build for and measure against: the local GPU (from `detect`, with its catalogue
 * profile), or, without one, the architecture asked for (--arch) or the default for GPU-less work.
 */
import type { Ctx } from '../context.js';
import { isGpuctlError, UsageError } from '../errors.js';
import { detect, type DetectedGpu, type DetectResult } from '../detect/detect.js';
import { smFor } from '../gpu/nvcc.js';
import { querySmi } from '../gpu/smi-probe.js';
import { assertBuildable } from './arch.js';

export interface GpuTarget {
  arch: string;
  gpu: DetectedGpu;
  /** Every GPU nvidia-smi lists (for --gpus). */
  all: DetectedGpu[];
  driver: Pick<DetectResult, 'driverVersion' | 'cudaVersion'>;
}

const NO_GPU_HINT = 'Install the NVIDIA driver (it provides nvidia-smi) on a machine with a GPU; without one, `gpuctl bench --cpu` runs the CPU implementations.';

/** A GPU run needs a GPU: exit 3 without one, with the --cpu remedy. */
/** The GPU to build for and run on; no nvidia-smi is exit 3 with `noGpuHint`, a driver problem with its own hint (detect's). */
export async function gpuTarget(ctx: Ctx, noGpuHint: string = NO_GPU_HINT): Promise<GpuTarget> {
  const result: DetectResult = await detect(ctx, { requireGpu: true, noGpuHint });
  const gpu = result.gpus[0]!;
  const cc = gpu.computeCapability ?? gpu.profile?.computeCapability ?? null;
  if (cc === null) throw new UsageError(`nvidia-smi reports no compute capability for ${gpu.name}.`, { hint: 'Use `gpuctl bench --build-only --arch sm_XX` and GPUCTL_BENCH_BIN to run that build.' });
  const arch = smFor(cc);
  assertBuildable(arch, gpu.name);
  return { arch, gpu, all: result.gpus, driver: { driverVersion: result.driverVersion, cudaVersion: result.cudaVersion } };
}

/** --gpus against the GPUs found: "all" → every index; an index nvidia-smi does not list is a usage error. */
export function resolveGpus(asked: 'all' | readonly number[], found: readonly DetectedGpu[]): number[] {
  const have = found.map((g) => g.index);
  if (asked === 'all') return have;
  const missing = asked.filter((g) => !have.includes(g));
  // "this host has 0" read as a count: the indices are named as GPUs.
  const present = have.length === 0 ? 'no GPU' : `${have.length === 1 ? 'GPU' : 'GPUs'} ${have.join(', ')}`;
  if (missing.length) throw new UsageError(`--gpus ${missing.join(',')}: no such GPU (this host has ${present}).`);
  return [...asked];
}

/** For --build-only: --arch, else the local GPU's, else a usage error naming --arch. */
export async function buildArch(ctx: Ctx, asked: string | null): Promise<string> {
  if (asked) return asked;
  let smi: Awaited<ReturnType<typeof querySmi>> | null = null;
  try {
    smi = await querySmi(ctx);
  } catch (error) {
    if (!isGpuctlError(error)) throw error;
    ctx.log.debug(`nvidia-smi: ${error.message}`);
  }
  const gpu = smi?.kind === 'ok' ? smi.gpus[0] : undefined;
  if (!gpu?.computeCapability) {
    throw new UsageError('No GPU found to take the architecture from: pass --arch.', { hint: 'For example --arch sm_90 (H100/H200), sm_89 (L4, L40S), sm_86 (A10), sm_80 (A100).' });
  }
  const arch = smFor(gpu.computeCapability);
  assertBuildable(arch, gpu.name);
  return arch;
}
