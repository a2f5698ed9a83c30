/**
 * The last diag result, for the agent (helper "alerts" reads it): $GPUCTL_DIAG_STATE, else
 * ${XDG_STATE_HOME:-$HOME/.local/state}/gpuctl/diag-last.json, written atomically, in exactly
 * {"schemaVersion":1,"finishedAt","level","gpus":[{"index","uuid","verdict"}]}.
 */
import { dirname, join } from 'node:path';
import type { Env } from '../context.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { makeDirs } from '../shared/make-dirs.js';
import { xdgHome } from '../shared/paths.js';
import type { DiagReport } from './run.js';

/**
 * Where the state goes; undefined with no home (HOME set but empty, and no XDG_STATE_HOME): a relative
 * `.local/state/...` would land in the working directory, where the agent (agent/diag-state.ts) never looks.
 */
export function diagStatePath(env: Env, home: string): string | undefined {
  if (env.GPUCTL_DIAG_STATE) return env.GPUCTL_DIAG_STATE;
  const base = xdgHome(env, 'state', home || undefined);
  return base === undefined ? undefined : join(base, 'gpuctl', 'diag-last.json');
}

export function diagStateText(report: Pick<DiagReport, 'finishedAt' | 'level' | 'gpus'>): string {
  const gpus = report.gpus.map((g) => ({ index: g.index, uuid: g.uuid, verdict: g.verdict }));
  return `${JSON.stringify({ schemaVersion: 1, finishedAt: report.finishedAt, level: report.level, gpus })}\n`;
}

export function writeDiagState(path: string, report: Pick<DiagReport, 'finishedAt' | 'level' | 'gpus'>): void {
  makeDirs(dirname(path));
  writeFileAtomic(path, diagStateText(report));
}
