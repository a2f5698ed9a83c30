/**
 * `gpuctl monitor`: samples at --interval until Ctrl-C. On a terminal it draws on the alternate screen
 * and gives the terminal back as it found it; --json prints one NDJSON record per sample; piped, each
 * frame is printed in turn; --once prints one and exits.
 */
import type { Ctx } from '../context.js';
import { alertsFor, renderMonitor } from './render.js';
import type { MonitorOptions } from './options.js';
import type { MonitorSample } from './types.js';

export type SampleSource = (ctx: Ctx) => Promise<MonitorSample>;

const ENTER = '\u001b[?1049h\u001b[?25l';
const LEAVE = '\u001b[?25h\u001b[?1049l';
const HOME_CLEAR = '\u001b[H\u001b[2J';

export function jsonRecord(sample: MonitorSample, options: MonitorOptions) {
  return { schemaVersion: 1, ...sample, alerts: alertsFor(sample, options.thresholds) };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function runMonitor(options: MonitorOptions, ctx: Ctx, source: SampleSource): Promise<number> {
  const live = !options.once && !ctx.flags.json && ctx.stdout.isTTY;
  const note = options.once ? undefined : `every ${options.intervalMs / 1000} s · Ctrl-C to quit`;
  if (live) ctx.stdout.write(ENTER);
  try {
    for (let first = true; !ctx.signal.aborted; first = false) {
      const sample = await source(ctx);
      if (ctx.signal.aborted) break;
      if (ctx.flags.json) ctx.stdout.write(`${JSON.stringify(jsonRecord(sample, options))}\n`);
      else {
        const frame = renderMonitor(sample, { thresholds: options.thresholds, style: ctx.style, ...(note ? { note } : {}) });
        ctx.stdout.write(live ? `${HOME_CLEAR}${frame}` : `${first ? '' : '\n'}${frame}`);
      }
      if (options.once) break;
      await sleep(options.intervalMs, ctx.signal);
    }
  } finally {
    if (live) ctx.stdout.write(LEAVE);
  }
  return 0;
}
