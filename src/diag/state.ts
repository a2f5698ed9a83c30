/**
 * The diag verdicts per GPU, for the agent: $GPUCTL_DIAG_STATE, else
 * ${XDG_STATE_HOME:-$HOME/.local/state}/gpuctl/diag-last.json, in the format of shared/diag-state.ts. A run merges
 * into the file (its GPUs' entries replaced, the others kept while the host still has them) and writes it atomically.
 */
import { dirname } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { diagStateJson, mergeDiagState, parseDiagState, type DiagState } from '../shared/diag-state.js';
import { makeDirs } from '../shared/make-dirs.js';
import { readRegularFileSync } from '../shared/regular-file.js';
import type { DiagReport } from './run.js';

/** Where the state goes: one rule for diag and the agent (shared/diag-state-path.ts). */
export { diagStatePath } from '../shared/diag-state-path.js';

type RunPart = Pick<DiagReport, 'finishedAt' | 'level' | 'gpus'>;
type HostGpu = { index: number; uuid: string | null };

/** Pure: the file's text after this run, given the state before it and the GPUs the host has now. */
export function diagStateText(report: RunPart, previous: DiagState | null = null, host: readonly HostGpu[] = report.gpus): string {
  const run = { finishedAtMs: Date.parse(report.finishedAt), level: report.level, gpus: report.gpus };
  return diagStateJson(mergeDiagState(previous, run, host));
}

/** The state before this run: none when the file is absent; an unreadable or malformed one is said and replaced. */
function readPrevious(path: string, warn: (message: string) => void): DiagState | null {
  let text: string;
  try {
    text = readRegularFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    warn(`Could not read the diag state file ${path} (${(error as Error).message}); only this run's GPUs are recorded.`);
    return null;
  }
  const parsed = parseDiagState(text);
  if (parsed.ok) return parsed.state;
  warn(`The diag state file ${path} is unreadable (${parsed.reason}); only this run's GPUs are recorded.`);
  return null;
}

export function writeDiagState(path: string, report: RunPart, host: readonly HostGpu[], warn: (message: string) => void): void {
  makeDirs(dirname(path));
  writeFileAtomic(path, diagStateText(report, readPrevious(path, warn), host));
}
