/** `gpuctl scale`'s views. Strings only. */
import { describeGuest } from '../flyio/app-name.js';
import { appMachines } from '../flyio/scale-count.js';
import type { FlyMachine, FlyScaleGroup } from '../flyio/schemas.js';
import { hourlyPriceUsd, PRICE_SOURCE } from '../flyio/vm-sizes.js';
import type { Style } from '../ui/style.js';
import { renderPairs, renderTable } from '../ui/table.js';
import { formatUsd, machineHourlyUsd, usd } from './cost.js';
import type { CountPlan } from './plan-count.js';
import type { VmPlan } from './plan-vm.js';

const regionList = (regions: Record<string, number>) =>
  Object.entries(regions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([r, n]) => `${r}(${n})`)
    .join(',') || '-';

/**
 * A group as `scale show` prints it. flyctl's `scale show` describes a group by its first machine's guest, without GPUs;
 * the size and cost here come from every machine of the group (`flyctl machine list`), so a group of mixed sizes, or
 * one on a GPU guest, is shown and priced as it is. A group the machine list does not have is priced by flyctl's line.
 */
export interface ShownGroup {
  group: string;
  count: number;
  size: string;
  regions: Record<string, number>;
  hourlyUsd: number | null;
}

export function showGroups(groups: readonly FlyScaleGroup[], machines: readonly FlyMachine[]): ShownGroup[] {
  return groups.map((g) => {
    const members = appMachines(machines).filter((m) => m.processGroup === g.group);
    if (members.length === 0) {
      const price = hourlyPriceUsd(g);
      return {
        group: g.group,
        count: g.count,
        size: describeGuest(g),
        regions: g.regions,
        hourlyUsd: price === undefined ? null : price * g.count,
      };
    }
    const sizes = [...new Set(members.map((m) => describeGuest(m.guest)))];
    const prices = members.map((m) => machineHourlyUsd(m.guest));
    const hourlyUsd = prices.some((p) => p === null) ? null : prices.reduce<number>((sum, p) => sum + p!, 0);
    return { group: g.group, count: g.count, size: sizes.join(', '), regions: g.regions, hourlyUsd };
  });
}

export function renderShow(app: string, groups: readonly ShownGroup[]): string {
  const rows = groups.map((g) => [g.group, String(g.count), g.size, regionList(g.regions), g.hourlyUsd === null ? '?' : usd(g.hourlyUsd)]);
  const total = groups.reduce<number | null>((sum, g) => (sum === null || g.hourlyUsd === null ? null : sum + g.hourlyUsd), 0);
  return `VM resources of ${app}\n${renderTable(['Group', 'Count', 'Size', 'Regions', 'USD/h'], rows)}\nTotal ${formatUsd(total)}, if all started (${PRICE_SOURCE})\n`;
}

export function renderCountPlan(
  app: string,
  plan: CountPlan,
  size: string,
  cost: { before: number | null; after: number | null },
  style: Style,
): string {
  const lines = plan.deltas.map(({ region, delta }) => {
    const text = `${delta > 0 ? '+' : ''}${delta} machine${Math.abs(delta) === 1 ? '' : 's'} in ${region} (${size})`;
    return `  ${delta > 0 ? style.green(text) : style.red(text)}\n`;
  });
  const regions = [...new Set([...Object.keys(plan.before), ...Object.keys(plan.after)])]
    .sort()
    .map((r) => `${r} ${plan.before[r] ?? 0} → ${plan.after[r] ?? 0}${r in plan.untouched ? ' (not in --region: kept)' : ''}`)
    .join(', ');
  const pairs: Array<[string, string]> = [
    ['Regions', regions],
    ['Machines', `${plan.totalBefore} → ${plan.totalAfter}`],
    ['Cost', `${formatUsd(cost.before)} → ${formatUsd(cost.after)}, whole app if all started`],
  ];
  const untouched = Object.keys(plan.untouched).length
    ? style.yellow(
        `Note: --region leaves ${regionList(plan.untouched)} alone; the group will have ${plan.totalAfter} machines, not ${plan.totalAfter - Object.values(plan.untouched).reduce((a, b) => a + b, 0)}.\n`,
      )
    : '';
  return `Plan for ${app}, group ${plan.group}:\n${lines.join('')}${renderPairs(pairs)}${untouched}`;
}

export function renderVmPlan(app: string, plan: VmPlan, style: Style): string {
  const rows = plan.groups.map((g) => [g.group, String(g.count), describeGuest(g.from), style.bold(describeGuest(g.to))]);
  return `Plan for ${app}:\n${renderTable(['Group', 'Machines', 'From', 'To'], rows)}${renderPairs([['Cost', `${formatUsd(plan.hourlyBefore)} → ${formatUsd(plan.hourlyAfter)}, if all started`]])}`;
}
