import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/autoscale/decide.js';
import { latest } from '../../../src/autoscale/signals.js';
import { BASE, flat, missing, policy, series } from './helpers.js';
import { check, EMERGENCY, ERRORS, LATENCY, MIN, NOW, ago, type Case } from './decide-cases.js';

const cases: Case[] = [
  { name: 'steady between thresholds', samples: { utilization: flat(50) }, before: { ord: 2 }, rule: 'steady', target: 2 },
  {
    name: 'scale-up: every sample of the window above',
    samples: { utilization: flat(90) },
    before: { ord: 2 },
    rule: 'scale-up',
    target: 3,
    reason: /above 80 for 1 min/,
  },
  {
    name: 'scale-up needs the whole window above',
    samples: { utilization: series([50, 90, 90, 90]) },
    before: { ord: 2 },
    rule: 'steady',
    target: 2,
  },
  {
    name: 'too few samples for the window: no action',
    samples: { utilization: series([90, 90]) },
    before: { ord: 2 },
    rule: 'steady',
    target: 2,
    reason: /2 of 4 samples/,
  },
  {
    name: 'stale samples: no action',
    samples: { utilization: { kind: 'ok', points: [0, 1, 2, 3, 4].map((i) => ({ ageMs: 60_000 + i * 15_000, value: 99 })) } },
    before: { ord: 2 },
    rule: 'steady',
    target: 2,
    reason: /no sample in the last 30 s/,
  },
  {
    name: 'failed read: no action, never a scale-down',
    samples: { utilization: missing() },
    before: { ord: 4 },
    rule: 'no-data',
    target: 4,
    reason: /unreachable/,
  },
  {
    name: 'failed read below min: up to min only',
    samples: { utilization: missing() },
    before: { ord: 0 },
    extra: 'regions = ["ord"]',
    rule: 'min',
    target: 1,
  },
  {
    name: 'scale-down after the longer window',
    samples: { utilization: flat(10) },
    before: { ord: 3 },
    rule: 'scale-down',
    target: 2,
    reason: /below 30 for 2 min/,
  },
  {
    name: 'scale-down window not yet full: hold',
    samples: { utilization: flat(10, 6) },
    before: { ord: 3 },
    rule: 'steady',
    target: 3,
    reason: /6 of 8 samples/,
  },
  {
    name: 'never below min',
    samples: { utilization: flat(0) },
    before: { ord: 1 },
    rule: 'steady',
    target: 1,
    reason: /already at the floor of 1/,
  },
  { name: 'never above max', samples: { utilization: flat(99) }, before: { ord: 6 }, rule: 'max', target: 6, reason: /already at max 6/ },
  { name: 'above max is brought down to max', samples: { utilization: flat(50) }, before: { ord: 8 }, rule: 'max', target: 6 },
  { name: 'one above max is brought down to max', samples: { utilization: flat(50) }, before: { ord: 7 }, rule: 'max', target: 6 },
  {
    name: 'up cooldown blocks',
    samples: { utilization: flat(90) },
    before: { ord: 2 },
    last: { up: ago(MIN) },
    rule: 'cooldown',
    target: 2,
    reason: /1 min ago \(cooldown 3 min\)/,
  },
  {
    name: 'up cooldown expired',
    samples: { utilization: flat(90) },
    before: { ord: 2 },
    last: { up: ago(4 * MIN) },
    rule: 'scale-up',
    target: 3,
  },
  {
    name: 'down cooldown counts from the last scale-up too',
    samples: { utilization: flat(10) },
    before: { ord: 3 },
    last: { up: ago(5 * MIN) },
    rule: 'cooldown',
    target: 3,
  },
  {
    name: 'down cooldown expired',
    samples: { utilization: flat(10) },
    before: { ord: 3 },
    last: { up: ago(11 * MIN), down: ago(20 * MIN) },
    rule: 'scale-down',
    target: 2,
  },
  {
    name: 'emergency: two samples above 95 add two',
    extra: EMERGENCY,
    samples: { utilization: series([50, 96, 97]) },
    before: { ord: 2 },
    rule: 'emergency',
    target: 4,
  },
  {
    name: 'emergency needs two samples',
    extra: EMERGENCY,
    samples: { utilization: series([50, 50, 97]) },
    before: { ord: 2 },
    rule: 'steady',
    target: 2,
  },
  {
    name: 'emergency is capped at max',
    extra: EMERGENCY,
    samples: { utilization: series([96, 97]) },
    before: { ord: 5 },
    rule: 'emergency',
    target: 6,
  },
  {
    name: 'emergency ignores the up cooldown',
    extra: EMERGENCY,
    samples: { utilization: series([96, 97]) },
    before: { ord: 2 },
    last: { up: ago(30_000) },
    rule: 'emergency',
    target: 4,
  },
  {
    name: 'emergency in its own cooldown: the regular rule may still add one',
    extra: EMERGENCY,
    samples: { utilization: flat(97) },
    before: { ord: 2 },
    last: { emergency: ago(30_000), up: ago(10 * MIN) },
    rule: 'scale-up',
    target: 3,
    note: /last emergency action was 30 s ago/,
  },
  {
    name: 'error rate scales up on its own',
    extra: ERRORS,
    samples: { utilization: flat(50), errorRate: flat(0.05) },
    before: { ord: 2 },
    rule: 'error-rate',
    target: 3,
  },
  {
    name: 'latency scales up on its own',
    extra: LATENCY,
    samples: { utilization: flat(50), latency: flat(0.4) },
    before: { ord: 2 },
    rule: 'latency',
    target: 3,
  },
  {
    name: 'an unreadable error rate blocks a scale-down',
    extra: ERRORS,
    samples: { utilization: flat(10), errorRate: missing('no series') },
    before: { ord: 3 },
    rule: 'steady',
    target: 3,
    reason: /error rate: no series: no scale-down/,
  },
  {
    name: 'a low error rate lets it scale down',
    extra: ERRORS,
    samples: { utilization: flat(10), errorRate: flat(0) },
    before: { ord: 3 },
    rule: 'scale-down',
    target: 2,
  },
  {
    name: 'regions: flyctl adds in list order',
    extra: 'regions = ["ord", "iad"]',
    samples: { utilization: flat(90) },
    before: { ord: 1, iad: 1 },
    rule: 'scale-up',
    target: 3,
    after: { ord: 2, iad: 1 },
  },
  {
    name: 'regions: machines elsewhere stay',
    extra: 'regions = ["ord", "iad"]',
    samples: { utilization: flat(90) },
    before: { ord: 1, iad: 1, sjc: 1 },
    rule: 'scale-up',
    target: 4,
    after: { ord: 2, iad: 1, sjc: 1 },
  },
  { name: 'step sizes', extra: '', samples: { utilization: flat(10) }, before: { ord: 5 }, rule: 'scale-down', target: 4 },
];

describe('decide: rules, bounds, cooldowns, missing data', () => {
  it.each(cases)('$name', check);

  it('no machines and no regions: nowhere to add one, said in a note', () => {
    const d = decide(policy(), { utilization: missing() }, {}, {}, NOW);
    expect(d).toMatchObject({ rule: 'min', action: 'hold', target: 0 });
    expect(d.notes).toContain('the group has no machines and the policy names no regions: nowhere to add one');
  });

  it('the JSON record shows the newest finite sample as latest', () => {
    expect(latest({ kind: 'ok', points: [30, 0, 15].map((s) => ({ ageMs: s * 1000, value: s })) })).toBe(0);
    expect(
      latest({
        kind: 'ok',
        points: [
          { ageMs: 0, value: NaN },
          { ageMs: 15_000, value: 7 },
        ],
      }),
    ).toBe(7);
    expect(latest(missing())).toBeNull();
  });

  it('min = 0 with no schedule: a group at zero stays at zero', () => {
    const d = decide(policy('', BASE.replace('min = 1', 'min = 0')), { utilization: missing() }, { ord: 0 }, {}, NOW);
    expect(d).toMatchObject({ rule: 'no-data', floor: 0, target: 0 });
  });
});

describe('decide: step sizes', () => {
  it('steps bigger than one stop at the bounds', () => {
    const p = policy('', BIG_STEPS);
    expect(decide(p, { utilization: flat(90) }, { ord: 5 }, {}, NOW)).toMatchObject({ rule: 'scale-up', target: 6 });
    const down = decide(p, { utilization: flat(10) }, { ord: 3 }, {}, NOW);
    expect(down).toMatchObject({ rule: 'scale-down', target: 1 });
    expect(down.reason).toMatch(/remove 2$/);
  });
});

const BIG_STEPS = `
app = "a"
min = 1
max = 6
[scale_up]
above = 80
for = "1m"
step = 3
[scale_down]
below = 30
for = "2m"
step = 5
`;
