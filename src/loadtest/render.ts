/** A load run for people (text), for machines (--json, schemaVersion 1) and for GITHUB_STEP_SUMMARY (markdown). */
import type { ExitCode } from '../errors.js';
import type { Style } from '../ui/style.js';
import { renderTable } from '../ui/table.js';
import { ms, type GateVerdict } from './gate.js';
import type { LoadSummary } from './stats.js';

export interface LoadtestJson {
  schemaVersion: 1;
  url: string;
  mode: { rate: number | null; connections: number; durationS: number; method: string };
  interrupted: boolean;
  summary: LoadSummary;
  gate: GateVerdict;
  /** The exit code: 0 passed, 1 the gate failed (or no response at all), 130 interrupted (143 by SIGTERM). */
  exitCode: typeof ExitCode.ok | typeof ExitCode.failed | typeof ExitCode.interrupted | typeof ExitCode.terminated;
}

const modeLine = (j: LoadtestJson): string =>
  `${j.mode.method} ${j.url}, ${j.mode.rate === null ? `${j.mode.connections} connections, as fast as they go` : `${j.mode.rate} requests/s over ${j.mode.connections} connection${j.mode.connections === 1 ? '' : 's'}`}, ${j.mode.durationS} s`;

function latencyRows(s: LoadSummary): string[][] {
  const l = s.latencyMs;
  if (!l) return [['latency', 'no 2xx response']];
  return [
    ['p50', ms(l.p50)],
    ['p90', ms(l.p90)],
    ['p95', ms(l.p95)],
    ['p99', ms(l.p99)],
    ['p99.9', ms(l.p999)],
    ['max', ms(l.max)],
  ];
}

/** Why a run failed: with not a single 2xx response the gate is beside the point (nothing answered, or only errors). */
function failedVerdict(j: LoadtestJson): string {
  if (j.summary.ok2xx > 0) return 'Failed: the gate was missed.';
  const what = j.summary.responses > 0 ? 'every response was non-2xx' : 'no request got a response';
  return `Failed: not a single 2xx response (${what}). Check that the service is up and that the URL, method and path are right.`;
}

export function renderText(j: LoadtestJson, style: Style): string {
  const s = j.summary;
  const rows = [
    ['requests/s', s.rps.toFixed(1)],
    ['responses', `${s.responses} in ${s.durationS.toFixed(1)} s`],
    ...latencyRows(s),
    ['non-2xx', String(s.non2xx)],
    ['errors', `${s.errors}${s.timeouts ? ` (${s.timeouts} timeouts)` : ''}`],
  ];
  const codes = Object.entries(s.statusCodes)
    .map(([code, n]) => `${code}: ${n}`)
    .join(', ');
  const reasons = Object.entries(s.errorReasons)
    .map(([reason, n]) => `${reason}: ${n}`)
    .join(', ');
  const gate = j.gate.checks
    .map((c) => `  ${c.passed ? style.green('✓') : style.red('✗')} ${c.name} ${c.actual} (limit ${c.limit})`)
    .join('\n');
  const verdict = j.interrupted
    ? style.yellow('Interrupted: the figures cover the part that ran.')
    : j.gate.passed
      ? style.green('Passed.')
      : style.red(failedVerdict(j));
  return `${modeLine(j)}${j.interrupted ? ' (interrupted)' : ''}\n\n${renderTable(['Measure', 'Value'], rows)}${codes ? `status codes: ${codes}\n` : ''}${reasons ? `errors by reason: ${reasons}\n` : ''}${gate ? `\n${gate}\n` : ''}\n${verdict}\n`;
}

export function renderMarkdown(j: LoadtestJson): string {
  const s = j.summary;
  const l = s.latencyMs;
  const cell = (v: number | undefined) => (v === undefined ? '–' : ms(v));
  const gate = j.gate.checks.map((c) => `| ${c.passed ? '✅' : '❌'} ${c.name} | ${c.actual} | ${c.limit} |`);
  return [
    `### gpuctl loadtest: ${j.interrupted ? 'interrupted' : j.gate.passed ? 'passed' : 'failed'}`,
    '',
    modeLine(j),
    '',
    '| requests/s | p50 | p90 | p95 | p99 | p99.9 | non-2xx | errors |',
    '|---|---|---|---|---|---|---|---|',
    `| ${s.rps.toFixed(1)} | ${cell(l?.p50)} | ${cell(l?.p90)} | ${cell(l?.p95)} | ${cell(l?.p99)} | ${cell(l?.p999)} | ${s.non2xx} | ${s.errors} |`,
    ...(gate.length ? ['', '| gate | measured | limit |', '|---|---|---|', ...gate] : []),
    '',
  ].join('\n');
}
