/**
 * Baseline gating: compares this run's medians with a previous `--json` report's, kernel by kernel.
 *
 * The rule (docs/bench.md): with Δ = new median time − old median time, a kernel REGRESSED when
 *   Δ > PCT% of the old median   AND   Δ > 3·√(σ_old² + σ_new²),
 * where σ is each run's robust sample spread, 1.4826 × MAD(samplesMs). It IMPROVED under the
 * mirror condition. Slower by more than PCT but inside the noise margin is reported as "noise" and
 * does not fail. Kernels on one side only, or run at different sizes, are reported, never fatal.
 */
import { hostBound } from './host-bound.js';
import { MAD_TO_SIGMA, mad } from './stats.js';

export const NOISE_SIGMAS = 3;

export interface ComparableResult {
  suite: string;
  name: string;
  unit: string;
  value: number;
  medianMs: number;
  samplesMs: readonly number[];
  size: Record<string, number>;
}

export interface Comparable {
  mode: 'gpu' | 'cpu';
  device: { name: string } | null;
  results: readonly ComparableResult[];
}

export type Verdict = 'regressed' | 'noise' | 'ungated' | 'unchanged' | 'improved' | 'only-new' | 'only-baseline' | 'incomparable';

export interface KernelComparison {
  suite: string;
  name: string;
  unit: string | null;
  verdict: Verdict;
  before: { value: number; medianMs: number } | null;
  after: { value: number; medianMs: number } | null;
  /** (after / before − 1) × 100 on the median time: positive is slower. */
  deltaPct: number | null;
  /** The noise margin in ms (3 combined robust sigmas). */
  noiseMs: number | null;
  reason: string | null;
}

export interface Comparison {
  maxRegressionPct: number;
  regressed: number;
  /** Kernels that had a comparable figure on both sides; 0 means the gate compared nothing and fails. */
  compared: number;
  kernels: KernelComparison[];
  /** Things worth knowing that do not fail the gate (other device, other mode). */
  warnings: string[];
}

const COMPARED: ReadonlySet<Verdict> = new Set(['regressed', 'noise', 'ungated', 'unchanged', 'improved']);
/** A gate fails when it regressed a kernel or compared none (a baseline that shares no kernel proves nothing). */
export const gateFails = (c: Comparison): boolean => c.regressed > 0 || c.compared === 0;
export const NOTHING_COMPARED = 'Nothing compared: no kernel of this run has a comparable figure in the baseline.';
const keyOf = (r: { suite: string; name: string }) => `${r.suite}/${r.name}`;
const sameSize = (a: Record<string, number>, b: Record<string, number>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

export function noiseMarginMs(before: readonly number[], after: readonly number[]): number {
  const a = MAD_TO_SIGMA * mad(before);
  const b = MAD_TO_SIGMA * mad(after);
  return NOISE_SIGMAS * Math.sqrt(a * a + b * b);
}

export function compareKernel(before: ComparableResult, after: ComparableResult, maxRegressionPct: number): KernelComparison {
  const base = { suite: after.suite, name: after.name, unit: after.unit, before: { value: before.value, medianMs: before.medianMs }, after: { value: after.value, medianMs: after.medianMs } };
  if (before.unit !== after.unit) return { ...base, verdict: 'incomparable', deltaPct: null, noiseMs: null, reason: `unit changed from ${before.unit}` };
  if (!sameSize(before.size, after.size)) return { ...base, verdict: 'incomparable', deltaPct: null, noiseMs: null, reason: 'ran at other sizes' };
  const delta = after.medianMs - before.medianMs;
  const deltaPct = before.medianMs > 0 ? (100 * delta) / before.medianMs : 0;
  const noiseMs = noiseMarginMs(before.samplesMs, after.samplesMs);
  const beyondThreshold = Math.abs(deltaPct) > maxRegressionPct;
  const beyondNoise = Math.abs(delta) > noiseMs;
  const verdict: Verdict = !beyondThreshold ? 'unchanged' : !beyondNoise ? (delta > 0 ? 'noise' : 'unchanged') : delta > 0 ? 'regressed' : 'improved';
  const host = hostBound(after.suite, after.name);
  if (host && verdict === 'regressed') return { ...base, verdict: 'ungated', deltaPct, noiseMs, reason: `${host}; shown, not gated` };
  return { ...base, verdict, deltaPct, noiseMs, reason: verdict === 'noise' ? 'slower, but within the noise margin' : null };
}

export function compareRuns(
  baseline: Comparable,
  current: Comparable,
  maxRegressionPct: number,
  failed: ReadonlyArray<{ suite: string | null; name: string | null }> = [],
): Comparison {
  const failedKeys = new Set(failed.map((f) => `${f.suite}/${f.name}`));
  const warnings: string[] = [];
  if (baseline.mode !== current.mode) warnings.push(`The baseline ran in ${baseline.mode} mode and this run in ${current.mode} mode: nothing is compared.`);
  if (baseline.device && current.device && baseline.device.name !== current.device.name) {
    warnings.push(`The baseline ran on ${baseline.device.name}, this run on ${current.device.name}.`);
  }
  const before = new Map(baseline.results.map((r) => [keyOf(r), r]));
  const kernels: KernelComparison[] = [];
  for (const after of current.results) {
    const old = before.get(keyOf(after));
    before.delete(keyOf(after));
    if (!old) {
      kernels.push({ suite: after.suite, name: after.name, unit: after.unit, verdict: 'only-new', before: null, after: { value: after.value, medianMs: after.medianMs }, deltaPct: null, noiseMs: null, reason: 'not in the baseline' });
    } else if (baseline.mode !== current.mode) {
      kernels.push({ ...compareKernel(old, after, maxRegressionPct), verdict: 'incomparable', deltaPct: null, noiseMs: null, reason: `baseline ran in ${baseline.mode} mode` });
    } else {
      kernels.push(compareKernel(old, after, maxRegressionPct));
    }
  }
  for (const old of before.values()) {
    kernels.push({ suite: old.suite, name: old.name, unit: old.unit, verdict: 'only-baseline', before: { value: old.value, medianMs: old.medianMs }, after: null, deltaPct: null, noiseMs: null, reason: failedKeys.has(keyOf(old)) ? 'failed in this run' : 'not in this run' });
  }
  const compared = kernels.filter((k) => COMPARED.has(k.verdict)).length;
  return { maxRegressionPct, regressed: kernels.filter((k) => k.verdict === 'regressed').length, compared, kernels, warnings };
}
