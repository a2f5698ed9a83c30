/**
 * What a compute capability says about the chip: its architecture and, for Blackwell, which of its CUDA families.
 * Sources: NVIDIA, "CUDA GPU Compute Capability" (developer.nvidia.com/cuda-gpus) and its legacy page: 10.0 B200 and
 * GB200, 10.3 B300 and GB300, 11.0 Jetson T5000/T4000 (Thor), 12.0 RTX PRO Blackwell and GeForce RTX 50, 12.1 GB10
 * (DGX Spark); CUDA 13 renumbered Thor from 10.1 (sm_101) to 11.0 (sm_110). The CUDA programming guide's
 * family-specific targets: compute_100f runs on 10.0 and 10.3, compute_110f on 11.x, compute_120f on 12.0 and 12.1;
 * code for one family does not run on another. Only the capabilities NVIDIA lists are judged: any other (Pascal and
 * older, a future minor or major) is 'unknown', never guessed from its major number.
 */
import type { Architecture } from './types.js';

interface Known {
  architecture: Architecture;
  /** The Blackwell family: the CUDA family-specific target and the parts in it. */
  family?: string;
}

const DATA_CENTER = 'sm_100f family: B200, GB200, B300, GB300';
const THOR = 'sm_110f family: Jetson Thor';
const RTX = 'sm_120f family: RTX PRO Blackwell, GeForce RTX 50, GB10 (DGX Spark)';

const KNOWN: Readonly<Record<string, Known>> = {
  '7.0': { architecture: 'Volta' },
  '7.2': { architecture: 'Volta' }, // Jetson AGX Xavier
  '7.5': { architecture: 'Turing' },
  '8.0': { architecture: 'Ampere' },
  '8.6': { architecture: 'Ampere' },
  '8.7': { architecture: 'Ampere' }, // Jetson Orin
  '8.9': { architecture: 'Ada Lovelace' },
  '9.0': { architecture: 'Hopper' },
  '10.0': { architecture: 'Blackwell', family: DATA_CENTER },
  '10.1': { architecture: 'Blackwell', family: 'sm_101f family: Jetson Thor as CUDA 12 numbers it (11.0 since CUDA 13)' },
  '10.3': { architecture: 'Blackwell', family: DATA_CENTER },
  '11.0': { architecture: 'Blackwell', family: THOR },
  '12.0': { architecture: 'Blackwell', family: RTX },
  '12.1': { architecture: 'Blackwell', family: RTX },
};

/** nvidia-smi prints MAJOR.MINOR ("12.0"; the CSV parser trims it); anything else is not known. */
function known(computeCapability: string | null): Known | undefined {
  return KNOWN[computeCapability ?? ''];
}

export function architectureFor(computeCapability: string | null): Architecture {
  return known(computeCapability)?.architecture ?? 'unknown';
}

/** The Blackwell family of a compute capability NVIDIA lists; null for older architectures and unknown ones. */
export function familyFor(computeCapability: string | null): string | null {
  return known(computeCapability)?.family ?? null;
}
