/**
 * Fly Machine CPU size presets (what works today). Source: superfly/fly-go machine_types.go
 * `MachinePresets`: shared-cpu-Nx have 256 MB per CPU, performance-Nx 2048 MB per CPU; memory may
 * be raised to 2048 MB per shared CPU and 8192 MB per performance CPU (shared/docs/flyio-facts.md §1.3).
 */
export type CpuKind = 'shared' | 'performance';

export interface VmSize {
  name: string;
  cpuKind: CpuKind;
  cpus: number;
  memoryMb: number;
  maxMemoryMb: number;
}

function preset(cpuKind: CpuKind, cpus: number): VmSize {
  const perCpu = cpuKind === 'shared' ? 256 : 2048;
  const maxPerCpu = cpuKind === 'shared' ? 2048 : 8192;
  const name = cpuKind === 'shared' ? `shared-cpu-${cpus}x` : `performance-${cpus}x`;
  return { name, cpuKind, cpus, memoryMb: cpus * perCpu, maxMemoryMb: cpus * maxPerCpu };
}

export const VM_SIZES: readonly VmSize[] = [
  ...[1, 2, 4, 6, 8].map((n) => preset('shared', n)),
  ...[1, 2, 4, 6, 8, 10, 12, 14, 16].map((n) => preset('performance', n)),
];

export function vmSize(name: string): VmSize | undefined {
  return VM_SIZES.find((size) => size.name === name);
}

/** The GPU presets fly-go still resolves locally (the API rejects them since 2026-08-01). */
export const GPU_SIZE_PRESETS = ['a10', 'l40s', 'a100-40gb', 'a100-80gb'] as const;
