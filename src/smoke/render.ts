/** The smoke verdict as text (a table of checks with their evidence) and as markdown for GITHUB_STEP_SUMMARY. Pure. */
import { markdownCell } from '../ui/markdown.js';
import { printable } from '../ui/printable.js';
import { statusMark } from '../ui/status-mark.js';
import type { Style } from '../ui/style.js';
import { renderTable } from '../ui/table.js';
import type { SmokeResult } from './run.js';

const MB = (bytes: number | null) => (bytes === null ? '–' : `${(bytes / 1e6).toFixed(1)} MB`);

function headline(r: SmokeResult): string {
  return `${r.app} (${r.dir}) with ${r.engine}: ${r.passed ? 'passed' : 'failed'}`;
}

/** With several process groups (or one not named app): which one ran, with what. */
function groupNote(r: SmokeResult): string | null {
  const g = r.processGroup;
  if (g.groups.length === 1 && g.name === 'app') return null;
  const what = g.command ? `its [processes] command, ${g.command.join(' ')}` : "the image's CMD";
  const others = g.groups.filter((n) => n !== g.name);
  return `Process group ${g.name} ran (${what})${others.length ? `; ${others.join(', ')}: not run (--process-group NAME runs one)` : ''}.`;
}

function gpuNote(r: SmokeResult): string | null {
  if (!r.gpu.layout) return null;
  return r.gpu.reserved
    ? 'GPU layout: the GPUs were reserved for the container.'
    : "GPU layout on a machine without a GPU: the start script's CPU fallback is what ran.";
}

export function renderSmoke(r: SmokeResult, style: Style): string {
  const rows = r.checks.map((c) => [statusMark(c.status, style), c.title, printable(c.evidence)]);
  const facts = [
    `build ${r.buildSeconds === null ? '–' : `${r.buildSeconds} s`}, image ${MB(r.image.sizeBytes)}${r.image.kept ? ` (kept: ${r.image.tag})` : ''}`,
    ...(gpuNote(r) ? [gpuNote(r)!] : []),
    ...(groupNote(r) ? [groupNote(r)!] : []),
    ...(r.logFile ? [`Full log: ${r.logFile}`] : []),
  ];
  return `${style.bold(`Smoke: ${headline(r)}`)}\n\n${renderTable(['', 'check', 'evidence'], rows)}\n${facts.join('\n')}\n`;
}

export function renderSmokeMarkdown(r: SmokeResult): string {
  const icon = { pass: '✅', warn: '⚠️', fail: '❌', skip: '➖' } as const;
  return [
    `### gpuctl smoke: ${headline(r)}`,
    '',
    `Build ${r.buildSeconds ?? '–'} s, image ${MB(r.image.sizeBytes)}.${gpuNote(r) ? ` ${gpuNote(r)}` : ''}${groupNote(r) ? ` ${groupNote(r)}` : ''}`,
    '',
    '| | check | evidence |',
    '|---|---|---|',
    ...r.checks.map((c) => `| ${icon[c.status]} | ${markdownCell(c.title)} | ${markdownCell(c.evidence)} |`),
    '',
  ].join('\n');
}
