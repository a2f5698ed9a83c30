/** diag's report for people: a table of checks per GPU and the verdict (text), and the step summary (markdown). */
import { markdownCell } from '../ui/markdown.js';
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
  const unusable = report.unusable.map((u) => `${style.red(u.message)} (no verdict)\n`).join('');
  return `${head}${parts.join('\n')}\n${unusable}${verdict}\n`;
}

const cell = markdownCell;
const icon = (v: CheckResult['verdict']) => (v === 'pass' ? '✅ pass' : v === 'warn' ? '⚠️ warn' : v === 'fail' ? '❌ fail' : '➖ skip');

export function renderDiagMarkdown(report: DiagReport): string {
  const lines = [`## gpuctl diag (${report.level}): ${report.verdict.toUpperCase()}`, ''];
  if (report.failed.length) lines.push(`Failed: ${report.failed.join(', ')}`, '');
  for (const u of report.unusable) lines.push(`${cell(u.message)} (no verdict)`, '');
  for (const g of report.gpus) {
    lines.push(`### GPU ${g.index}: ${cell(g.name)} (${g.verdict})`, '', '| Check | Result | Evidence |', '|---|---|---|');
    for (const c of g.checks) lines.push(`| ${c.name} | ${icon(c.verdict)} | ${cell(c.evidence)} |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** Hours and minutes ("12 h 5 min", "45 min"), for a run's length. */
function hoursMinutes(s: number): string {
  const h = Math.floor(s / 3600),
    m = Math.round((s % 3600) / 60);
  return h ? `${h} h${m ? ` ${m} min` : ''}` : `${Math.max(1, m)} min`;
}

/** A run this long (all GPUs together) is announced at its start: what it does, until when, how to stop it. */
export const LONG_RUN_S = 3600;
/** What a run past a stress takes per GPU (start-up, known-result kernels, memory test, copies): the H200's medium took 12 s. */
const OVERHEAD_S = 15;

export function renderLongRunNotice(plan: { level: string; durationS: number }, gpus: number, start: Date): string | undefined {
  const total = Math.round((gpus * (plan.durationS + OVERHEAD_S)) / 60) * 60;
  if (plan.level === 'quick' || total < LONG_RUN_S) return undefined;
  const until = new Date(start.getTime() + total * 1000).toISOString().replace(/:\d\d\.\d+Z$/, 'Z');
  const each = gpus === 1 ? 'on 1 GPU' : `on each of ${gpus} GPUs, one after another`;
  return (
    `diag --level ${plan.level} runs ${hoursMinutes(plan.durationS)} of stress ${each}: about ${hoursMinutes(total)} in all ` +
    `(until about ${until}). Ctrl-C stops it (exit 130) and records no verdict.`
  );
}
