/**
 * `gpuctl monitor`'s loop: a sample every --interval until Ctrl-C (or one with --once), each handed
 * to `show`; the command turns samples into what the terminal gets (monitor/screen.ts).
 *
 * The exit rule, one for every source (the local nvidia-smi, --agent, --app through Prometheus) and both
 * formats: every sample is shown in full, a machine that gave no fresh GPU data listed with its `error`
 * (and an `unreadable` alert) rather than ending the view; the sources never throw for one. When monitor
 * ends on its own (--once), it exits 1 if any machine of that sample has an `error`, else 0. A live view
 * or a --json stream keeps going until Ctrl-C (130). Crossed thresholds and an unreadable process list do
 * not change the exit status (the GPUs answered); no nvidia-smi at all (3) and bad input (2) still end it.
 */
import type { Ctx } from '../context.js';
import { ExitCode, FailedError } from '../errors.js';
import type { MonitorOptions } from './options.js';
import type { MonitorSample } from './types.js';

export type SampleSource = (ctx: Ctx) => Promise<MonitorSample>;

/**
 * The machines of a sample that gave no fresh GPU data, as one error the sample (already shown) carries; undefined when
 * every one did. One sentence, the machine named once: "No fresh GPU data from m2 (1 of 2 machines): no sample for 300 s."
 */
export function staleError(sample: MonitorSample): FailedError | undefined {
  const stale = sample.machines.filter((m): m is typeof m & { error: string } => m.error !== undefined);
  if (stale.length === 0) return undefined;
  const total = sample.machines.length;
  const of = `${stale.length} of ${total} machine${total === 1 ? '' : 's'}`;
  const [one] = stale;
  const what =
    stale.length === 1 && one
      ? `${one.id}${total > 1 ? ` (${of})` : ''}: ${one.error}`
      : `${of}: ${stale.map((m) => `${m.id}: ${m.error.replace(/\.$/, '')}`).join('; ')}`;
  return new FailedError(`No fresh GPU data from ${what}`.replace(/[^.!?]$/, '$&.'), { reported: true });
}

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
    if (options.once) {
      const stale = staleError(sample);
      if (stale) throw stale;
      break;
    }
    await ctx.clock.sleep(options.intervalMs, ctx.signal);
  }
  return ExitCode.ok;
}
