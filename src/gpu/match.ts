/** Maps the name nvidia-smi prints to a catalogue profile, or derives what it can for an unknown GPU. */
import { CATALOGUE } from './catalogue.js';
import { architectureFor } from './compute-capability.js';
import type { GpuProfile } from './types.js';

/** "NVIDIA A100-SXM4-80GB", "a100 sxm4 80gb" and "Tesla A100-SXM4-80GB" all normalise alike. */
export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/^(nvidia|tesla)\s+/, '')
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

const byName = new Map<string, GpuProfile>(
  CATALOGUE.flatMap((profile) => profile.names.map((name) => [normaliseName(name), profile] as const)),
);

export function matchProfile(name: string): GpuProfile | undefined {
  return byName.get(normaliseName(name));
}

/**
 * For a GPU the catalogue does not know: what follows from its compute capability and memory.
 * nvidia-smi reports neither SM count nor bus width, so peak figures stay null (`gpuctl bench`
 * measures them); the profile says it is derived.
 */
export function deriveProfile(name: string, computeCapability: string | null, memoryMiB: number | null): GpuProfile {
  const architecture = architectureFor(computeCapability);
  const cc = computeCapability ? Number(computeCapability) : 0;
  const tensorCores = cc >= 7;
  return {
    id: `derived:${normaliseName(name).replace(/ /g, '-')}`,
    displayName: name,
    names: [name],
    architecture,
    computeCapability: computeCapability ?? 'unknown',
    sms: null,
    memoryGB: memoryMiB === null ? null : Math.round((memoryMiB / 1024) * 10) / 10,
    memoryType: null,
    peakMemoryBandwidthGBs: null,
    peakTflops: { fp32: null, tf32: null, fp16: null, bf16: null, fp8: null },
    tensorCores,
    bestPrecision: cc >= 8 ? 'bf16' : tensorCores ? 'fp16' : 'fp32',
    flyGpuKind: null,
    source: `derived from compute capability ${computeCapability ?? 'unknown'} (not in the catalogue)`,
    derived: true,
  };
}
