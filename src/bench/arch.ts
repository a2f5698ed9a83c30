/**
 * GPU architectures the benchmark program can be built for. CUDA 13 dropped Volta (sm_70, sm_72)
 * and everything older; its oldest target is sm_75 (Turing). The prebuilt fat binary carries
 * SASS for sm_75, sm_80, sm_86, sm_89 and sm_90 plus compute_90 PTX, so it runs on every GPU of
 * compute capability 7.5 or newer (same-major SASS runs on later minors, PTX JITs forward).
 */
import { MissingError, UsageError } from '../errors.js';

/** The architecture a GPU-less build (--cpu, --list) compiles for when none is detected. */
export const DEFAULT_ARCH = 'sm_90';
export const FAT_ARCHES = ['sm_75', 'sm_80', 'sm_86', 'sm_89', 'sm_90'] as const;
const OLDEST = 75;

const VOLTA_HINT = 'Use a CUDA 12.x toolkit and build native/ yourself (make -C native ARCH=sm_70 needs Makefile changes), or run `gpuctl bench --cpu`.';

/** "sm_90" → 90, "sm_90a" → 90. */
export function archNumber(arch: string): number {
  return Number.parseInt(arch.replace(/^(sm|compute)_/, ''), 10);
}

export function voltaMessage(arch: string): string {
  return `CUDA 13 cannot target ${arch} (Volta or older): its oldest architecture is sm_75 (Turing).`;
}

/** Validates --arch: "sm_90", "90", "9.0" → "sm_90"; Volta and older are refused with the reason. */
export function parseArch(text: string): string {
  const trimmed = text.trim().toLowerCase();
  const arch = /^\d\.\d$/.test(trimmed) ? `sm_${trimmed.replace('.', '')}` : /^\d{2,3}[af]?$/.test(trimmed) ? `sm_${trimmed}` : trimmed;
  if (!/^sm_\d{2,3}[af]?$/.test(arch)) throw new UsageError(`--arch expects a GPU architecture such as sm_90, got "${text}".`);
  if (archNumber(arch) < OLDEST) throw new UsageError(voltaMessage(arch), { hint: VOLTA_HINT });
  return arch;
}

/** For a detected GPU: Volta and older cannot run anything CUDA 13 builds. */
export function assertBuildable(arch: string, gpuName: string): void {
  if (archNumber(arch) < OLDEST) {
    throw new MissingError(`${gpuName} is ${arch}: ${voltaMessage(arch)}`, 'gpu', { code: 'device_missing', hint: VOLTA_HINT });
  }
}

/** Whether the prebuilt fat binary runs on this architecture. */
export function prebuiltCovers(arch: string): boolean {
  return archNumber(arch) >= OLDEST;
}
