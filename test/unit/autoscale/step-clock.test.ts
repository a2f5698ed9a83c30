/**
 * One autoscale step on the context's clock (issue 22, Time): the cooldown counts in the clock's time,
 * the state file records it, and a pinned wall time (GPUCTL_NOW) moves the decision but not the instant
 * the samples are read at (Prometheus's present).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MetricSource } from '../../../src/autoscale/read.js';
import { step, type ScaleCount, type StepInput } from '../../../src/autoscale/run.js';
import type { FlyClient } from '../../../src/flyio/client.js';
import type { FlyMachine } from '../../../src/flyio/schemas.js';
import { pinnedClock, type Clock } from '../../../src/shared/clock.js';
import { fakeClock } from '../../helpers/clock.js';
import { makeTestCtx } from '../../helpers/ctx.js';
import { policy } from './helpers.js';

/** A fleet whose count follows what `scale` applied; utilisation at 95 % on every 15 s step of the window, up to `at`. */
function world() {
  let count = 2;
  const asked: Date[] = [];
  const machine = (i: number) =>
    ({ id: `m${i}`, state: 'started', processGroup: 'app', region: 'ord', platformVersion: 'v2' }) as FlyMachine;
  const fly = {
    machines: async () => Array.from({ length: count }, (_, i) => machine(i)),
    show: (args: readonly string[]) => `flyctl ${args.join(' ')}`,
  } as unknown as FlyClient;
  const metrics: MetricSource = async (_query, at) => {
    asked.push(at);
    const newest = Math.floor(at.getTime() / 15_000) * 15;
    return { kind: 'matrix', series: [Array.from({ length: 12 }, (_, i) => [newest - (11 - i) * 15, '95'] as [number, string])] };
  };
  const scale: ScaleCount = async (request) => {
    count = request.count;
    return { applied: true, problems: [] };
  };
  return { asked, count: () => count, fly, metrics, scale };
}

function stepper(clock: Clock) {
  const w = world();
  const ctx = makeTestCtx({ clock, env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'autoscale-clock-')) } });
  const input: StepInput = { policy: policy(), fly: w.fly, metrics: w.metrics, scale: w.scale, mode: 'run', dryRun: false };
  return { w, run: () => step(ctx, input) };
}

describe('an autoscale step keeps time on ctx.clock', () => {
  it('the scale-up cooldown (3 min) runs on the clock: held until it has passed, then acted on', async () => {
    const clock = fakeClock({ start: '2026-11-24T17:00:00Z' });
    const { w, run } = stepper(clock);
    const first = await run();
    expect(first).toMatchObject({ time: '2026-11-24T17:00:00.000Z', applied: true, decision: { action: 'up', target: 3 } });
    await clock.advance(179_000);
    const held = await run();
    expect(held.decision).toMatchObject({ action: 'hold', rule: 'cooldown' });
    expect(held.decision.reason).toContain('(cooldown 3 min)');
    await clock.advance(1_000);
    expect(await run()).toMatchObject({ time: '2026-11-24T17:03:00.000Z', applied: true, decision: { action: 'up', target: 4 } });
    expect(w.count()).toBe(4);
  });

  it('a pinned wall time (GPUCTL_NOW) is the decision’s time; the samples are still read at the present', async () => {
    const clock = fakeClock({ start: '2026-12-04T06:00:00Z' });
    const { w, run } = stepper(pinnedClock(clock, new Date('2026-11-30T14:20:00Z')));
    const result = await run();
    expect(result.time).toBe('2026-11-30T14:20:00.000Z');
    expect(w.asked.map((d) => d.toISOString())).toEqual(['2026-12-04T06:00:00.000Z']);
  });
});
