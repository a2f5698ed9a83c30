/** `gpuctl bench` options: the typed result of the command line, and the pure parsers behind it. */
import { UsageError } from '../errors.js';
import { parseArch } from './arch.js';

export const SUITES = ['memory', 'compute', 'finance', 'latency', 'links', 'collectives'] as const; // native/src/kernels.inc order
export type Suite = (typeof SUITES)[number];
/** Suites that span several GPUs at once (one process for all); the others run on each GPU. */
export const CLUSTER_SUITES: readonly Suite[] = ['links', 'collectives'];
export const DEFAULT_OUTLIER_PCT = 10;

export type BenchAction = 'run' | 'list' | 'build-only';

export interface BenchOptions {
  action: BenchAction;
  suites: Suite[];
  kernels: string[];
  quick: boolean;
  /** --size KEY=VALUE, in the order given (passed through; the program knows its keys). */
  sizes: Array<[key: string, value: number]>;
  repeat: number | null;
  cpu: boolean;
  out: string | null;
  force: boolean;
  baseline: string | null;
  /** Percent; set whenever baseline is. */
  maxRegressionPct: number | null;
  /** sm_XX, only with --build-only. */
  arch: string | null;
  /** --gpus: "all" or device indices (default [0]). */
  gpus: 'all' | number[];
  /** --outlier: a GPU this many percent worse than its peers' median fails a multi-GPU run. */
  outlierPct: number;
}

export const DEFAULT_MAX_REGRESSION_PCT = 10;

/** "memory,compute" (repeatable) → unique items, in order. */
export function splitList(values: readonly string[]): string[] {
  const items = values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  return [...new Set(items)];
}

export function parseSuites(values: readonly string[]): Suite[] {
  const items = splitList(values);
  const unknown = items.filter((s) => !(SUITES as readonly string[]).includes(s));
  if (unknown.length) throw new UsageError(`Unknown suite: ${unknown.join(', ')}.`, { hint: `Choose from ${SUITES.join(', ')}.` });
  return items as Suite[];
}

const SUFFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30 };

/** "65536", "1e6", "64Mi" (2^20), "4M" (10^6) → an integer. */
export function parseCount(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?(?:e\d+)?)([kmg]i?)?$/i.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]) * (SUFFIX[(match[2] ?? '').toLowerCase()] ?? Number.NaN);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** ["bytes=1Gi", "n=4096,paths=1e6"] → [["bytes", 1073741824], ["n", 4096], ["paths", 1000000]]. */
export function parseSizes(values: readonly string[]): Array<[string, number]> {
  const sizes = new Map<string, number>();
  for (const item of splitList(values)) {
    const match = /^([a-z][a-z0-9_]*)=(.+)$/i.exec(item);
    const count = match?.[2] === undefined ? undefined : parseCount(match[2]);
    if (!match?.[1] || count === undefined) {
      throw new UsageError(`--size expects KEY=VALUE with a positive whole number, got "${item}".`, {
        hint: 'For example --size n=4096 --size bytes=256Mi,paths=1e6 (k/M/G are powers of 10, Ki/Mi/Gi powers of 2).',
      });
    }
    sizes.set(match[1].toLowerCase(), count);
  }
  return [...sizes];
}

export function parsePositiveInt(flag: string, text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} expects a whole number of at least 1, got "${text}".`);
  return n;
}

/** "5", "5%", "2.5" → 5, 5, 2.5. */
export function parsePercent(flag: string, text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text.trim().replace(/%$/, ''));
  if (!Number.isFinite(n) || n <= 0 || n >= 1000) throw new UsageError(`${flag} expects a percentage above 0, such as 5 or 7.5%, got "${text}".`);
  return n;
}

export interface RawBenchInput {
  suite: string[];
  kernel: string[];
  size: string[];
  quick: boolean;
  repeat?: string;
  cpu: boolean;
  list: boolean;
  buildOnly: boolean;
  arch?: string;
  out?: string;
  force: boolean;
  baseline?: string;
  maxRegression?: string;
  gpus?: string;
  outlier?: string;
}

/** "all" | "0,1,3" → the GPUs a run uses (default GPU 0). */
export function parseGpus(text: string | undefined): 'all' | number[] {
  if (text === undefined) return [0];
  if (text.trim().toLowerCase() === 'all') return 'all';
  const items = splitList([text]);
  if (items.length === 0 || !items.every((i) => /^\d+$/.test(i))) {
    throw new UsageError(`--gpus expects "all" or device indices such as 0,1,3, got "${text}".`);
  }
  return [...new Set(items.map(Number))].sort((a, b) => a - b);
}

export function parseBenchOptions(raw: RawBenchInput): BenchOptions {
  if (raw.list && raw.buildOnly) throw new UsageError('--list and --build-only cannot be combined.');
  const action: BenchAction = raw.list ? 'list' : raw.buildOnly ? 'build-only' : 'run';
  if (raw.arch !== undefined && action !== 'build-only') {
    throw new UsageError('--arch goes with --build-only.', { hint: 'A run builds for the GPU it finds (or any architecture with --cpu).' });
  }
  if (raw.maxRegression !== undefined && raw.baseline === undefined) throw new UsageError('--max-regression needs --baseline FILE to compare with.');
  // --force alone would replace nothing: the run prints its report, and the user believes a file was written over.
  if (raw.force && raw.out === undefined) throw new UsageError('--force goes with --out FILE (it lets --out replace that file).');
  if (action !== 'run' && (raw.baseline !== undefined || raw.out !== undefined)) {
    throw new UsageError(`--baseline and --out go with a run, not with --${action}.`);
  }
  if (raw.cpu && raw.gpus !== undefined) throw new UsageError('--gpus goes with a GPU run, not with --cpu.');
  const gpus = parseGpus(raw.gpus);
  if (raw.baseline !== undefined && (gpus === 'all' || gpus.length > 1)) {
    throw new UsageError('--baseline compares runs on one GPU.', { hint: 'Compare each GPU with --gpus N, or use --outlier to compare the GPUs of one host.' });
  }
  return {
    action,
    suites: parseSuites(raw.suite),
    kernels: splitList(raw.kernel),
    quick: raw.quick,
    sizes: parseSizes(raw.size),
    repeat: parsePositiveInt('--repeat', raw.repeat),
    cpu: raw.cpu,
    out: raw.out ?? null,
    force: raw.force,
    baseline: raw.baseline ?? null,
    maxRegressionPct: raw.baseline === undefined ? null : (parsePercent('--max-regression', raw.maxRegression) ?? DEFAULT_MAX_REGRESSION_PCT),
    arch: raw.arch === undefined ? null : parseArch(raw.arch),
    gpus,
    outlierPct: parsePercent('--outlier', raw.outlier) ?? DEFAULT_OUTLIER_PCT,
  };
}

/** The native program's argv for a run or a listing (PROTOCOL.md); `gpus`: --device (one) or --gpus (several). */
export function programArgs(
  options: Pick<BenchOptions, 'suites' | 'kernels' | 'quick' | 'sizes' | 'repeat' | 'cpu'>,
  mode: 'run' | 'list',
  gpus: readonly number[] = [],
): string[] {
  const args: string[] = mode === 'list' ? ['--list'] : [];
  if (options.suites.length) args.push('--suite', options.suites.join(','));
  if (options.kernels.length) args.push('--kernel', options.kernels.join(','));
  if (mode === 'list') return args;
  if (options.quick) args.push('--quick');
  if (options.repeat !== null) args.push('--repeat', String(options.repeat));
  for (const [key, value] of options.sizes) args.push('--size', `${key}=${value}`);
  if (options.cpu) args.push('--cpu');
  else if (gpus.length === 1 && gpus[0] !== 0) args.push('--device', String(gpus[0]), '--gpus', String(gpus[0]));
  else if (gpus.length > 1) args.push('--gpus', gpus.join(','));
  return args;
}
