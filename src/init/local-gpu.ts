/**
 * `init --for-local-gpu`: the GPU this machine has, as `gpuctl detect` finds it (the catalogue, or a
 * profile derived from the compute capability for a GPU the catalogue does not know), reduced to
 * what the GPU layout needs: the CUDA userland the local driver runs, the architecture to build
 * for, the best precision, the memory that decides the tuning, and which devices compose reserves.
 */
import { MissingError, UsageError } from '../errors.js';
import type { DetectResult } from '../detect/detect.js';
import type { GpuProfile } from '../gpu/types.js';
import { cudaImageFor } from './images.js';

export interface LocalGpu {
  /** The name nvidia-smi prints. */
  name: string;
  profile: GpuProfile;
  /** "9.0" → TORCH_CUDA_ARCH_LIST, "90" → CUDAARCHS. */
  computeCapability: string;
  /** Per GPU, in GB (from nvidia-smi's MiB; the catalogue's figure is the datasheet's). */
  memoryGB: number;
  /** nvidia-smi indices of the GPUs of this model (compose device_ids). */
  indices: number[];
  driverVersion: string;
  /** The newest CUDA the driver supports, and the image tag chosen for it. */
  maxCuda: string;
  cudaImage: string;
}

const MIB_PER_GB = 1024;

/**
 * The local GPU layout from a detect result. Several models in one machine: the first GPU's model,
 * and only the GPUs of that model are reserved (a mixed set would be tuned for none of them).
 */
export function localGpuFrom(result: DetectResult): LocalGpu {
  const first = result.gpus[0];
  if (!first) {
    throw new MissingError('--for-local-gpu needs an NVIDIA GPU, and none was found on this machine.', 'gpu', {
      code: 'device_missing',
      hint: 'Run `gpuctl detect` to see why; for Fly, render the CPU layout with --vm-size instead.',
    });
  }
  const profile = first.profile ?? first.derivedProfile;
  const same = result.gpus.filter((gpu) => gpu.name === first.name);
  const computeCapability =
    first.computeCapability ?? (profile && profile.computeCapability !== 'unknown' ? profile.computeCapability : null);
  if (!profile || !computeCapability) {
    throw new UsageError(
      `The compute capability of ${first.name} is unknown (its driver does not report it), so the image cannot be built for it.`,
      {
        hint: 'Update the NVIDIA driver (nvidia-smi --query-gpu=compute_cap needs 510 or newer), or render the layout for a Fly GPU kind with --gpu-kind.',
      },
    );
  }
  const driverVersion = result.driverVersion;
  const image = result.cudaVersion ? cudaImageFor(result.cudaVersion) : null;
  if (!driverVersion || !result.cudaVersion || !image) {
    throw new UsageError(`No CUDA image fits the local driver (${driverVersion ?? 'version unknown'}): it is older than CUDA 11.8.`, {
      hint: 'Update the NVIDIA driver to 520 or newer.',
    });
  }
  const memoryMiB = first.memoryMiB ?? (profile.memoryGB === null ? null : profile.memoryGB * MIB_PER_GB);
  if (memoryMiB === null)
    throw new UsageError(`The memory of ${first.name} is unknown, so it cannot be tuned.`, { hint: 'Check `gpuctl detect`.' });
  return {
    name: first.name,
    profile,
    computeCapability,
    memoryGB: Math.round((memoryMiB / MIB_PER_GB) * 10) / 10,
    indices: same.map((gpu) => gpu.index),
    driverVersion,
    maxCuda: result.cudaVersion,
    cudaImage: image.tag,
  };
}
