/** The markdown summary appended to $GITHUB_STEP_SUMMARY: results, failures and the baseline verdicts. */
import { NOTHING_COMPARED, gateFails, type Comparison } from './baseline.js';
import { checkCell, deltaCell, deviceSummary, figure, kernelName, ms, peakCell, pct, quantity, sig, speedupCell, VERDICT_TEXT, verdictText } from './format.js';
import type { BenchReport } from './report.js';
import { markdownCell } from '../ui/markdown.js';

const row = (cells: readonly string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
const table = (head: readonly string[], rows: ReadonlyArray<readonly string[]>) =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

export function renderMarkdown(report: BenchReport, comparison: Comparison | null, baselinePath: string | null): string {
  const status = report.failures.length ? '❌' : comparison && gateFails(comparison) ? '❌' : '✅';
  const parts = [`### ${status} gpuctl bench (${report.mode === 'cpu' ? 'CPU mode' : 'GPU'}, ${report.quick ? 'quick' : 'full'} sizes)`, '', `${deviceSummary(report)}, gpuctl ${report.tool.version}`, ''];
  if (report.ceiling) parts.push(`Device-copy ceiling: ${sig(report.ceiling.gbs)} GB/s`, '');
  const rows = report.results.map((r) => [kernelName(r), figure(r), peakCell(r), pct(r.pctOfCeiling), checkCell(r), speedupCell(r), ms(r.medianMs)]);
  for (const f of report.failures) rows.push([kernelName(f), '**FAILED**', '', '', `${f.code}: ${f.message}`, '', '']);
  for (const s of report.skipped) rows.push([kernelName(s), 'skipped', '', '', s.reason, '', '']);
  parts.push(table(['Kernel', 'Figure', '% peak', '% copy', 'Check', 'vs CPU', 'Median'], rows), '');
  if (comparison) {
    parts.push(`#### Against \`${baselinePath ?? 'baseline'}\` (fails on > ${comparison.maxRegressionPct}% slower, beyond the noise margin)`, '');
    for (const warning of comparison.warnings) parts.push(`> ${warning}`, '');
    const verdicts = comparison.kernels.map((k) => [
      `${k.suite}/${k.name}`,
      k.before ? quantity(k.before.value, k.unit ?? '').trim() : '–',
      k.after ? quantity(k.after.value, k.unit ?? '').trim() : '–',
      deltaCell(k),
      k.verdict === 'regressed' ? `**${VERDICT_TEXT[k.verdict]}**` : verdictText(k),
    ]);
    parts.push(table(['Kernel', 'Before', 'After', 'Δ time', 'Verdict'], verdicts), '');
    parts.push(comparison.regressed ? `**${comparison.regressed} kernel(s) regressed.**` : comparison.compared === 0 ? `**${NOTHING_COMPARED}**` : 'No regression.', '');
  }
  return `${parts.join('\n')}\n`;
}
