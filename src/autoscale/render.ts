/** Autoscale output: the plan for people, one line per decision in the loop, and the JSON record. */
import type { Style } from '../ui/style.js';
import type { Step } from './run.js';
import { latest, type Read } from './signals.js';

const regions = (counts: Record<string, number>) =>
  Object.keys(counts).length === 0
    ? 'none'
    : Object.entries(counts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([r, n]) => `${r} ${n}`)
        .join(', ');

function signal(read: Read | undefined): { latest: number | null; samples: number; error: string | null } | undefined {
  if (!read) return undefined;
  return read.kind === 'ok'
    ? { latest: latest(read), samples: read.points.length, error: null }
    : { latest: null, samples: 0, error: read.reason };
}

/** The --json record: one object for plan, one NDJSON line per step for run. */
export function jsonRecord(step: Step) {
  const d = step.decision;
  return {
    schemaVersion: 1 as const,
    time: step.time,
    app: d.app,
    group: d.group,
    action: d.action,
    rule: d.rule,
    reason: d.reason,
    current: d.current,
    target: d.target,
    before: d.before,
    after: d.after,
    regions: d.regions,
    floor: d.floor,
    max: d.max,
    windows: d.windows,
    notes: d.notes,
    signals: {
      utilization: signal(step.samples.utilization),
      errorRate: signal(step.samples.errorRate),
      latency: signal(step.samples.latency),
    },
    queries: Object.fromEntries(step.queries.map((q) => [q.name, q.query])),
    command: step.command,
    applied: step.applied,
    dryRun: step.dryRun,
    problems: step.problems,
  };
}

const fmt = (v: number | null) => (v === null ? '-' : Number.isInteger(v) ? String(v) : v.toPrecision(3));

export function renderPlan(step: Step, style: Style): string {
  const d = step.decision;
  const arrow = d.action === 'hold' ? `${d.current} machine(s), no change` : `${d.current} → ${d.target} machine(s)`;
  const head = d.action === 'up' ? style.green(arrow) : d.action === 'down' ? style.yellow(arrow) : arrow;
  const lines = [`${d.app}, group ${d.group}: ${head} (${style.bold(d.rule)})`, `  why:      ${d.reason}`];
  if (d.action !== 'hold') lines.push(`  regions:  ${regions(d.before)} → ${regions(d.after)}`);
  lines.push(`  bounds:   floor ${d.floor}, max ${d.max}${d.windows.length ? `; ${d.windows.join('; ')}` : ''}`);
  const s = step.samples;
  const sig = (name: string, read: Read | undefined) =>
    read ? `${name} ${read.kind === 'ok' ? `${fmt(latest(read))} (${read.points.length} samples)` : style.red('unreadable')}` : null;
  lines.push(
    `  signals:  ${[sig('utilisation', s.utilization), sig('error rate', s.errorRate), sig('latency', s.latency)].filter(Boolean).join(', ')}`,
  );
  for (const note of d.notes) lines.push(`  note:     ${note}`);
  if (step.command) lines.push(`  ${step.applied ? 'ran' : 'would run'}: ${step.command}`);
  for (const p of step.problems) lines.push(`  ${style.red('problem')}:  ${p}`);
  return `${lines.join('\n')}\n`;
}

/** One line per loop step (text mode). */
export function renderStepLine(step: Step): string {
  const d = step.decision;
  const change =
    d.action === 'hold'
      ? `${d.current} (hold)`
      : `${d.current} → ${d.target}${step.applied ? '' : step.dryRun ? ' (dry run)' : ' (not applied)'}`;
  const notes = d.notes.length ? ` [${d.notes.join('; ')}]` : '';
  const problems = step.problems.length ? ` PROBLEM: ${step.problems.join('; ')}` : '';
  return `${step.time} ${d.app}/${d.group} ${change} ${d.rule}: ${d.reason}${notes}${problems}\n`;
}

/** The end of a run of several decisions: how many, and which failed (1-based), so an earlier failure is not lost. */
export function renderRunSummary(decisions: number, failed: readonly number[]): string {
  const plural = (n: number) => `${n} decision${n === 1 ? '' : 's'}`;
  if (failed.length === 0) return `${plural(decisions)}, none failed.`;
  return `${failed.length} of ${plural(decisions)} failed (${failed.map((n) => `#${n}`).join(', ')}): exit 1.`;
}
