/** `gpuctl detect` for people: a compact table per GPU, then what it means for precision and Fly. */
import { CPU_FALLBACK_SIZE, FLY_GPU_KIND_IDS, FLY_GPU_RETIRED_ON } from '../flyio/gpu-kinds.js';
import type { Style } from '../ui/style.js';
import { renderPairs } from '../ui/table.js';
import type { DetectedGpu, DetectResult } from './detect.js';
import { familyFor } from '../gpu/compute-capability.js';
import { PRECISIONS, type GpuProfile } from '../gpu/types.js';

const GiB = 1024 ** 3;
const na = (value: string | number | null | undefined, unit = ''): string =>
  value === null || value === undefined ? 'n/a' : `${value}${unit}`;

function peaks(profile: GpuProfile): string {
  const parts = PRECISIONS.flatMap((p) => (profile.peakTflops[p] === null ? [] : [`${p} ${profile.peakTflops[p]}`]));
  return parts.length ? `${parts.join(' · ')} TFLOP/s (dense)` : 'unknown (run `gpuctl bench` to measure)';
}

/** The architecture and its Blackwell family with the compute capability; a capability gpuctl does not know says so. */
function architecture(profile: GpuProfile, reported: string | null): string {
  const cc = reported ?? profile.computeCapability;
  if (profile.architecture === 'unknown' && cc !== 'unknown') return `unknown to gpuctl, compute capability ${cc}`;
  const family = familyFor(cc);
  return `${profile.architecture}${family ? ` (${family})` : ''}, compute capability ${cc}`;
}

function gpuBlock(gpu: DetectedGpu, style: Style): string {
  const profile = gpu.profile ?? gpu.derivedProfile;
  const title = `${style.bold(`GPU ${gpu.index}`)}  ${gpu.name}${gpu.profile ? '' : style.yellow('  (not in the catalogue: derived profile)')}`;
  const rows: Array<[string, string]> = [
    ['Architecture', profile ? architecture(profile, gpu.computeCapability) : na(gpu.computeCapability)],
    ['Memory', `${na(gpu.memoryMiB, ' MiB')} (${na(gpu.memoryUsedMiB, ' MiB')} used)`],
    ['Bandwidth', profile?.peakMemoryBandwidthGBs ? `${profile.peakMemoryBandwidthGBs} GB/s peak` : 'unknown'],
    ['Peak', profile ? peaks(profile) : 'unknown'],
    ['MIG / ECC', `${na(gpu.migMode)} / ${na(gpu.eccMode)}`],
    ['Power limit', na(gpu.powerLimitW, ' W')],
    ['Max clocks', `SM ${na(gpu.maxSmClockMHz, ' MHz')}, memory ${na(gpu.maxMemClockMHz, ' MHz')}`],
    ['PCI bus', na(gpu.pciBusId)],
  ];
  return `${title}\n${renderPairs(rows)}`;
}

/**
 * Why this precision. A derived profile without a compute capability knows nothing of the tensor cores: say so, not
 * "no tensor cores"; one whose capability gpuctl does not know has them assumed from the number: say that too.
 */
function precisionReason(profile: GpuProfile): string {
  if (profile.derived && profile.computeCapability === 'unknown')
    return 'compute capability unknown: the safe choice; `gpuctl bench` measures the others';
  if (profile.derived && profile.architecture === 'unknown' && profile.tensorCores)
    return `assumed from compute capability ${profile.computeCapability}, which gpuctl does not know; \`gpuctl bench\` measures`;
  if (profile.bestPrecision === 'bf16') return 'BF16 tensor cores (Ampere and later)';
  return profile.bestPrecision === 'fp16' ? 'FP16 tensor cores; no BF16 before Ampere' : 'no tensor cores';
}

export function recommendations(gpu: DetectedGpu): string[] {
  const profile = gpu.profile ?? gpu.derivedProfile;
  const lines: string[] = [];
  if (profile) {
    const why = precisionReason(profile);
    const fp8 = profile.peakTflops.fp8 !== null ? '; FP8 for inference where the model supports it' : '';
    lines.push(`Precision: ${profile.bestPrecision} (${why}${fp8})`);
  }
  if (gpu.migMode === 'Enabled') lines.push('MIG is enabled: CUDA sees MIG instances, not the whole GPU.');
  if (gpu.fly) {
    lines.push(
      `Fly GPU kind: ${gpu.fly.kind} (size ${gpu.fly.sizePreset}, regions ${gpu.fly.regions.join(', ')}): retired by Fly.io on ${FLY_GPU_RETIRED_ON}. ` +
        `Deploy the CPU layout instead: gpuctl init --vm-size ${CPU_FALLBACK_SIZE}`,
    );
  } else {
    lines.push(`Fly GPU kind: none (Fly.io offered ${FLY_GPU_KIND_IDS.join(', ')} until ${FLY_GPU_RETIRED_ON}; GPU Machines are retired).`);
  }
  return lines;
}

export function renderDetect(result: DetectResult, style: Style): string {
  if (result.gpus.length === 0) {
    const host = result.host;
    const lines = [`${style.bold('No NVIDIA GPU found')} (nvidia-smi is not on PATH).`];
    if (host) {
      lines.push(
        renderPairs([
          ['CPU', host.cpu],
          ['Cores', `${host.physicalCores} physical, ${host.logicalCores} logical`],
          ['Memory', `${(host.memoryBytes / GiB).toFixed(1)} GiB`],
          ['Other GPUs', host.otherGpus.length ? host.otherGpus.map((g) => `${g.vendor} ${g.model}`.trim()).join('; ') : 'none'],
        ]).trimEnd(),
      );
    }
    lines.push(
      `gpuctl bench --cpu runs the CPU implementations; for Fly, deploy a CPU layout (gpuctl init --vm-size ${CPU_FALLBACK_SIZE}).`,
    );
    return `${lines.join('\n')}\n`;
  }
  const cuda = result.cudaVersion
    ? `${result.cudaVersionSource === 'driver-branch-at-least' ? '>= ' : ''}${result.cudaVersion}`
    : 'unknown';
  const header = `Driver ${na(result.driverVersion)} · CUDA ${cuda} · ${result.gpus.length} GPU${result.gpus.length === 1 ? '' : 's'}\n\n`;
  const blocks = result.gpus.map(
    (gpu) =>
      `${gpuBlock(gpu, style)}${recommendations(gpu)
        .map((l) => `  ${style.cyan('→')} ${l}`)
        .join('\n')}\n`,
  );
  return header + blocks.join('\n');
}
