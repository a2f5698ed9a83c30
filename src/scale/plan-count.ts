/**
 * `scale count`'s plan, computed the way flyctl computes it (superfly/flyctl
 * internal/command/scale/count_machines.go `convergeGroupCounts`), so the plan shown is the plan
 * run. Its surprise, surfaced here: with --region, machines of the group in other regions are
 * neither counted nor destroyed, so the group ends up larger than N.
 */
import { UsageError } from '../errors.js';
import type { FlyMachine } from '../flyio/schemas.js';

export interface CountRequest {
  count: number;
  regions: readonly string[];
  group: string | undefined;
  maxPerRegion: number | undefined;
}

export interface CountPlan {
  group: string;
  /** Regions considered, in flyctl's order. */
  regions: string[];
  before: Record<string, number>;
  deltas: Array<{ region: string; delta: number }>;
  after: Record<string, number>;
  /** Regions with machines of the group that --region leaves out: they stay. */
  untouched: Record<string, number>;
  /** Machines of the group before and after, in all regions. */
  totalBefore: number;
  totalAfter: number;
}

/** Active app machines, as flyctl's ListFlyAppsMachines returns them (no release-command or console machines). */
export function appMachines(machines: readonly FlyMachine[]): FlyMachine[] {
  return machines.filter(
    (m) => !['destroyed', 'destroying'].includes(m.state) && !/^fly_app_(release_command|console)$/.test(m.processGroup) && (m.platformVersion ?? 'v2') === 'v2',
  );
}

export function defaultGroup(machines: readonly FlyMachine[], group: string | undefined): string {
  if (group) return group;
  const groups = [...new Set(machines.map((m) => m.processGroup))];
  return groups.length === 1 ? groups[0]! : 'app';
}

export function convergeCounts(expected: number, current: Readonly<Record<string, number>>, regions: readonly string[], maxPerRegion: number): Map<string, number> {
  const diffs = new Map<string, number>();
  const get = (r: string) => (current[r] ?? 0) + (diffs.get(r) ?? 0);
  if (maxPerRegion >= 0) {
    if (regions.length * maxPerRegion < expected) {
      throw new UsageError(`${regions.length} region${regions.length === 1 ? '' : 's'} × --max-per-region ${maxPerRegion} cannot hold ${expected} machines.`, {
        hint: 'Add regions with --region, or raise --max-per-region.',
      });
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

export function planCount(all: readonly FlyMachine[], request: CountRequest, primaryRegion?: string): CountPlan {
  const machines = appMachines(all);
  const group = defaultGroup(machines, request.group);
  const members = machines.filter((m) => m.processGroup === group);
  const before: Record<string, number> = {};
  for (const m of members) before[m.region] = (before[m.region] ?? 0) + 1;
  let regions = request.regions.length ? [...request.regions] : [...new Set(machines.map((m) => m.region))];
  if (regions.length === 0 && primaryRegion) regions = [primaryRegion];
  if (regions.length === 0) throw new UsageError('The app has no machines and no region was given.', { hint: 'Pass --region.' });
  const diffs = convergeCounts(request.count, before, regions, request.maxPerRegion ?? -1);
  const deltas = regions.filter((r) => (diffs.get(r) ?? 0) !== 0).map((region) => ({ region, delta: diffs.get(region)! }));
  const after: Record<string, number> = { ...before };
  for (const { region, delta } of deltas) after[region] = (after[region] ?? 0) + delta;
  for (const r of Object.keys(after)) if (after[r] === 0) delete after[r];
  const untouched = Object.fromEntries(Object.entries(before).filter(([r]) => !regions.includes(r)));
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  return { group, regions, before, deltas, after, untouched, totalBefore: total(before), totalAfter: total(after) };
}
