/** Number formatting shared by the table and markdown renderers. */
import type { BenchReport, BenchResult } from './report.js';
import type { KernelComparison } from './baseline.js';

/** Three significant figures, without exponent for everyday magnitudes: 2950.1 → "2950", 0.7134 → "0.713". */
export function sig(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 0.01 || abs === 0) return value.toPrecision(3);
  return value.toExponential(2);
}

export const pct = (value: number | null): string => (value === null ? '–' : `${value.toFixed(1)}%`);

const PREFIXES = ['', 'k', 'M', 'G', 'T', 'P'];

/**
 * A value in its unit with the SI prefix rescaled so the number stays short: 459499 Mpaths/s →
 * "459 Gpaths/s", 0.9 TFLOP/s → "900 GFLOP/s"; up from 10,000, down below 1. 2949 GB/s stays as it
 * is (four digits read well for bandwidth); units without a rate (us, ms) are never rescaled.
 */
export function quantity(value: number, unit: string): string {
  const match = /^([kMGTP]?)(\w+\/s)$/.exec(unit);
  if (!match || !Number.isFinite(value)) return `${sig(value)} ${unit}`;
  let index = PREFIXES.indexOf(match[1] ?? '');
  let scaled = value;
  while (Math.abs(scaled) >= 1e4 && index < PREFIXES.length - 1) [scaled, index] = [scaled / 1e3, index + 1];
  while (Math.abs(scaled) < 1 && scaled !== 0 && index > 0) [scaled, index] = [scaled * 1e3, index - 1];
  return `${sig(scaled)} ${PREFIXES[index]}${match[2]}`;
}

export const figure = (r: Pick<BenchResult, 'value' | 'unit'>): string => quantity(r.value, r.unit);

export const kernelName = (r: { suite: string | null; name: string | null }): string => [r.suite, r.name].filter(Boolean).join('/') || '(program)';

export function peakCell(r: BenchResult): string {
  if (r.pctOfPeak === null) return '–';
  return `${pct(r.pctOfPeak)} ${r.peakBasis === 'bandwidth' ? 'bw' : r.peakBasis}`;
}

/** Errors and bounds: 1.2e-7, 1e-5, 0.84, 4. */
export function small(value: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  const text = abs >= 0.01 && abs < 1e4 ? value.toPrecision(2) : value.toExponential(1);
  return text.replace(/\.0(?=e|$)/, '').replace(/(\.\d*?)0+(?=e|$)/, '$1');
}

export function checkCell(r: BenchResult): string {
  const { metric, error, bound } = r.check;
  if (error === null) return metric;
  return `${metric} ${small(error)}${bound === null ? '' : ` ≤ ${small(bound)}`}`;
}

export function speedupCell(r: BenchResult): string {
  const speedup = r.cpu?.speedup ?? null;
  if (speedup === null) return '–';
  const estimated = r.cpu?.fraction !== null && r.cpu?.fraction !== undefined && r.cpu.fraction !== 1;
  return `${speedup >= 10 ? speedup.toFixed(0) : speedup.toFixed(1)}×${estimated ? '*' : ''}`;
}

export const ms = (value: number): string => `${sig(value)} ms`;

export function deviceSummary(report: BenchReport): string {
  const d = report.device;
  if (!d) return `CPU implementations on ${report.host.cpu} (${report.host.logicalCores} threads)`;
  const clocks = [d.clocks.smMHz === null ? null : `SM ${d.clocks.smMHz} MHz`, d.clocks.memMHz === null ? null : `memory ${d.clocks.memMHz} MHz`].filter(Boolean).join(', ');
  const sm = d.computeCapability ? `sm_${d.computeCapability.replace('.', '')}` : 'unknown arch';
  return `${d.name} (${sm}, driver ${d.driverVersion ?? 'unknown'}, CUDA ${d.cudaVersion ?? 'unknown'}${clocks ? `, ${clocks}` : ''})`;
}

export function deltaCell(k: KernelComparison): string {
  if (k.deltaPct === null) return '–';
  return `${k.deltaPct > 0 ? '+' : ''}${k.deltaPct.toFixed(1)}%`;
}

/** The verdict, with the reason where it explains a kernel that was not compared. */
export function verdictText(k: KernelComparison): string {
  const text = VERDICT_TEXT[k.verdict];
  return (k.verdict === 'only-baseline' || k.verdict === 'incomparable' || k.verdict === 'ungated') && k.reason ? `${text} (${k.reason})` : text;
}

export const VERDICT_TEXT: Record<KernelComparison['verdict'], string> = {
  regressed: 'REGRESSED',
  noise: 'within noise',
  ungated: 'slower (not gated)',
  unchanged: 'unchanged',
  improved: 'improved',
  'only-new': 'new',
  'only-baseline': 'missing',
  incomparable: 'not compared',
};
