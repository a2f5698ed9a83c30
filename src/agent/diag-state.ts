/**
 * The last `gpuctl diag` verdict, as helper "diag" writes it: `$GPUCTL_DIAG_STATE`, else
 * `${XDG_STATE_HOME:-$HOME/.local/state}/gpuctl/diag-last.json`,
 * in the format of shared/diag-state.ts (each GPU with the time and level of the run that last checked it).
 * An absent file is no verdict (no series); a malformed one is a logged bad read, never a crash.
 */
import { statSync } from 'node:fs';
import { parseDiagState, type DiagState } from '../shared/diag-state.js';
import { readRegularFileSync } from '../shared/regular-file.js';

/** The format and its one parser live in shared/diag-state.ts (diag reads the file too, to merge into it). */
export { parseDiagState, type DiagState, type DiagVerdict } from '../shared/diag-state.js';

/** The path `gpuctl diag` writes to: one rule for both (shared/diag-state-path.ts). */
export { diagStatePath } from '../shared/diag-state-path.js';

/** Re-reads the file when its mtime changes; logs a bad read once per version of the file. */
export function diagStateReader(path: string | undefined, log: (message: string) => void): () => DiagState | null {
  let seenMtime = -1;
  let current: DiagState | null = null;
  return () => {
    if (path === undefined) return null;
    let mtime: number;
    try {
      mtime = statSync(path).mtimeMs;
    } catch {
      seenMtime = -1;
      return (current = null);
    }
    if (mtime === seenMtime) return current;
    seenMtime = mtime;
    let text: string;
    try {
      // Never a blocking open: a FIFO here would freeze the whole agent (every endpoint) on the next scrape.
      text = readRegularFileSync(path, 'utf8');
    } catch (error) {
      log(`cannot read the last diag verdict ${path}: ${(error as Error).message}`);
      return (current = null);
    }
    const parsed = parseDiagState(text);
    if (!parsed.ok) log(`the last diag verdict ${path} is unreadable (${parsed.reason}); no gpuctl_diag_* series`);
    return (current = parsed.ok ? parsed.state : null);
  };
}
