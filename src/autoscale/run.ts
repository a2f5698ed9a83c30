/**
 * One autoscale step (read the state, the machines and the metrics; decide; act) and the loop
 * around it. Acting is `gpuctl scale count`'s own path (src/scale/run.ts runCount: flyctl scale
 * count with --yes, then checked with scale show), handed in as a ScaleCount by
 * commands/autoscale.ts, so there is one way gpuctl changes a count.
 */
import type { Ctx } from '../context.js';
import { InterruptedError } from '../errors.js';
import { scaleCountArgs } from '../flyio/args.js';
import type { FlyClient } from '../flyio/client.js';
import { appMachines } from '../flyio/scale-count.js';
import { decide, type Decision } from './decide.js';
import type { Policy } from './policy-schema.js';
import { readSamples, type MetricSource, type SignalQuery } from './read.js';
import { countInRegions } from './regions.js';
import type { Samples } from './signals.js';
import { loadState, record, saveState, statePath } from './state.js';

export interface Step {
  time: string;
  decision: Decision;
  samples: Samples;
  queries: SignalQuery[];
  /** The flyctl command that makes the change (shown, or run). */
  command: string | null;
  applied: boolean;
  dryRun: boolean;
  problems: string[];
}

export interface CountRequest {
  count: number;
  regions: string[];
  group: string;
  maxPerRegion: undefined;
}
/** `gpuctl scale count`'s run (plan, flyctl scale count --yes, verify): applied, and what did not land as planned. */
export type ScaleCount = (request: CountRequest, dryRun: boolean) => Promise<{ applied: boolean; problems: string[] }>;

export interface StepInput {
  policy: Policy;
  fly: FlyClient;
  metrics: MetricSource;
  scale: ScaleCount;
  /** plan: decide only. run: act (or show with dryRun) and keep the state. */
  mode: 'plan' | 'run';
  dryRun: boolean;
}

export async function step(ctx: Ctx, input: StepInput): Promise<Step> {
  const { policy, fly } = input;
  // The decision's time is the context's clock (GPUCTL_NOW pins it: schedules and cooldowns); the samples
  // are read at Prometheus's present, whatever time the decision pretends it is.
  const now = ctx.clock.now();
  const path = statePath(ctx.env, policy.app, policy.group);
  const loaded = await loadState(path, now);
  if (loaded.kind === 'unreadable') ctx.log.warn(`The autoscale state ${path} is unreadable (${loaded.reason}): cooldowns count from now.`);
  const last = loaded.kind === 'none' ? {} : loaded.last;
  const machines = appMachines(await fly.machines(policy.app)).filter((m) => m.processGroup === policy.group);
  const before: Record<string, number> = {};
  for (const m of machines) before[m.region] = (before[m.region] ?? 0) + 1;
  const { samples, queries } = await readSamples(policy, input.metrics, ctx.clock.present());
  if (ctx.signal.aborted) throw new InterruptedError();
  const decision = decide(policy, samples, before, last, now);
  const count = countInRegions(before, decision.regions, decision.target);
  const request: CountRequest = { count, regions: decision.regions, group: policy.group, maxPerRegion: undefined };
  const changes = decision.action !== 'hold' && decision.regions.length > 0;
  const result: Step = {
    time: now.toISOString(),
    decision,
    samples,
    queries,
    command: changes ? fly.show(scaleCountArgs({ app: policy.app, ...request })) : null,
    applied: false,
    dryRun: input.dryRun,
    problems: [],
  };
  // An unreachable or failing Prometheus is a problem (exit 1: a CI check with a wrong URL fails); no data from a healthy one is a decision.
  for (const read of [samples.utilization, samples.errorRate, samples.latency])
    if (read?.kind === 'missing' && read.failed && !result.problems.includes(`Prometheus: ${read.reason}`))
      result.problems.push(`Prometheus: ${read.reason}`);
  if (!changes || input.mode === 'plan') return result;
  const scaled = await input.scale(request, input.dryRun);
  result.applied = scaled.applied;
  result.problems.push(...scaled.problems);
  if (scaled.applied)
    await saveState(path, { version: 1, app: policy.app, group: policy.group, last: record(last, decision.rule, decision.action, now) });
  return result;
}
