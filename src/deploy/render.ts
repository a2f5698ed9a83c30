/** `gpuctl deploy`'s summaries: text for people, markdown for GITHUB_STEP_SUMMARY. Strings only. */
import { markdownCell } from '../ui/markdown.js';
import { formatDuration } from '../shared/duration.js';
import type { Style } from '../ui/style.js';
import { renderPairs, renderTable } from '../ui/table.js';
import { statusMark } from '../ui/status-mark.js';
import type { PreflightRow } from './preflight.js';
import type { DeployReport } from './report.js';
import { isIdle, restingState } from '../flyio/machines.js';

export function renderPreflight(rows: readonly PreflightRow[], style: Style): string {
  return rows.map((row) => `${statusMark(row.status, style)} ${row.name.padEnd(8)} ${row.detail}\n`).join('');
}

function headline(report: DeployReport, style: Style): string {
  const app = report.app ?? 'the app';
  const took = formatDuration(report.durationMs);
  switch (report.outcome) {
    case 'deployed':
      return style.green(`Deployed ${app} v${report.release?.version ?? '?'} in ${took}.`);
    case 'dry-run':
      return `Dry run: preflight passed; gpuctl would run:`;
    case 'preflight-failed':
      return style.red(`Preflight failed: nothing was built or deployed.`);
    default:
      return style.red(`Deploy of ${app} failed after ${took} (${report.outcome}).`);
  }
}

export function renderDeploy(report: DeployReport, style: Style): string {
  let out = `${headline(report, style)}\n`;
  if (report.outcome === 'dry-run') return `${out}${report.commands.map((c) => `  ${c}\n`).join('')}`;
  if (report.outcome === 'preflight-failed') return out;
  const pairs: Array<[string, string]> = [];
  if (report.release) {
    const notes = [report.ok ? '' : 'not healthy', report.previousRelease ? `was v${report.previousRelease.version}` : ''].filter(Boolean);
    pairs.push([
      'Release',
      `v${report.release.version}${notes.length ? ` (${notes.join(', ')})` : ''}  ${report.release.image ?? ''}`.trimEnd(),
    ]);
  }
  const idle = report.machines.filter((m) => isIdle(m.atRest)).length;
  const idleNote = idle
    ? ` (${idle} idle since, after passing its checks: stopped by autostop, or exited cleanly for the proxy to start again)`
    : '';
  if (report.machines.length) pairs.push(['Machines', `${report.machines.length} in ${report.regions.join(', ')}${idleNote}`]);
  if (report.checks.total) {
    // All checks passing on a rollout that is not healthy: say why both hold (issue 13).
    const why =
      !report.ok && report.checks.passing === report.checks.total && report.problems[0]
        ? `; not healthy because machine ${report.problems[0].machineId} ${report.problems[0].reason}`
        : '';
    pairs.push(['Checks', `${report.checks.passing}/${report.checks.total} passing${why}`]);
  }
  if (report.gpu) pairs.push(['GPUs', report.gpu.map((g) => `${g.machineId}: ${g.detail}`).join('; ') || 'no started machine to check']);
  if (report.rollback) {
    const r = report.rollback;
    pairs.push([
      'Rollback',
      `to v${r.toVersion} → ${r.release ? `v${r.release}` : 'no release'}, ${r.healthy ? 'healthy' : `not healthy: ${r.error ?? ''}`}`,
    ]);
  }
  if (report.logFile) pairs.push(['Log', report.logFile]);
  out += renderPairs(pairs);
  if (report.machines.length) {
    out += `\n${renderTable(
      ['Machine', 'Region', 'Group', 'State', 'Release', 'Checks'],
      report.machines.map((m) => [
        m.id,
        m.region,
        m.processGroup,
        restingState(m.state, m.atRest),
        m.release === null ? '-' : `v${m.release}`,
        `${m.checks.passing}/${m.checks.total}`,
      ]),
    )}`;
  }
  if (report.problems.length)
    out += `\nProblems:\n${report.problems.map((p) => `  ${p.machineId === '-' ? '' : `${p.machineId} (${p.region}): `}${p.reason}\n`).join('')}`;
  return out;
}

export function renderMarkdown(report: DeployReport): string {
  const icon = report.ok ? '✅' : '❌';
  const title =
    report.outcome === 'deployed' ? `${report.app} v${report.release?.version ?? '?'}` : `${report.app ?? ''} ${report.outcome}`;
  const lines = [`### ${icon} gpuctl deploy: ${title}`, ''];
  if (report.error) lines.push(`**${report.error.message}**`, '');
  lines.push(
    '| Check | Result |',
    '|---|---|',
    ...report.preflight.map((r) => `| ${r.name} | ${r.status}: ${markdownCell(r.detail)} |`),
    '',
  );
  if (report.machines.length) {
    lines.push('| Machine | Region | State | Release | Checks |', '|---|---|---|---|---|');
    lines.push(
      ...report.machines.map(
        (m) =>
          `| \`${m.id}\` | ${m.region} | ${restingState(m.state, m.atRest)} | ${m.release === null ? '-' : `v${m.release}`} | ${m.checks.passing}/${m.checks.total} |`,
      ),
      '',
    );
  }
  if (report.rollback)
    lines.push(`Rolled back to v${report.rollback.toVersion}: ${report.rollback.healthy ? 'healthy' : 'not healthy'}.`, '');
  lines.push(`Duration: ${formatDuration(report.durationMs)}`, '');
  return `${lines.join('\n')}\n`;
}
