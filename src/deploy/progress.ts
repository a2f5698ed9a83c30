/**
 * What a deploy reports while it runs, and the words for it. The deploy emits these events; its command
 * shows them on a spinner (one line per finished step in CI logs, nothing with --json). `label` prefixes
 * the steps of a rollback ("Rollback to v3: ").
 */
import { formatDuration } from '../shared/duration.js';
import { PHASE_LABEL, type Phase } from './phases.js';

/** A phase of `flyctl deploy` began, or ended: done, failed, or quietly (flyctl finished while in it, or Ctrl-C). */
export type PhaseEvent =
  | { kind: 'begin'; label: string; phase: Phase }
  | { kind: 'end'; label: string; phase: Phase; outcome: 'done' | 'failed' | 'quiet'; elapsedMs: number; image?: string | undefined };

/** The wait for the new release's machines: begun, each poll, and how it ended. */
export type RolloutEvent =
  | { kind: 'begin'; label: string; release: number | undefined }
  | { kind: 'poll'; label: string; release: number | undefined; machines: number; checks: { passing: number; total: number } }
  | {
      kind: 'ready';
      label: string;
      release: number | undefined;
      machines: number;
      regions: readonly string[];
      checks: { passing: number; total: number };
      /** Machines that passed during the wait and went idle since (stopped by autostop, or a clean exit): accepted. */
      idle?: number;
      elapsedMs: number;
    }
  | { kind: 'unhealthy'; label: string; elapsedMs: number; problems: number };

export const PREFLIGHT_TEXT = 'Preflight: flyctl, login, fly.toml, app, region';

export function phaseText(e: PhaseEvent): string {
  const words = PHASE_LABEL[e.phase];
  if (e.kind === 'begin') return `${e.label}${words.doing}`;
  const took = formatDuration(e.elapsedMs);
  if (e.outcome === 'failed') return `${e.label}${words.doing} failed (${took})`;
  return `${e.label}${words.done}${e.image ? ` ${e.image}` : ''} (${took})`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function rolloutText(e: RolloutEvent): string {
  const v = (release: number | undefined) => `v${release ?? '?'}`;
  switch (e.kind) {
    case 'begin':
      return `${e.label}Waiting for the machines of ${v(e.release)} to be started with passing checks`;
    case 'poll':
      return `${e.label}Waiting for ${v(e.release)}: ${e.machines} machine(s), checks ${e.checks.passing}/${e.checks.total} passing`;
    case 'ready': {
      const idle = e.idle
        ? `; ${e.idle} of them idle since, after passing its checks (stopped by autostop, or exited cleanly for the proxy to start again)`
        : '';
      return `${e.label}${plural(e.machines, 'machine')} of v${e.release} started in ${e.regions.join(', ')}, checks ${e.checks.passing}/${e.checks.total} passing${idle} (${formatDuration(e.elapsedMs)})`;
    }
    case 'unhealthy':
      return `${e.label}Machines not healthy after ${formatDuration(e.elapsedMs)}: ${plural(e.problems, 'problem')}`;
  }
}
