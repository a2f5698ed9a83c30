/** Hourly cost of machines from the catalogue's list prices (vm-sizes.ts, gpu-kinds.ts). Pure. */
import { FLY_GPU_KINDS, isFlyGpuKind } from '../flyio/gpu-kinds.js';
import type { FlyMachine } from '../flyio/schemas.js';
import { hourlyPriceUsd } from '../flyio/vm-sizes.js';

/** USD per hour of one started machine, GPU included (at its last list price); null when unknown. */
export function machineHourlyUsd(guest: FlyMachine['guest']): number | null {
  const base = hourlyPriceUsd(guest);
  if (base === undefined) return null;
  if (!guest.gpuKind) return base;
  return isFlyGpuKind(guest.gpuKind) ? base + FLY_GPU_KINDS[guest.gpuKind].pricePerHourUsd * Math.max(1, guest.gpus) : null;
}

export function totalHourlyUsd(machines: readonly FlyMachine[]): number | null {
  let total = 0;
  for (const m of machines) {
    const price = machineHourlyUsd(m.guest);
    if (price === null) return null;
    total += price;
  }
  return total;
}

/** Every price gpuctl prints, rounded one way: cents from $1 up, four decimals below (Fly's per-hour CPU prices). */
export function usd(amount: number): string {
  return `$${amount.toFixed(Math.abs(amount) < 1 ? 4 : 2)}`;
}

export function formatUsd(hourly: number | null): string {
  if (hourly === null) return 'unknown';
  return `${usd(hourly)}/h (~${usd(hourly * 720)}/30 days)`;
}
