/**
 * The last diag result, for the agent (helper "alerts" reads it): $GPUCTL_DIAG_STATE, else
 * ${XDG_STATE_HOME:-$HOME/.local/state}/gpuctl/diag-last.json, written atomically, in exactly
 * {"schemaVersion":1,"finishedAt","level","gpus":[{"index","uuid","verdict"}]}.
 */
import { dirname } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { makeDirs } from '../shared/make-dirs.js';
import type { DiagReport } from './run.js';

/** Where the state goes: one rule for diag and the agent (shared/diag-state-path.ts). */
export { diagStatePath } from '../shared/diag-state-path.js';

export function diagStateText(report: Pick<DiagReport, 'finishedAt' | 'level' | 'gpus'>): string {
  const gpus = report.gpus.map((g) => ({ index: g.index, uuid: g.uuid, verdict: g.verdict }));
  return `${JSON.stringify({ schemaVersion: 1, finishedAt: report.finishedAt, level: report.level, gpus })}\n`;
}

export function writeDiagState(path: string, report: Pick<DiagReport, 'finishedAt' | 'level' | 'gpus'>): void {
  makeDirs(dirname(path));
  writeFileAtomic(path, diagStateText(report));
}
