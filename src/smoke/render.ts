/** `gpuctl smoke`'s report for people (a verdict table), for machines (--json) and for GITHUB_STEP_SUMMARY. Strings only. */
import { statusMark } from '../ui/status-mark.js';
import type { Style } from '../ui/style.js';
import { renderTable } from '../ui/table.js';
import type { SmokeReport } from './run.js';

export interface SmokeJson extends SmokeReport {
  passed: boolean;
  exitCode: number;
}

const mb = (bytes: number | null) => (bytes === null ? 'unknown' : `${(bytes / 1e6).toFixed(0)} MB`);
const secs = (s: number | null) => (s === null ? 'not built' : `${s.toFixed(1)} s`);

export function verdictOf(report: SmokeReport): boolean {
  return report.failedStep === null && !report.interrupted && report.checks.length > 0;
}

export function renderText(j: SmokeJson, style: Style): string {
  const head = [
    `${j.passed ? style.green('PASS') : style.red(j.interrupted ? 'INTERRUPTED' : 'FAIL')} gpuctl smoke ${j.dir} with ${j.engine.version}`,
    `image ${j.image.tag}: built in ${secs(j.image.buildSeconds)}, ${mb(j.image.sizeBytes)}${j.image.kept ? ' (kept)' : ' (removed)'}`,
    j.gpu.note,
  ];
  const rows = j.checks.map((c) => [statusMark(c.status, style, true), c.name, c.evidence]);
  const tail = j.interrupted
    ? [
        j.checks.some((c) => c.name === 'clean-up')
          ? 'Interrupted; the clean-up failed (above).'
          : 'Interrupted: the container and image smoke started were removed.',
      ]
    : j.failedStep
      ? [`Failed at: ${j.failedStep}. Build log: ${j.buildLog}`]
      : [];
  return `${head.join('\n')}\n\n${renderTable(['', 'check', 'evidence'], rows)}${tail.length ? `\n${tail.join('\n')}\n` : ''}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(j: SmokeJson): string {
  const lines = [
    `### gpuctl smoke: ${j.passed ? '✅ passed' : j.interrupted ? '⚠️ interrupted' : `❌ failed at ${cell(j.failedStep ?? 'unknown')}`}`,
    '',
    `${cell(j.engine.version)}; image built in ${secs(j.image.buildSeconds)}, ${mb(j.image.sizeBytes)}; ${cell(j.gpu.note)}`,
    '',
    '| | check | evidence |',
    '| --- | --- | --- |',
    ...j.checks.map((c) => `| ${c.status === 'pass' ? '✅' : c.status === 'fail' ? '❌' : '➖'} | ${cell(c.name)} | ${cell(c.evidence)} |`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}
