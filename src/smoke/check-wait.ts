/**
 * When smoke tries a check: on Fly's schedule for it. Fly runs a check first when its grace_period has passed since
 * the Machine started, then every `interval` (superfly/docs reference/configuration: "grace_period: the time to wait
 * after a VM starts before checking its health"; "interval: the time between connectivity checks"), so smoke makes
 * its attempts at those times, from the container's start. --wait-timeout bounds it all: no attempt after it, except
 * that a check whose grace_period ends after it is tried once when it ends (the evidence then says it was early). A slot
 * already past when smoke reaches a check (an earlier check took that long) is tried at once, as Fly would have.
 * Between attempts the container is watched every second, so an exit during a long grace_period fails at once.
 */
import type { Ctx } from '../context.js';
import { InterruptedError } from '../errors.js';

export type Attempt = { ok: boolean; said: string };

export interface CheckPlan {
  /** Monotonic ms of the container's start: grace_period counts from there. */
  startedAt: number;
  graceMs: number;
  intervalMs: number;
  /** Monotonic ms: no attempt after it (--wait-timeout). */
  deadline: number;
}

export type CheckWait =
  | { ok: true; last: Attempt; early: boolean; attempts: number }
  | { ok: false; exited: number | null; last: Attempt | null; early: boolean; attempts: number };

/** The container's state, read at most once a second however many waits ask (one engine call per second). */
export function containerWatch(ctx: Ctx, read: () => Promise<{ running: boolean; exitCode: number | null }>) {
  let cached: { at: number; state: Promise<{ running: boolean; exitCode: number | null }> } | null = null;
  return () => {
    const now = ctx.clock.monotonic();
    if (cached === null || now - cached.at >= 1000) cached = { at: now, state: read() };
    return cached.state;
  };
}

/**
 * The next attempt's time on the plan's schedule (grace, grace + interval, …): the first slot, or `now` when it has
 * passed before smoke reached the check; after an attempt (at `previous`), the next slot after it that is not past.
 */
export function nextSlot(plan: CheckPlan, now: number, previous: number | null): number {
  const first = plan.startedAt + plan.graceMs;
  if (previous === null) return Math.max(first, now);
  const after = first + (Math.floor((previous - first) / plan.intervalMs) + 1) * plan.intervalMs;
  return after >= now ? after : first + Math.ceil((now - first) / plan.intervalMs) * plan.intervalMs;
}

/** Attempts on the plan's schedule until one passes, the container exits, or the deadline has passed. */
export async function waitForCheck(
  ctx: Ctx,
  state: () => Promise<{ running: boolean; exitCode: number | null }>,
  attempt: () => Promise<Attempt>,
  plan: CheckPlan,
): Promise<CheckWait> {
  let last: Attempt | null = null;
  let attempts = 0;
  let previous: number | null = null;
  for (;;) {
    const slot = nextSlot(plan, ctx.clock.monotonic(), previous);
    // The next try would come after the deadline: done, unless none was made (a grace_period longer than the wait).
    if (slot > plan.deadline && last !== null) return { ok: false, exited: null, last, early: false, attempts };
    const at = Math.min(slot, plan.deadline);
    const early = slot > plan.deadline;
    previous = at;
    for (let now = ctx.clock.monotonic(); now < at; now = ctx.clock.monotonic()) {
      const s = await state();
      if (!s.running) return { ok: false, exited: s.exitCode, last, early: false, attempts };
      if (!(await ctx.clock.sleep(Math.min(1000, at - now), ctx.signal))) throw new InterruptedError();
    }
    last = await attempt();
    attempts += 1;
    if (last.ok) return { ok: true, last, early, attempts };
    const s = await state();
    if (!s.running) return { ok: false, exited: s.exitCode, last, early, attempts };
    if (early || ctx.clock.monotonic() >= plan.deadline) return { ok: false, exited: null, last, early, attempts };
  }
}
