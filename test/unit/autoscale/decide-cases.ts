/** decide's table-driven cases: their shape, the policy snippets and the clock they share, and the one check each gets. */
import { expect } from 'vitest';
import { decide, type LastActions, type Rule } from '../../../src/autoscale/decide.js';
import type { Samples } from '../../../src/autoscale/signals.js';
import { policy } from './helpers.js';

export const NOW = new Date('2026-11-24T17:00:00Z'); // a Tuesday, 12:00 in New York
export const MIN = 60_000;
export const ago = (ms: number) => NOW.getTime() - ms;

export const EMERGENCY = '[emergency]\nabove = 95\nsamples = 2\nadd = 2\ncooldown = "1m"';
export const ERRORS = '[error_rate]\nquery = "errors"\nabove = 0.02\nfor = "1m"';
export const LATENCY = '[latency]\nquery = "p99"\nabove = 0.25\nfor = "1m"';

export interface Case {
  name: string;
  extra?: string;
  samples: Samples;
  before: Record<string, number>;
  last?: LastActions;
  now?: Date;
  rule: Rule;
  target: number;
  after?: Record<string, number>;
  reason?: RegExp;
  note?: RegExp;
}

export function check(c: Case): void {
  const d = decide(policy(c.extra ?? ''), c.samples, c.before, c.last ?? {}, c.now ?? NOW);
  expect({ rule: d.rule, target: d.target }, d.reason).toEqual({ rule: c.rule, target: c.target });
  expect(d.action).toBe(c.target > d.current ? 'up' : c.target < d.current ? 'down' : 'hold');
  if (c.after) expect(d.after).toEqual(c.after);
  if (c.reason) expect(d.reason).toMatch(c.reason);
  if (c.note) expect(d.notes.join('\n')).toMatch(c.note);
  expect(d.target).toBeLessThanOrEqual(6);
  if (c.samples.utilization.kind === 'missing') expect(d.action).not.toBe('down');
}
