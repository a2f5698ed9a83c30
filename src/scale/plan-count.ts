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
  /**
   * The app's declared process groups, which may have no machines (a group scaled to zero): its deployed
   * configuration's (`flyctl config show`, what flyctl checks against), else this directory's fly.toml when it is this app's.
   */
  configGroups?: readonly string[];
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

/**
 * The group to scale, checked as flyctl checks it (scale/count.go) but before anything runs: a group neither the
 * machines nor the app's declared groups (configGroups) have is refused (flyctl: "process group 'x' not found", after
 * gpuctl showed a plan for it), and without --group an app whose groups do not include `app` must name one (flyctl:
 * "--process-group flag is required when no group named 'app' is defined"). An app with one group scales that group.
 * With nothing known (no machines, no declared groups), flyctl's default `app`.
 */
export function chooseGroup(machines: readonly FlyMachine[], request: Pick<CountRequest, 'group' | 'configGroups'>): string {
  const known = [...new Set([...machines.map((m) => m.processGroup), ...(request.configGroups ?? [])])].sort();
  const listed = { hint: `Groups: ${known.join(', ')}.` };
  if (request.group) {
    if (known.length && !known.includes(request.group)) throw new UsageError(`The app has no process group "${request.group}".`, listed);
    return request.group;
  }
  if (known.length === 1) return known[0]!;
  if (known.length > 1 && !known.includes('app'))
    throw new UsageError(`The app has ${known.length} process groups (${known.join(', ')}) and none is named "app".`, {
      hint: 'Pass --group <name>: flyctl needs it too.',
    });
  return 'app';
}

export function planCount(all: readonly FlyMachine[], request: CountRequest, primaryRegion = request.primaryRegion): CountPlan {
  const machines = appMachines(all);
  const group = chooseGroup(machines, request);
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
