/**
 * `gpuctl monitor`'s loop: a sample every --interval until Ctrl-C (or one with --once), each handed
 * to `show`; the command turns samples into what the terminal gets (monitor/screen.ts).
 */
import type { Ctx } from '../context.js';
import type { MonitorOptions } from './options.js';
import type { MonitorSample } from './types.js';

export type SampleSource = (ctx: Ctx) => Promise<MonitorSample>;

export async function runMonitor(
  options: MonitorOptions,
  ctx: Ctx,
  source: SampleSource,
  show: (sample: MonitorSample, first: boolean) => void,
): Promise<number> {
  for (let first = true; !ctx.signal.aborted; first = false) {
    const sample = await source(ctx);
    if (ctx.signal.aborted) break;
    show(sample, first);
    if (options.once) break;
    await ctx.clock.sleep(options.intervalMs, ctx.signal);
  }
  return 0;
}
