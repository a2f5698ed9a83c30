/** monitor's loop takes a sample every --interval of the context's clock, until Ctrl-C (issue 22, Time). */
import { expect, it } from 'vitest';
import type { Ctx } from '../../../src/context.js';
import type { MonitorOptions } from '../../../src/monitor/options.js';
import { runMonitor } from '../../../src/monitor/run.js';
import type { MonitorSample } from '../../../src/monitor/types.js';
import { fakeClock } from '../../helpers/clock.js';
import { makeTestCtx } from '../../helpers/ctx.js';

it('samples at once, then every interval of the clock, and stops on Ctrl-C in the middle of a wait', async () => {
  const clock = fakeClock();
  const abort = new AbortController();
  const ctx: Ctx = { ...makeTestCtx({ clock }), signal: abort.signal };
  const seen: string[] = [];
  const source = async (c: Ctx): Promise<MonitorSample> => ({ at: c.clock.now().toISOString(), machines: [] });
  const options = { intervalMs: 2000, once: false } as MonitorOptions;
  const running = runMonitor(options, ctx, source, (sample) => seen.push(sample.at));
  await clock.advance(0);
  expect(seen).toEqual(['2026-11-22T12:00:00.000Z']);
  await clock.advance(1999);
  expect(seen).toHaveLength(1);
  await clock.advance(1);
  await clock.advance(2000);
  expect(seen).toEqual(['2026-11-22T12:00:00.000Z', '2026-11-22T12:00:02.000Z', '2026-11-22T12:00:04.000Z']);
  await clock.advance(500);
  abort.abort();
  expect(await running).toBe(0);
  expect(seen).toHaveLength(3);
  expect(clock.pending()).toBe(0);
});
