/**
 * The local view through a failed nvidia-smi call: it shows the error and samples again next interval
 * (as the remote views do), where before the first timeout ended the whole monitor. With --once the
 * sample is shown too and monitor's exit rule gives 1 (exit-status.test.ts); no nvidia-smi at all,
 * Ctrl-C and non-gpuctl errors still end it.
 */
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../../src/context.js';
import { InterruptedError, MissingError, ToolError } from '../../../src/errors.js';
import { keepGoing } from '../../../src/monitor/local.js';
import { runMonitor } from '../../../src/monitor/run.js';
import type { MonitorOptions } from '../../../src/monitor/options.js';
import type { MonitorSample } from '../../../src/monitor/types.js';
import { fakeClock } from '../../helpers/clock.js';
import { makeTestCtx } from '../../helpers/ctx.js';

const ok = (c: Ctx): MonitorSample => ({ at: c.clock.now().toISOString(), machines: [{ id: 'box', gpus: [], processes: [] }] });

describe('monitor keepGoing', () => {
  it('live: a timed-out nvidia-smi is shown as that sample, and the next interval samples again', async () => {
    const clock = fakeClock();
    const abort = new AbortController();
    const ctx: Ctx = { ...makeTestCtx({ clock }), signal: abort.signal };
    let calls = 0;
    const source = async (c: Ctx) => {
      calls += 1;
      if (calls === 2) throw new ToolError('nvidia-smi did not answer within 10 s.', 'nvidia-smi', 'tool_timeout');
      return ok(c);
    };
    const seen: MonitorSample[] = [];
    const running = runMonitor({ intervalMs: 1000, once: false } as MonitorOptions, ctx, keepGoing(source), (s) => seen.push(s));
    await clock.advance(0);
    await clock.advance(1000);
    await clock.advance(1000);
    abort.abort();
    expect(await running).toBe(0);
    expect(seen.map((s) => s.machines[0]?.error)).toEqual([undefined, 'nvidia-smi did not answer within 10 s.', undefined]);
  });

  it('no nvidia-smi, Ctrl-C, or a bug: the error ends it as before; a failed call is a sample with its error', async () => {
    const ctx = makeTestCtx({ clock: fakeClock() });
    const failing = (error: Error) => async () => Promise.reject(error);
    const tool = new ToolError('nvidia-smi failed.', 'nvidia-smi', 'tool_failed');
    expect((await keepGoing(failing(tool))(ctx)).machines.map((m) => m.error)).toEqual(['nvidia-smi failed.']);
    for (const error of [new MissingError('no nvidia-smi', 'nvidia-smi'), new InterruptedError('nvidia-smi'), new TypeError('bug')])
      await expect(keepGoing(failing(error))(ctx)).rejects.toBe(error);
  });
});
