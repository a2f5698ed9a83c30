/**
 * `gpuctl scale count|vm`: plan, ask (or --yes), run flyctl, and verify the outcome with
 * `flyctl scale show --json`: a scale that lands machines elsewhere than planned fails loudly.
 */
import type { Ctx } from '../context.js';
import { FailedError, UsageError } from '../errors.js';
import { scaleCountArgs, scaleVmArgs } from '../flyio/args.js';
import type { FlyClient } from '../flyio/client.js';
import { CPU_FALLBACK, retirementMessage } from '../flyio/gpu-kinds.js';
import { PRICE_SOURCE } from '../flyio/vm-sizes.js';
import { refreshedRegions } from '../flyio/region-cache.js';
import { assertKnownRegions } from '../flyio/regions.js';
import { describeGuest } from '../flyio/app-name.js';
import { machineHourlyUsd, totalHourlyUsd } from './cost.js';
import { appMachines, chooseGroup, planCount, type CountPlan, type CountRequest } from './plan-count.js';
import { planVm, vmMismatches, type VmPlan, type VmRequest } from './plan-vm.js';
import { renderCountPlan, renderVmPlan } from './render.js';

export interface Confirm {
  yes: boolean;
  dryRun: boolean;
}

export interface ScaleResult<P> {
  schemaVersion: 1;
  app: string;
  action: 'count' | 'vm';
  plan: P;
  cost: { hourlyBefore: number | null; hourlyAfter: number | null; source: string };
  command: string;
  applied: boolean;
  verified: { ok: boolean; problems: string[] } | null;
}

/** Dry run: no. Nothing to do: no. --yes: yes. A terminal: ask. Otherwise: a usage error. */
async function mayApply(ctx: Ctx, app: string, confirm: Confirm): Promise<boolean> {
  if (confirm.dryRun) return false;
  if (confirm.yes) return true;
  if (!ctx.interactive)
    throw new UsageError('Scaling changes machines: pass --yes to confirm when not running interactively.', {
      hint: 'Or --dry-run to only see the plan.',
    });
  const yes = await ctx.prompt.confirm(`Scale ${app}?`, false);
  if (!yes) ctx.log.info('Not confirmed: nothing was changed.');
  return yes;
}

export function countMismatches(plan: CountPlan, regions: Record<string, number> | undefined): string[] {
  const now = regions ?? {};
  const all = [...new Set([...Object.keys(plan.after), ...Object.keys(now)])].sort();
  return all
    .filter((r) => (now[r] ?? 0) !== (plan.after[r] ?? 0))
    .map((r) => `${r} has ${now[r] ?? 0} machine(s) of group ${plan.group}, planned ${plan.after[r] ?? 0}`);
}

/** What scale tells its command as it goes: the plan (and the dry run's command), which is the command's output. */
export interface ScaleEvents {
  plan(text: string): void;
}

/** The process groups of the app's deployed configuration (`app` when it declares none); undefined when flyctl cannot show it. */
async function deployedGroups(fly: FlyClient, app: string): Promise<string[] | undefined> {
  const config = await fly.deployedConfig(app).catch(() => undefined);
  if (!config) return undefined;
  const names = Object.keys(config.processes ?? {});
  return names.length ? names : ['app'];
}

/**
 * A group named ahead of any plan (autoscale's policy): one the app does not have, as scale count judges it (the
 * deployed configuration and the machines), is a usage error naming those it has. Unreadable (flyctl failing): the
 * steps meet it, as they meet any flyctl failure.
 */
export async function checkGroup(fly: FlyClient, app: string, group: string): Promise<void> {
  const [all, deployed] = await Promise.all([fly.machines(app).catch(() => undefined), deployedGroups(fly, app)]);
  if (all && deployed) chooseGroup(appMachines(all), { group, configGroups: deployed });
}

export async function runCount(
  ctx: Ctx,
  fly: FlyClient,
  app: string,
  request: CountRequest,
  confirm: Confirm,
  events: ScaleEvents,
): Promise<ScaleResult<CountPlan>> {
  if (request.regions.length) assertKnownRegions(request.regions, await refreshedRegions(ctx, fly));
  const [all, deployed] = await Promise.all([fly.machines(app), deployedGroups(fly, app)]);
  const machines = appMachines(all);
  // The deployed configuration's groups are the ones flyctl accepts (a group scaled to zero has no machines to
  // show it); this directory's fly.toml stands in only when they cannot be read.
  const plan = planCount(machines, { ...request, configGroups: deployed ?? request.configGroups });
  const template = machines.find((m) => m.processGroup === plan.group);
  if (template?.guest.gpuKind && plan.deltas.some((d) => d.delta > 0)) {
    throw new FailedError(
      `New machines of group ${plan.group} would copy its GPU guest (${template.guest.gpuKind}). ${retirementMessage(template.guest.gpuKind)}`,
      {
        hint: `Move the group to the CPU layout first: \`gpuctl scale vm ${CPU_FALLBACK.size} --memory ${CPU_FALLBACK.memoryMb} --group ${plan.group}\`.`,
      },
    );
  }
  const before = totalHourlyUsd(machines);
  const unit = template ? machineHourlyUsd(template.guest) : null;
  const added = plan.deltas.reduce((sum, d) => sum + d.delta, 0);
  const after = before === null || unit === null ? (added === 0 ? before : null) : before + unit * added;
  const args = scaleCountArgs({ app, count: request.count, regions: plan.regions, group: plan.group, maxPerRegion: request.maxPerRegion });
  const result: ScaleResult<CountPlan> = {
    schemaVersion: 1,
    app,
    action: 'count',
    plan,
    cost: { hourlyBefore: before, hourlyAfter: after, source: PRICE_SOURCE },
    command: fly.show(args),
    applied: false,
    verified: null,
  };
  if (plan.deltas.length === 0) {
    // The count is over the regions asked for (flyctl's convergeGroupCounts); machines elsewhere are not part of it.
    const asked = plan.regions.reduce((sum, r) => sum + (plan.before[r] ?? 0), 0);
    ctx.log.info(`${app} already has ${asked} machine(s) of group ${plan.group} in ${plan.regions.join(', ')}: nothing to do.`);
    return result;
  }
  events.plan(renderCountPlan(app, plan, template ? describeGuest(template.guest) : 'default size', { before, after }, ctx.style));
  if (!(await mayApply(ctx, app, confirm))) {
    if (confirm.dryRun) events.plan(`Dry run: would run ${result.command}\n`);
    return result;
  }
  await fly.scaleCount({ app, count: request.count, regions: plan.regions, group: plan.group, maxPerRegion: request.maxPerRegion });
  result.applied = true;
  const shown = (await fly.scaleShow(app)).find((g) => g.group === plan.group);
  const problems = countMismatches(plan, shown?.regions);
  result.verified = { ok: problems.length === 0, problems };
  return result;
}

export async function runVm(
  ctx: Ctx,
  fly: FlyClient,
  app: string,
  request: VmRequest,
  confirm: Confirm,
  events: ScaleEvents,
): Promise<ScaleResult<VmPlan>> {
  const [shown, declared] = await Promise.all([fly.scaleShow(app), deployedGroups(fly, app)]);
  const plan = planVm(shown, request, declared);
  const args = scaleVmArgs({ app, size: plan.size.name, memoryMb: request.memoryMb, group: request.group });
  const result: ScaleResult<VmPlan> = {
    schemaVersion: 1,
    app,
    action: 'vm',
    plan,
    cost: { hourlyBefore: plan.hourlyBefore, hourlyAfter: plan.hourlyAfter, source: PRICE_SOURCE },
    command: fly.show(args),
    applied: false,
    verified: null,
  };
  events.plan(renderVmPlan(app, plan, ctx.style));
  if (!(await mayApply(ctx, app, confirm))) {
    if (confirm.dryRun) events.plan(`Dry run: would run ${result.command}\n`);
    return result;
  }
  await fly.scaleVm({ app, size: plan.size.name, memoryMb: request.memoryMb, group: request.group });
  result.applied = true;
  const problems = vmMismatches(plan, await fly.scaleShow(app));
  result.verified = { ok: problems.length === 0, problems };
  return result;
}
