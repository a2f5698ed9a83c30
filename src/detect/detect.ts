/** `gpuctl detect`, decided: the nvidia-smi records, each with its profile, as the documented JSON contract. */
import type { Ctx } from '../context.js';
import { MissingError } from '../errors.js';
import { FLY_GPU_KINDS, type FlyGpuKind } from '../flyio/gpu-kinds.js';
import { cudaVersionForDriver } from '../gpu/cuda-driver.js';
import { probeHost, type HostInfo } from '../gpu/host.js';
import { deriveProfile, matchProfile } from '../gpu/match.js';
import type { SmiGpu } from '../gpu/nvidia-smi.js';
import { querySmi } from '../gpu/smi-probe.js';
import { probeTopology } from '../gpu/topo-probe.js';
import type { Topology } from '../gpu/topology.js';
import type { GpuProfile } from '../gpu/types.js';

export const DETECT_SCHEMA_VERSION = 1;

export interface DetectedGpu extends SmiGpu {
  /** The catalogue profile; null when the GPU is not in the catalogue (see derivedProfile). */
  profile: GpuProfile | null;
  /** For GPUs the catalogue does not know: what follows from the device's own report. */
  derivedProfile: GpuProfile | null;
  /** The Fly.io GPU kind this GPU was offered as, with its (retired) status. */
  fly: FlyGpuKind | null;
}

export interface DetectResult {
  schemaVersion: typeof DETECT_SCHEMA_VERSION;
  source: 'nvidia-smi' | 'systeminformation';
  driverVersion: string | null;
  cudaVersion: string | null;
  /** How cudaVersion was found: the driver branch table (nvidia-smi has no query field for it). */
  cudaVersionSource: 'driver-branch' | 'driver-branch-at-least' | null;
  gpus: DetectedGpu[];
  /** Hosts with 2+ GPUs: links between GPU pairs, CPU/NUMA affinity, NVLinks (docs/topology.md); else null. */
  topology: Topology | null;
  /** Why topology is null or incomplete on a multi-GPU host; null otherwise. */
  topologyNote: string | null;
  /** Filled only when no NVIDIA GPU could be read. */
  host: HostInfo | null;
}

export function describeGpus(gpus: readonly SmiGpu[]): Omit<DetectResult, 'host' | 'topology' | 'topologyNote'> {
  const driverVersion = gpus.find((gpu) => gpu.driverVersion)?.driverVersion ?? null;
  const cuda = cudaVersionForDriver(driverVersion);
  return {
    schemaVersion: DETECT_SCHEMA_VERSION,
    source: 'nvidia-smi',
    driverVersion,
    cudaVersion: cuda.cudaVersion,
    cudaVersionSource: cuda.cudaVersion === null ? null : cuda.atLeast ? 'driver-branch-at-least' : 'driver-branch',
    gpus: gpus.map((gpu) => {
      const profile = matchProfile(gpu.name) ?? null;
      return {
        ...gpu,
        profile,
        derivedProfile: profile ? null : deriveProfile(gpu.name, gpu.computeCapability, gpu.memoryMiB),
        fly: profile?.flyGpuKind ? FLY_GPU_KINDS[profile.flyGpuKind] : null,
      };
    }),
  };
}

/** `noGpuHint`: the hint when there is no nvidia-smi at all (the caller's next step); a driver problem keeps its own. */
export async function detect(ctx: Ctx, options: { requireGpu: boolean; noGpuHint?: string }): Promise<DetectResult> {
  const smi = await querySmi(ctx);
  if (smi.kind === 'ok' && smi.gpus.length > 0) {
    const described = describeGpus(smi.gpus);
    const architectureOf = (index: number) => {
      const gpu = described.gpus.find((g) => g.index === index);
      return (gpu?.profile ?? gpu?.derivedProfile)?.architecture ?? null;
    };
    const topo = smi.gpus.length > 1 ? await probeTopology(ctx, architectureOf) : { topology: null, topologyNote: null };
    return { ...described, ...topo, host: null };
  }
  if (options.requireGpu) {
    throw new MissingError('No NVIDIA GPU found: nvidia-smi is not on PATH.', 'gpu', {
      code: 'device_missing',
      hint: options.noGpuHint ?? 'Install the NVIDIA driver (it provides nvidia-smi), or run without --require-gpu to describe this host.',
    });
  }
  const host = await probeHost(ctx);
  return {
    schemaVersion: DETECT_SCHEMA_VERSION,
    source: 'systeminformation',
    driverVersion: null,
    cudaVersion: null,
    cudaVersionSource: null,
    gpus: [],
    topology: null,
    topologyNote: null,
    host,
  };
}
