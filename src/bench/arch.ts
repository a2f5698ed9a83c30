/**
 * GPU architectures and toolkits the benchmark program can be built with. gpuctl-bench supports
 * Turing (sm_75) and newer, built with CUDA 12.4+ or 13 (CUDA 13 itself dropped Volta and older).
 * The prebuilt fat binary's architectures live in one place, native/fat-arches.json, which the
 * Makefile (`make fat`), scripts/build-native-fat.mjs and this module read: SASS for each listed
 * architecture plus PTX, so it runs on every GPU of compute capability 7.5 or newer (same-major
 * SASS runs on later minors, PTX JITs forward).
 */
import fatArches from '../../native/fat-arches.json' with { type: 'json' };
import { MissingError, UsageError } from '../errors.js';

export const FAT_ARCHES: { readonly sass: readonly string[]; readonly ptx: string } = { sass: fatArches.sass, ptx: fatArches.ptx };
const OLDEST = 75;
/** The oldest CUDA toolkit native/ is written for (nothing newer is needed where a 12.4 path exists). */
export const MIN_NVCC = '12.4';

const OLD_GPU_HINT = 'gpuctl-bench needs Turing (sm_75) or newer; `gpuctl bench --cpu` runs the CPU implementations on any machine.';

/** "sm_90" → 90, "sm_90a" → 90. */
export function archNumber(arch: string): number {
  return Number.parseInt(arch.replace(/^(sm|compute)_/, ''), 10);
}

export function tooOldMessage(arch: string): string {
  return `gpuctl-bench does not support ${arch} (Volta or older): it needs Turing (sm_75) or newer.`;
}

/** "13.0" ≥ "12.4"; "12.3" and "11.8" are too old. */
export function nvccSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  const [minMajor = 0, minMinor = 0] = MIN_NVCC.split('.').map((part) => Number.parseInt(part, 10));
  return major > minMajor || (major === minMajor && minor >= minMinor);
}

/** Validates --arch: "sm_90", "90", "9.0" → "sm_90", "12.0" → "sm_120"; Volta and older are refused with the reason. */
export function parseArch(text: string): string {
  const trimmed = text.trim().toLowerCase();
  const arch = /^\d{1,2}\.\d$/.test(trimmed) ? `sm_${trimmed.replace('.', '')}` : /^\d{2,3}[af]?$/.test(trimmed) ? `sm_${trimmed}` : trimmed;
  if (!/^sm_\d{2,3}[af]?$/.test(arch)) throw new UsageError(`--arch expects a GPU architecture such as sm_90, got "${text}".`);
  if (archNumber(arch) < OLDEST) throw new UsageError(tooOldMessage(arch), { hint: OLD_GPU_HINT });
  return arch;
}

/** For a detected GPU: Volta and older are not supported. */
export function assertBuildable(arch: string, gpuName: string): void {
  if (archNumber(arch) < OLDEST) {
    throw new MissingError(`${gpuName} is ${arch}: ${tooOldMessage(arch)}`, 'gpu', { code: 'device_missing', hint: OLD_GPU_HINT });
  }
}

/** Whether the prebuilt fat binary runs on this architecture. */
export function prebuiltCovers(arch: string): boolean {
  return archNumber(arch) >= OLDEST;
}
