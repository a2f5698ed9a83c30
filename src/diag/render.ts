/** diag's report for people: a table of checks per GPU and the verdict (text), and the step summary (markdown). */
import type { Style } from '../ui/style.js';
import { renderTable } from '../ui/table.js';
import type { CheckResult } from './health-checks.js';
import type { DiagReport } from './run.js';

const mark = (v: CheckResult['verdict'], style: Style) =>
  v === 'pass' ? style.green('pass') : v === 'warn' ? style.yellow('warn') : v === 'fail' ? style.red('FAIL') : style.dim('skip');

export function renderDiag(report: DiagReport, style: Style): string {
  const parts = report.gpus.map(
    (g) =>
      `${style.bold(`GPU ${g.index}`)}  ${g.name}  ${g.uuid}\n` +
      renderTable(
        ['Check', 'Result', 'Evidence'],
        g.checks.map((c) => [c.name, mark(c.verdict, style), c.evidence]),
      ),
  );
  const head = `gpuctl diag --level ${report.level}: ${report.gpus.length} GPU${report.gpus.length === 1 ? '' : 's'} in ${report.seconds.toFixed(1)} s\n\n`;
  const verdict =
    report.verdict === 'fail'
      ? style.red(`FAIL: ${report.failed.join(', ')}`)
      : report.verdict === 'warn'
        ? style.yellow('PASS with warnings (a warning never fails)')
        : style.green('PASS');
  return `${head}${parts.join('\n')}\n${verdict}\n`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const icon = (v: CheckResult['verdict']) => (v === 'pass' ? '✅ pass' : v === 'warn' ? '⚠️ warn' : v === 'fail' ? '❌ fail' : '➖ skip');

export function renderDiagMarkdown(report: DiagReport): string {
  const lines = [`## gpuctl diag (${report.level}): ${report.verdict.toUpperCase()}`, ''];
  if (report.failed.length) lines.push(`Failed: ${report.failed.join(', ')}`, '');
  for (const g of report.gpus) {
    lines.push(`### GPU ${g.index}: ${cell(g.name)} (${g.verdict})`, '', '| Check | Result | Evidence |', '|---|---|---|');
    for (const c of g.checks) lines.push(`| ${c.name} | ${icon(c.verdict)} | ${cell(c.evidence)} |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
