/**
 * The four Fly.io GPU kinds, kept for understanding GPU layouts and migrating from them.
 * Fly.io retired GPU Machines on 2026-08-01: flyctl >= v0.4.82 rejects GPU flags and the Machines
 * API rejects GPU guests with a 400. Sources (shared/docs/flyio-facts.md):
 *   kinds and size presets  superfly/fly-go machine_types.go `MachinePresets`; docs config reference before 2faa552
 *   regions                 superfly/docs gpus/index.html.md @ 84fd3d0^ (last version, 2025-05-15 → 2026-08-05)
 *   prices                  superfly/docs about/pricing.html.markerb (c1f68d6, a8b8d54, 3e06475, b650e74)
 *   retirement              superfly/docs PR #2345 / #2449; superfly/flyctl PR #5063 (a23ecc3, v0.4.82)
 */
import type { FlyGpuKindId } from '../gpu/types.js';

export const FLY_GPU_RETIRED_ON = '2026-08-01';
export const FLYCTL_GPU_REMOVED_IN = '0.4.82';
/**
 * The NVIDIA driver Fly GPU Machines ran (open kernel module, observed in `ord` 2024-04;
 * fly-apps/bumblebee-model-harness issue #3): CUDA userland up to 12.3. The platform supplied it.
 */
export const FLY_GPU_DRIVER_VERSION = '545.23.08';

export type { FlyGpuKindId };

export interface FlyGpuKind {
  kind: FlyGpuKindId;
  /** The `--vm-size` / `[[vm]] size` preset that selected it (never valid as `gpu_kind`). */
  sizePreset: 'a10' | 'l40s' | 'a100-40gb' | 'a100-80gb';
  regions: readonly string[];
  /** USD per GPU per hour on top of the Machine's CPU and RAM: list price (2024-08-15 on) and the EOL rate (2026-02-11 → 2026-08-01). */
  pricePerHourUsd: number;
  eolPricePerHourUsd: number;
  /** Every GPU preset was performance, 8 CPUs, 32768 MB, 1 GPU. */
  guest: { cpuKind: 'performance'; cpus: 8; memoryMb: 32768; gpus: 1 };
  status: 'retired';
  retiredOn: typeof FLY_GPU_RETIRED_ON;
}

const guest = { cpuKind: 'performance', cpus: 8, memoryMb: 32768, gpus: 1 } as const;
const retired = { status: 'retired', retiredOn: FLY_GPU_RETIRED_ON } as const;

export const FLY_GPU_KINDS: Readonly<Record<FlyGpuKindId, FlyGpuKind>> = {
  a10: { kind: 'a10', sizePreset: 'a10', regions: ['ord'], pricePerHourUsd: 1.5, eolPricePerHourUsd: 0.75, guest, ...retired },
  l40s: { kind: 'l40s', sizePreset: 'l40s', regions: ['ord'], pricePerHourUsd: 1.25, eolPricePerHourUsd: 0.7, guest, ...retired },
  'a100-pcie-40gb': {
    kind: 'a100-pcie-40gb',
    sizePreset: 'a100-40gb',
    regions: ['ord'],
    pricePerHourUsd: 2.5,
    eolPricePerHourUsd: 1.25,
    guest,
    ...retired,
  },
  'a100-sxm4-80gb': {
    kind: 'a100-sxm4-80gb',
    sizePreset: 'a100-80gb',
    regions: ['iad', 'sjc', 'syd', 'ams'],
    pricePerHourUsd: 3.5,
    eolPricePerHourUsd: 1.5,
    guest,
    ...retired,
  },
};

export const FLY_GPU_KIND_IDS = Object.keys(FLY_GPU_KINDS) as FlyGpuKindId[];

export function isFlyGpuKind(value: string): value is FlyGpuKindId {
  return Object.hasOwn(FLY_GPU_KINDS, value);
}

/** Maps a size preset (`a100-40gb`) to its kind (`a100-pcie-40gb`); undefined for anything else. */
export function gpuKindForPreset(preset: string): FlyGpuKindId | undefined {
  return FLY_GPU_KIND_IDS.find((id) => FLY_GPU_KINDS[id].sizePreset === preset);
}

/**
 * The CPU layout to deploy instead of a retired GPU preset: performance-8x has the presets' 8 performance
 * CPUs but only 16 GB of its own (2048 MB per CPU, vm-sizes.ts); the GPU presets had 32 GB, so the
 * replacement raises the memory to theirs. The one place these figures are put together.
 */
export const CPU_FALLBACK = {
  size: 'performance-8x',
  cpus: guest.cpus,
  memoryMb: guest.memoryMb,
  memory: `${guest.memoryMb / 1024}gb`,
} as const;
export const CPU_FALLBACK_SIZE = CPU_FALLBACK.size;

/** Without a kind (flyctl's rejection does not name one), the message names none rather than guess. */
export function retirementMessage(kind?: string): string {
  return (
    `Fly.io retired GPU Machines on ${FLY_GPU_RETIRED_ON}: the Machines API rejects GPU guests${kind ? ` (gpu_kind "${kind}")` : ''} ` +
    `and flyctl >= v${FLYCTL_GPU_REMOVED_IN} rejects --vm-gpu-kind.`
  );
}
