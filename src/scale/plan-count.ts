/**
 * `scale count`'s plan, computed the way flyctl computes it (superfly/flyctl
 * internal/command/scale/count_machines.go `convergeGroupCounts`), so the plan shown is the plan
 * run. Its surprise, surfaced here: with --region, machines of the group in other regions are
 * neither counted nor destroyed, so the group ends up larger than N.
 */
import { UsageError } from '../errors.js';
import { appMachines, convergeCounts } from '../flyio/scale-count.js';
import type { FlyMachine } from '../flyio/schemas.js';

export { appMachines, convergeCounts };

export interface CountRequest {
  count: number;
  regions: readonly string[];
  group: string | undefined;
  maxPerRegion: number | undefined;
  /** fly.toml's primary_region: where flyctl puts machines when the app has none and no --region is given. */
  primaryRegion?: string;
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

export function defaultGroup(machines: readonly FlyMachine[], group: string | undefined): string {
  if (group) return group;
  const groups = [...new Set(machines.map((m) => m.processGroup))];
  return groups.length === 1 ? groups[0]! : 'app';
}

export function planCount(all: readonly FlyMachine[], request: CountRequest, primaryRegion = request.primaryRegion): CountPlan {
  const machines = appMachines(all);
  const group = defaultGroup(machines, request.group);
  const members = machines.filter((m) => m.processGroup === group);
  const before: Record<string, number> = {};
  for (const m of members) before[m.region] = (before[m.region] ?? 0) + 1;
  let regions = request.regions.length ? [...request.regions] : [...new Set(machines.map((m) => m.region))];
  if (regions.length === 0 && primaryRegion) regions = [primaryRegion];
  if (regions.length === 0)
    throw new UsageError('The app has no machines, no region was given, and no fly.toml here names a primary_region.', {
      hint: 'Pass --region.',
    });
  const diffs = convergeCounts(request.count, before, regions, request.maxPerRegion ?? -1);
  const deltas = regions.filter((r) => (diffs.get(r) ?? 0) !== 0).map((region) => ({ region, delta: diffs.get(region)! }));
  const after: Record<string, number> = { ...before };
  for (const { region, delta } of deltas) after[region] = (after[region] ?? 0) + delta;
  for (const r of Object.keys(after)) if (after[r] === 0) delete after[r];
  const untouched = Object.fromEntries(Object.entries(before).filter(([r]) => !regions.includes(r)));
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  return { group, regions, before, deltas, after, untouched, totalBefore: total(before), totalAfter: total(after) };
}
