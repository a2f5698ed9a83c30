/**
 * The autoscale decision: one pure function of (policy, samples, machines, last actions, now).
 * Order: bounds and schedule floors first (they need no metric), then emergency, scale-up
 * (utilisation, error rate, latency), scale-down, hold. A missing or failed read never scales
 * down; without data the only action is raising the count to the floor (min or a window's min).
 */
import type { Policy } from './policy-schema.js';
import { activeWindows, describeWindow } from './schedule.js';
import { lastAbove, sustained, type Samples, type Verdict } from './signals.js';
import { distribute } from './regions.js';

export type Rule =
  'min' | 'schedule' | 'max' | 'emergency' | 'scale-up' | 'error-rate' | 'latency' | 'scale-down' | 'cooldown' | 'no-data' | 'steady';

/** Epoch milliseconds of the last actions (from the state file); absent = never. */
export interface LastActions {
  up?: number;
  down?: number;
  emergency?: number;
}

export interface Decision {
  app: string;
  group: string;
  action: 'up' | 'down' | 'hold';
  rule: Rule;
  reason: string;
  current: number;
  target: number;
  /** Machines of the group per region now, and after the change (flyctl's own distribution). */
  before: Record<string, number>;
  after: Record<string, number>;
  /** Regions the change is made in (passed to `scale count --region`). */
  regions: string[];
  floor: number;
  max: number;
  windows: string[];
  /** What else was seen: rules blocked by a cooldown or a bound, reads that failed. */
  notes: string[];
}

const ago = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);

export function decide(policy: Policy, samples: Samples, before: Readonly<Record<string, number>>, last: LastActions, now: Date): Decision {
  const current = Object.values(before).reduce((a, b) => a + b, 0);
  const windows = activeWindows(policy.schedule, now);
  const windowMin = Math.max(0, ...windows.map((w) => w.window.min));
  const floor = Math.max(policy.min, windowMin);
  const notes: string[] = [];
  const base = {
    app: policy.app,
    group: policy.group,
    current,
    floor,
    max: policy.max,
    windows: windows.map((w) => `${describeWindow(w.window)}: ${w.phase}`),
    notes,
  };
  const t = now.getTime();
  const to = (target: number, rule: Rule, reason: string): Decision => {
    const { after, regions } = distribute(before, policy.regions, target);
    const total = Object.values(after).reduce((a, b) => a + b, 0);
    if (total !== target) {
      notes.push(
        regions.length
          ? `machines outside ${regions.join(',')} are left alone: the group will have ${total}`
          : 'the group has no machines and the policy names no regions: nowhere to add one',
      );
    }
    const action = total > current ? 'up' : total < current ? 'down' : 'hold';
    return { ...base, action, rule, reason, target: total, before: { ...before }, after, regions };
  };
  const hold = (rule: Rule, reason: string) => to(current, rule, reason);

  if (current < floor) {
    const byWindow = windowMin > policy.min;
    const why = byWindow
      ? windows
          .filter((w) => w.window.min === windowMin)
          .map((w) => `${w.window.name} is ${w.phase === 'open' ? 'open' : 'about to open (warm-up)'}`)[0]
      : `min is ${policy.min}`;
    return to(floor, byWindow ? 'schedule' : 'min', `${current} machine(s), below the floor of ${floor}: ${why}`);
  }
  if (current > policy.max) return to(policy.max, 'max', `${current} machine(s), above max ${policy.max}`);

  const step = policy.intervalMs;
  const util = samples.utilization;
  if (util.kind === 'missing') notes.push(`utilisation: ${util.reason}`);

  if (policy.emergency) {
    const e = policy.emergency;
    const v = lastAbove(util, e.samples, e.above, step);
    if (v.kind === 'holds') {
      const since = last.emergency === undefined ? Infinity : t - last.emergency;
      if (current >= policy.max) notes.push(`emergency: ${v.detail}, but already at max ${policy.max}`);
      else if (since < e.cooldownMs)
        notes.push(`emergency: ${v.detail}, but the last emergency action was ${ago(since)} ago (cooldown ${ago(e.cooldownMs)})`);
      else return to(Math.min(policy.max, current + e.add), 'emergency', `utilisation ${v.detail}: add ${e.add}`);
    }
  }

  const ups: Array<[Rule, Verdict]> = [
    ['scale-up', sustained(util, policy.up.forMs, step, (x) => x > policy.up.above, `utilisation above ${policy.up.above}`)],
  ];
  const extra: Array<[Rule, 'errorRate' | 'latency', string]> = [
    ['error-rate', 'errorRate', 'error rate'],
    ['latency', 'latency', 'latency'],
  ];
  const guards: Array<[string, Verdict]> = [];
  for (const [rule, key, words] of extra) {
    const threshold = policy[key];
    if (!threshold) continue;
    const read = samples[key] ?? { kind: 'missing', reason: 'not read' };
    if (read.kind === 'missing') notes.push(`${words}: ${read.reason}`);
    const verdict = sustained(read, threshold.forMs, step, (x) => x > threshold.above, `${words} above ${threshold.above}`);
    ups.push([rule, verdict]);
    guards.push([words, verdict]);
  }
  const firing = ups.filter(([, v]) => v.kind === 'holds');
  if (firing.length > 0) {
    const [rule] = firing[0]!;
    const reason = firing.map(([, v]) => v.detail).join('; ');
    const since = last.up === undefined ? Infinity : t - last.up;
    if (current >= policy.max) return hold('max', `${reason}, but already at max ${policy.max}`);
    if (since < policy.cooldown.upMs)
      return hold('cooldown', `${reason}, but the last scale-up was ${ago(since)} ago (cooldown ${ago(policy.cooldown.upMs)})`);
    return to(Math.min(policy.max, current + policy.up.step), rule, `${reason}: add ${policy.up.step}`);
  }

  const low = sustained(util, policy.down.forMs, step, (x) => x < policy.down.below, `utilisation below ${policy.down.below}`);
  if (low.kind === 'holds') {
    const blocking = guards.filter(([, v]) => v.kind !== 'not');
    const lastAny = Math.max(last.up ?? -Infinity, last.down ?? -Infinity);
    const since = t - lastAny;
    if (current <= floor) return hold('steady', `${low.detail}, already at the floor of ${floor}`);
    if (blocking.length > 0)
      return hold('steady', `${low.detail}, but ${blocking.map(([w, v]) => `${w}: ${v.detail}`).join('; ')}: no scale-down`);
    if (since < policy.cooldown.downMs)
      return hold('cooldown', `${low.detail}, but the last scaling was ${ago(since)} ago (cooldown ${ago(policy.cooldown.downMs)})`);
    return to(
      Math.max(floor, current - policy.down.step),
      'scale-down',
      `${low.detail}: remove ${Math.min(policy.down.step, current - floor)}`,
    );
  }

  if (util.kind === 'missing') return hold('no-data', `no utilisation data (${util.reason}): no action`);
  const seen = [ups[0]![1], low].map((v) => v.detail).join('; ');
  return hold('steady', seen);
}
