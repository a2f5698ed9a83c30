/**
 * Where a new count lands, region by region. The change is made with `flyctl scale count N
 * --region <regions>`, so the distribution is flyctl's own (convergeCounts, the pure copy of
 * flyctl's algorithm that `gpuctl scale count` shows): the plan printed is the plan run.
 * Machines of the group in regions outside the policy's list are left alone, as flyctl leaves them.
 */
import { convergeCounts } from '../flyio/scale-count.js';

export function scalingRegions(before: Readonly<Record<string, number>>, policyRegions: readonly string[]): string[] {
  if (policyRegions.length > 0) return [...policyRegions];
  return Object.keys(before).filter((r) => (before[r] ?? 0) > 0);
}

/** The count to pass to `scale count` for a group target: the target less the machines it leaves alone. */
export function countInRegions(before: Readonly<Record<string, number>>, regions: readonly string[], target: number): number {
  const outside = Object.entries(before)
    .filter(([r]) => !regions.includes(r))
    .reduce((sum, [, n]) => sum + n, 0);
  return Math.max(0, target - outside);
}

export function distribute(
  before: Readonly<Record<string, number>>,
  policyRegions: readonly string[],
  target: number,
): { after: Record<string, number>; regions: string[] } {
  const regions = scalingRegions(before, policyRegions);
  if (regions.length === 0) return { after: { ...before }, regions };
  const diffs = convergeCounts(countInRegions(before, regions, target), before, regions, -1);
  const after: Record<string, number> = { ...before };
  for (const [region, delta] of diffs) after[region] = (after[region] ?? 0) + delta;
  for (const r of Object.keys(after)) if (after[r] === 0) delete after[r];
  return { after, regions };
}
