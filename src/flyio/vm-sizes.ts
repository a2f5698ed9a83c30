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

/** Memory a size can be given (the Machines API's rule, as `fly scale vm --vm-memory` and `gpuctl scale vm` keep it): a multiple of 256 MB from the preset's to its maximum. */
export function memoryFits(size: VmSize, memoryMb: number): boolean {
  return Number.isInteger(memoryMb) && memoryMb % 256 === 0 && memoryMb >= size.memoryMb && memoryMb <= size.maxMemoryMb;
}

/** The hint for memory that does not fit `size`. */
export function memoryRange(size: VmSize): string {
  return `Use a multiple of 256 from ${size.memoryMb} to ${size.maxMemoryMb} MB.`;
}

/** The GPU presets fly-go still resolves locally (the API rejects them since 2026-08-01). */
export const GPU_SIZE_PRESETS = ['a10', 'l40s', 'a100-40gb', 'a100-80gb'] as const;

export const isGpuPreset = (size: string | undefined): boolean =>
  size !== undefined && (GPU_SIZE_PRESETS as readonly string[]).includes(size);

/**
 * Prices, USD, for a started Machine (stopped ones pay only for rootfs). Fly bills per second; the
 * preset prices are quoted per 30 days, so per hour = monthly / 720.
 *   - "The price of a running Fly Machine VM is the price of a named CPU/RAM preset, plus about $5 per
 *     30 days per GB of additional RAM" (superfly/docs about/pricing.html.markerb, read at 0060a90).
 *   - Preset prices: the per-preset table is rendered from a data file not in superfly/docs, so it was
 *     NOT verified here. Used instead: Fly's blog "New VMs: more RAM, extra CPU, and a dollar menu"
 *     (fly.io/blog/new-vms-more-ram-extra-cpu-and-a-dollar-menu): shared-cpu-1x 256 MB $1.94/mo;
 *     dedicated-cpu-1x 2 GB $31.00/mo, -2x $62, -4x $124, -8x $248 (performance-Nx are the renamed
 *     dedicated-cpu-Nx). Other sizes are extrapolated per CPU (unverified). These are the base (iad)
 *     prices: since 2024 Fly prices by region, and other regions cost somewhat more.
 */
export const PRICE_SOURCE = 'Fly.io list prices (base region, per 30 days / 720 h); other regions cost more';
const MONTHLY_PER_CPU_USD: Record<CpuKind, number> = { shared: 1.94, performance: 31 };
const EXTRA_RAM_MONTHLY_USD_PER_GB = 5;
const HOURS_PER_30_DAYS = 720;

export interface GuestShape {
  cpuKind: string | null;
  cpus: number | null;
  memoryMb: number | null;
}

/** USD per hour for one started Machine of this guest (GPUs not included; see gpu-kinds.ts). */
export function hourlyPriceUsd(guest: GuestShape): number | undefined {
  if (guest.cpuKind !== 'shared' && guest.cpuKind !== 'performance') return undefined;
  if (!guest.cpus || guest.cpus < 1) return undefined;
  const base = preset(guest.cpuKind, guest.cpus);
  const extraGb = Math.max(0, (guest.memoryMb ?? base.memoryMb) - base.memoryMb) / 1024;
  const monthly = MONTHLY_PER_CPU_USD[guest.cpuKind] * guest.cpus + extraGb * EXTRA_RAM_MONTHLY_USD_PER_GB;
  return monthly / HOURS_PER_30_DAYS;
}
