/** `gpuctl autoscale` options: typed, checked, pure (commands/autoscale.ts declares the flags). */
import { UsageError } from '../errors.js';
import { parseDuration } from '../shared/duration.js';
import { bool, str, type GlobalKey, type RawInput } from '../shared/options.js';

export interface Common {
  policy: string;
  app: string | undefined;
  prometheus: string | undefined;
  timeoutMs: number;
}
export interface RunOptions extends Common {
  once: boolean;
  dryRun: boolean;
  iterations: number | undefined;
  intervalMs: number | undefined;
}
export interface ExportOptions {
  policy: string;
  app: string | undefined;
  to: 'fly-autoscaler';
  org: string | undefined;
  out: string | undefined;
  force: boolean;
}

/** The option keys each parser reads; the command's declared flags must produce them (else tsc fails there). */
export type CommonKey = 'policy' | 'app' | 'prometheus' | 'timeout' | GlobalKey;
export type RunKey = CommonKey | 'once' | 'dryRun' | 'iterations' | 'interval';
export type ExportKey = 'policy' | 'app' | 'to' | 'org' | 'out' | 'force' | GlobalKey;

const required = (raw: RawInput<'policy'>, name: 'policy', flag: string): string => {
  const v = str(raw, name);
  if (!v) throw new UsageError(`${flag} is required.`, { hint: 'Run with --help for an example.' });
  return v;
};

export function parseCommon(raw: RawInput<CommonKey>): Common {
  const timeout = Number(str(raw, 'timeout') ?? '10');
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 300) throw new UsageError('--timeout must be between 0 and 300 seconds.');
  return {
    policy: required(raw, 'policy', '--policy'),
    app: str(raw, 'app'),
    prometheus: str(raw, 'prometheus'),
    timeoutMs: timeout * 1000,
  };
}

export function parseRun(raw: RawInput<RunKey>): RunOptions {
  const iterations = str(raw, 'iterations');
  if (iterations !== undefined && !/^[1-9]\d*$/.test(iterations))
    throw new UsageError(`--iterations must be a whole number of at least 1, not "${iterations}".`);
  const interval = str(raw, 'interval');
  const intervalMs = interval === undefined ? undefined : parseDuration(interval);
  if (interval !== undefined && (intervalMs === undefined || intervalMs < 1000))
    throw new UsageError(`--interval must be a duration of at least 1s, not "${interval}".`);
  return {
    ...parseCommon(raw),
    once: bool(raw, 'once'),
    dryRun: bool(raw, 'dryRun'),
    iterations: iterations ? Number(iterations) : undefined,
    intervalMs,
  };
}

export function parseExport(raw: RawInput<ExportKey>): ExportOptions {
  const to = str(raw, 'to') ?? 'fly-autoscaler';
  if (to !== 'fly-autoscaler') throw new UsageError(`--to ${to}: the only target is fly-autoscaler.`);
  return {
    policy: required(raw, 'policy', '--policy'),
    app: str(raw, 'app'),
    to,
    org: str(raw, 'org'),
    out: str(raw, 'out'),
    force: bool(raw, 'force'),
  };
}
