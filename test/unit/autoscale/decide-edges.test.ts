/** decide's edges: each case fails when a comparison in decide.ts or signals.ts moves by one (scripts/mutants/autoscale-*.json). */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/autoscale/decide.js';
import type { Read } from '../../../src/autoscale/signals.js';
import { BASE, flat, missing, policy, series } from './helpers.js';
import { check, EMERGENCY, ERRORS, MIN, NOW, ago, type Case } from './decide-cases.js';

const at = (ageS: number[], value: number): Read => ({ kind: 'ok', points: ageS.map((s) => ({ ageMs: s * 1000, value })) });
const edges: Case[] = [
  {
    name: 'a sample equal to scale_up.above is not above',
    samples: { utilization: flat(80) },
    before: { ord: 2 },
    rule: 'steady',
    target: 2,
  },
  {
    name: 'a sample equal to scale_down.below is not below',
    samples: { utilization: flat(30) },
    before: { ord: 3 },
    rule: 'steady',
    target: 3,
  },
  {
    name: 'an error rate equal to its threshold is not above',
    extra: ERRORS,
    samples: { utilization: flat(50), errorRate: flat(0.02) },
    before: { ord: 2 },
    rule: 'steady',
    target: 2,
  },
  {
    name: 'two rules firing: the first names the action, both give the reason',
    extra: ERRORS,
    samples: { utilization: flat(90), errorRate: flat(0.05) },
    before: { ord: 2 },
    rule: 'scale-up',
    target: 3,
    reason: /^utilisation above 80 for 1 min \(90\); error rate above 0\.02 for 1 min \(0\.0500\): add 1$/,
  },
  {
    name: 'a sample exactly `for` old is outside the window',
    samples: { utilization: series([50, 90, 90, 90, 90]) },
    before: { ord: 2 },
    rule: 'scale-up',
    target: 3,
    reason: /\(90\)/,
  },
  {
    name: 'one sample short of the window: no action',
    samples: { utilization: series([90, 90, 90]) },
    before: { ord: 2 },
    rule: 'steady',
    target: 2,
    reason: /3 of 4 samples/,
  },
  {
    name: 'a newest sample three steps old is stale',
    samples: { utilization: at([45, 60, 75, 90, 105], 99) },
    before: { ord: 2 },
    rule: 'steady',
    target: 2,
    reason: /no sample in the last 30 s/,
  },
  {
    name: 'a NaN sample is not a sample',
    samples: { utilization: series([90, 90, 90, 90, NaN]) },
    before: { ord: 2 },
    rule: 'steady',
    target: 2,
    reason: /3 of 4 samples/,
  },
  {
    name: 'the range of the window is in the reason',
    samples: { utilization: series([85, 90, 95, 99]) },
    before: { ord: 2 },
    rule: 'scale-up',
    target: 3,
    reason: /\(85-99\)/,
  },
  {
    name: 'down cooldown counts from the last scale-down',
    samples: { utilization: flat(10) },
    before: { ord: 3 },
    last: { down: ago(5 * MIN) },
    rule: 'cooldown',
    target: 3,
  },
  {
    name: 'down cooldown ends at exactly its length',
    samples: { utilization: flat(10) },
    before: { ord: 3 },
    last: { down: ago(10 * MIN) },
    rule: 'scale-down',
    target: 2,
  },
  {
    name: 'emergency cooldown ends at exactly its length',
    extra: EMERGENCY,
    samples: { utilization: series([50, 96, 97]) },
    before: { ord: 2 },
    last: { emergency: ago(MIN) },
    rule: 'emergency',
    target: 4,
  },
  {
    name: 'emergency at max: held by the max, said in a note',
    extra: EMERGENCY,
    samples: { utilization: flat(97) },
    before: { ord: 6 },
    rule: 'max',
    target: 6,
    note: /emergency: last 2 samples above 95 \(97, 97\), but already at max 6/,
  },
  {
    name: 'emergency: a sample equal to its threshold is not above',
    extra: EMERGENCY,
    samples: { utilization: series([50, 95, 95]) },
    before: { ord: 2 },
    rule: 'steady',
    target: 2,
  },
  {
    name: 'emergency: one sample is not two',
    extra: EMERGENCY,
    samples: { utilization: series([97]) },
    before: { ord: 2 },
    rule: 'steady',
    target: 2,
  },
  {
    name: 'emergency: a NaN newest sample is skipped',
    extra: EMERGENCY,
    samples: { utilization: series([50, 96, 97, NaN]) },
    before: { ord: 2 },
    rule: 'emergency',
    target: 4,
  },
  {
    name: 'emergency: a newest sample over two steps old is stale',
    extra: EMERGENCY,
    samples: { utilization: at([35, 40], 97) },
    before: { ord: 2 },
    rule: 'steady',
    target: 2,
  },
  {
    name: 'emergency: a gap between the samples is not consecutive',
    extra: EMERGENCY,
    samples: { utilization: at([0, 50], 97) },
    before: { ord: 2 },
    rule: 'steady',
    target: 2,
  },
  {
    name: 'a failed read is said in the notes',
    extra: ERRORS,
    samples: { utilization: missing('Prometheus unreachable'), errorRate: missing('no series') },
    before: { ord: 3 },
    rule: 'no-data',
    target: 3,
    note: /^utilisation: Prometheus unreachable\nerror rate: no series$/,
  },
  {
    name: 'machines outside the regions are left alone, and said so',
    extra: 'regions = ["ord"]',
    samples: { utilization: flat(10) },
    before: { sjc: 3 },
    rule: 'scale-down',
    target: 3,
    note: /machines outside ord are left alone: the group will have 3/,
  },
  {
    name: 'a window whose min is the policy min: the rule is min',
    extra: '[[schedule]]\nname = "NYSE"\ntimezone = "America/New_York"\nstart = "09:30"\nend = "16:00"\nmin = 1',
    samples: { utilization: flat(50) },
    before: { ord: 0 },
    rule: 'min',
    target: 0,
    reason: /min is 1$/,
  },
];

describe('decide: edges', () => {
  it.each(edges)('edge: $name', check);

  it('a window shorter than the interval needs one sample inside it', () => {
    const p = policy('', BASE.replace('for = "1m"', 'for = "10s"'));
    const d = decide(p, { utilization: at([20, 35, 50], 90) }, { ord: 2 }, {}, NOW);
    expect(d).toMatchObject({ rule: 'steady', target: 2 });
    expect(d.reason).toMatch(/^0 of 1 samples in the last 10 s/);
  });
});
