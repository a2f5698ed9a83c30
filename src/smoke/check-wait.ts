/**
 * When smoke tries a check. Fly runs a check first when its grace_period has passed since the Machine started, then
 * every `interval` (superfly/docs reference/configuration: "grace_period: the time to wait after a VM starts before
 * checking its health"; "interval: the time between connectivity checks"). smoke keeps that grid after the grace
 * period, but inside it tries every second from the container's start, as Docker's health checks do in their start
 * period: a failure there does not count (Fly would not have tried yet), and a pass there is a pass, said to be early
 * (an application ready in 3 s is not held for the minute a GPU layout's grace_period allows its model). --wait-timeout
 * bounds it all. A grid slot already past when smoke reaches a check (an earlier check took that long) is tried at once.
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

/** `early`: passed inside the grace period, before Fly's first try. */
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

/** Inside the grace period, smoke's attempts are this far apart. */
export const EARLY_TRY_MS = 1000;

/**
 * The next attempt's time: at once first; then every second while the grace period lasts; from its end on Fly's grid
 * (grace, grace + interval, …), the next slot after the previous attempt that is not past.
 */
export function nextSlot(plan: CheckPlan, now: number, previous: number | null): number {
  const first = plan.startedAt + plan.graceMs;
  const grid = (t: number) => (t <= first ? first : first + Math.ceil((t - first) / plan.intervalMs) * plan.intervalMs);
  if (previous === null) return now;
  if (previous < first) return Math.min(Math.max(previous + EARLY_TRY_MS, now), grid(now));
  const after = first + (Math.floor((previous - first) / plan.intervalMs) + 1) * plan.intervalMs;
  return after >= now ? after : grid(now);
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
    if (slot > plan.deadline && last !== null) return { ok: false, exited: null, last, early: false, attempts };
    const at = Math.min(slot, plan.deadline);
    previous = at;
    for (let now = ctx.clock.monotonic(); now < at; now = ctx.clock.monotonic()) {
      const s = await state();
      if (!s.running) return { ok: false, exited: s.exitCode, last, early: false, attempts };
      if (!(await ctx.clock.sleep(Math.min(1000, at - now), ctx.signal))) throw new InterruptedError();
    }
    // When the try began, not when it was due: a check reached after --wait-timeout's end is tried late, once.
    const tried = ctx.clock.monotonic();
    last = await attempt();
    attempts += 1;
    if (last.ok) return { ok: true, last, early: tried < plan.startedAt + plan.graceMs, attempts };
    const s = await state();
    if (!s.running) return { ok: false, exited: s.exitCode, last, early: false, attempts };
    if (ctx.clock.monotonic() >= plan.deadline) return { ok: false, exited: null, last, early: false, attempts };
  }
}
