/** `gpuctl bench` for people: one row per kernel, then failures, skips and the baseline verdicts. */
import type { Style } from '../ui/style.js';
import { renderTable } from '../ui/table.js';
import { NOTHING_COMPARED, type Comparison } from './baseline.js';
import { describeSource, type BenchBinary } from './build.js';
import { checkCell, deltaCell, deviceSummary, figure, kernelName, ms, peakCell, pct, quantity, sig, speedupCell, verdictText } from './format.js';
import { CLUSTER_VIEW_SUITES } from './render-cluster.js';
import type { BenchReport } from './report.js';

export function renderHeader(report: BenchReport, binary: BenchBinary): string {
  const lines = [`gpuctl-bench ${report.program.version ?? ''} · ${report.mode === 'cpu' ? 'CPU mode' : 'GPU'} · ${report.quick ? 'quick sizes' : 'full sizes'}`.replace('  ', ' ')];
  lines.push(`Device: ${deviceSummary(report)}`);
  lines.push(`Program: ${describeSource(binary, report.mode === 'cpu')}`);
  if (report.ceiling) {
    const peak = report.device?.profile?.peakMemoryBandwidthGBs ?? null;
    lines.push(`Device-copy ceiling (memory/memcpy_d2d): ${sig(report.ceiling.gbs)} GB/s${peak ? ` = ${pct((100 * report.ceiling.gbs) / peak)} of the ${peak} GB/s datasheet peak` : ''}`);
  } else if (report.mode === 'gpu') {
    lines.push('Device-copy ceiling: not measured (memory/memcpy_d2d was not selected), so no % copy column');
  }
  return `${lines.join('\n')}\n`;
}

export function renderResults(report: BenchReport, style: Style): string {
  // links, collectives and latency have views of their own (render-cluster.ts)
  const rows = report.results.filter((r) => !CLUSTER_VIEW_SUITES.includes(r.suite)).map((r) => [kernelName(r), figure(r), peakCell(r), pct(r.pctOfCeiling), checkCell(r), speedupCell(r), ms(r.medianMs)]);
  for (const f of report.failures.filter((f) => f.name !== null)) rows.push([kernelName(f), style.red('FAILED'), '', '', f.code, '', '']);
  // links, collectives and latency rows alone fill their own tables: "No kernel ran" only when nothing did
  let text = rows.length
    ? renderTable(['Kernel', 'Figure', '% peak', '% copy', 'Check (error ≤ bound)', 'vs CPU', 'Median'], rows)
    : report.results.length
      ? ''
      : 'No kernel ran.\n';
  const notes: string[] = [];
  if (report.results.some((r) => r.cpu?.fraction !== null && r.cpu?.fraction !== undefined && r.cpu.fraction !== 1)) {
    notes.push('* CPU time measured on a fraction of the work and scaled up.');
  }
  for (const f of report.failures) notes.push(`${style.red('✗')} ${kernelName(f)}: ${f.message} (${f.code})`);
  const reasons = new Map<string, string[]>();
  for (const s of report.skipped) reasons.set(s.reason, [...(reasons.get(s.reason) ?? []), kernelName(s)]);
  for (const [reason, names] of reasons) notes.push(`${style.dim('–')} skipped, ${reason}: ${names.join(', ')}`);
  if (notes.length) text += `\n${notes.join('\n')}\n`;
  const failed = report.failures.length;
  const summary = `${report.results.length} passed, ${failed} failed, ${report.skipped.length} skipped`;
  return `${text ? `${text}\n` : ''}${failed ? style.red(summary) : style.green(summary)}\n`;
}

export function renderComparison(comparison: Comparison, baselinePath: string, style: Style): string {
  const rows = comparison.kernels.map((k) => {
    const verdict = verdictText(k);
    return [
      `${k.suite}/${k.name}`,
      k.before ? quantity(k.before.value, k.unit ?? '').trim() : '–',
      k.after ? quantity(k.after.value, k.unit ?? '').trim() : '–',
      deltaCell(k),
      k.noiseMs === null || !k.before ? '–' : `±${pct((100 * k.noiseMs) / k.before.medianMs)}`,
      k.verdict === 'regressed' ? style.red(verdict) : k.verdict === 'improved' ? style.green(verdict) : verdict,
    ];
  });
  const head = `Compared with ${baselinePath} (fails on > ${comparison.maxRegressionPct}% slower and beyond the noise margin):\n`;
  const warnings = comparison.warnings.map((w) => `${style.yellow('!')} ${w}\n`).join('');
  const table = renderTable(['Kernel', 'Before', 'After', 'Δ time', 'Noise', 'Verdict'], rows);
  const verdict = comparison.regressed
    ? style.red(`${comparison.regressed} kernel${comparison.regressed === 1 ? '' : 's'} regressed.`)
    : comparison.compared === 0
      ? style.red(NOTHING_COMPARED)
      : style.green('No regression.');
  return `${head}${warnings}${table}\n${verdict}\n`;
}
