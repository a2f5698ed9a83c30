/**
 * What `gpuctl monitor` writes, as strings (the command writes them through ui/output.ts streamWriter): on a
 * terminal it draws on the alternate screen and gives the terminal back as it found it; --json is one NDJSON
 * record per sample (`jsonRecord`); piped, each frame follows the last; --once is one frame.
 */
import type { Style } from '../ui/style.js';
import { SCREEN } from '../ui/printable.js';
import type { MonitorOptions } from './options.js';
import { alertsFor, renderMonitor } from './render.js';
import type { MonitorSample } from './types.js';

const ENTER = SCREEN.enter;
const LEAVE = SCREEN.leave;
const HOME_CLEAR = SCREEN.homeClear;

export function jsonRecord(sample: MonitorSample, options: MonitorOptions) {
  return { schemaVersion: 1, ...sample, alerts: alertsFor(sample, options.thresholds) };
}

export interface MonitorScreen {
  /** Written before the first sample and after the last ('' when there is nothing to write; always with --json). */
  enter: string;
  leave: string;
  /** A sample for people (--json writes `jsonRecord` instead). */
  frame(sample: MonitorSample, first: boolean): string;
}

export function monitorScreen(options: MonitorOptions, out: { json: boolean; isTTY: boolean; style: Style }): MonitorScreen {
  const live = !options.once && !out.json && out.isTTY;
  const note = options.once ? undefined : `every ${options.intervalMs / 1000} s · Ctrl-C to quit`;
  return {
    enter: live ? ENTER : '',
    leave: live ? LEAVE : '',
    frame: (sample, first) => {
      const frame = renderMonitor(sample, { thresholds: options.thresholds, style: out.style, ...(note ? { note } : {}) });
      return live ? `${HOME_CLEAR}${frame}` : `${first ? '' : '\n'}${frame}`;
    },
  };
}
