/**
 * `flyctl scale count`'s own arithmetic (superfly/flyctl internal/command/scale/count_machines.go
 * `convergeGroupCounts`) and the machines it counts: pure, on the Fly floor because two features
 * use it (`gpuctl scale count` shows it; `gpuctl autoscale` plans with it), so a plan shown is the
 * plan flyctl runs.
 */
import { UsageError } from '../errors.js';
import type { FlyMachine } from './schemas.js';

/** Active app machines, as flyctl's ListFlyAppsMachines returns them (no release-command or console machines). */
export function appMachines(machines: readonly FlyMachine[]): FlyMachine[] {
  return machines.filter(
    (m) =>
      !['destroyed', 'destroying'].includes(m.state) &&
      !/^fly_app_(release_command|console)$/.test(m.processGroup) &&
      (m.platformVersion ?? 'v2') === 'v2',
  );
}

export function convergeCounts(
  expected: number,
  current: Readonly<Record<string, number>>,
  regions: readonly string[],
  maxPerRegion: number,
): Map<string, number> {
  const diffs = new Map<string, number>();
  const get = (r: string) => (current[r] ?? 0) + (diffs.get(r) ?? 0);
  if (maxPerRegion >= 0) {
    if (regions.length * maxPerRegion < expected) {
      throw new UsageError(
        `${regions.length} region${regions.length === 1 ? '' : 's'} × --max-per-region ${maxPerRegion} cannot hold ${expected} machines.`,
        {
          hint: 'Add regions with --region, or raise --max-per-region.',
        },
      );
    }
    for (const r of regions) if ((current[r] ?? 0) > maxPerRegion) diffs.set(r, maxPerRegion - (current[r] ?? 0));
  }
  let diff = expected - regions.reduce((sum, r) => sum + get(r), 0);
  for (let i = 0; diff > 0; i++) {
    const r = regions[i % regions.length]!;
    if (maxPerRegion < 0 || get(r) < maxPerRegion) {
      diffs.set(r, (diffs.get(r) ?? 0) + 1);
      diff--;
    }
  }
  // In reverse order (flyctl: "the region list tends to have the primary region first").
  for (let i = 1; diff < 0; i++) {
    const r = regions[i % regions.length]!;
    if (get(r) > 0) {
      diffs.set(r, (diffs.get(r) ?? 0) - 1);
      diff++;
    }
  }
  return diffs;
}
