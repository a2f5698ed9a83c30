/** `gpuctl monitor`'s options, from commander's raw values. Pure. */
import { UsageError } from '../errors.js';
import { bool, durationOption, str, type GlobalKey, type RawInput } from '../shared/options.js';
import { DEFAULT_THRESHOLDS } from './render.js';
import type { MonitorThresholds } from './types.js';

export interface MonitorOptions {
  intervalMs: number;
  once: boolean;
  thresholds: MonitorThresholds;
  /** --app: the remote view of this Fly app's machines, read from Prometheus (--prometheus, else GPUCTL_PROMETHEUS_URL). */
  app: string | undefined;
  prometheus: string | undefined;
}

/** The option keys the parser reads; the command's declared flags must produce them (else tsc fails there). */
export type MonitorKey = 'interval' | 'once' | 'maxTemp' | 'maxMemory' | 'maxUtil' | 'app' | 'prometheus' | GlobalKey;

function percent(
  raw: RawInput<MonitorKey>,
  name: 'maxTemp' | 'maxMemory' | 'maxUtil',
  flag: string,
  min: number,
  max: number,
): number | null {
  const text = str(raw, name);
  if (text === undefined) return null;
  const v = Number(text);
  if (!Number.isFinite(v) || v < min || v > max) throw new UsageError(`${flag} "${text}" is not a number from ${min} to ${max}.`);
  return v;
}

export function parseMonitorOptions(raw: RawInput<MonitorKey>): MonitorOptions {
  const intervalMs = durationOption(raw, 'interval', '--interval', '2s');
  if (intervalMs < 100) throw new UsageError(`--interval "${str(raw, 'interval')}" is under 100ms.`);
  const app = str(raw, 'app');
  const prometheus = str(raw, 'prometheus');
  if (prometheus !== undefined && app === undefined)
    throw new UsageError('--prometheus is for the remote view: name the app with --app.', {
      hint: 'e.g. gpuctl monitor --app quant-signals --prometheus https://api.fly.io/prometheus/my-org/',
    });
  if (prometheus !== undefined && !/^https?:\/\/\S+$/.test(prometheus))
    throw new UsageError(`--prometheus must be an http(s) URL, not "${prometheus}".`);
  return {
    intervalMs,
    once: bool(raw, 'once'),
    thresholds: {
      maxTempC: percent(raw, 'maxTemp', '--max-temp', 1, 150) ?? DEFAULT_THRESHOLDS.maxTempC,
      maxMemoryPct: percent(raw, 'maxMemory', '--max-memory', 1, 100) ?? DEFAULT_THRESHOLDS.maxMemoryPct,
      maxUtilPct: percent(raw, 'maxUtil', '--max-util', 0, 100),
    },
    app,
    prometheus,
  };
}
