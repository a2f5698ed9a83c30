/**
 * The last `gpuctl diag` verdict, as helper "diag" writes it: `$GPUCTL_DIAG_STATE`, else
 * `${XDG_STATE_HOME:-$HOME/.local/state}/gpuctl/diag-last.json`, shaped
 * `{"schemaVersion":1,"finishedAt":ISO,"level":"quick|medium|long","gpus":[{"index","uuid","verdict"}]}`.
 * An absent file is no verdict (no series); a malformed one is a logged bad read, never a crash.
 */
import { statSync } from 'node:fs';
import { readRegularFileSync } from '../shared/regular-file.js';

export type DiagVerdict = 'pass' | 'warn' | 'fail';
export interface DiagState {
  finishedAtMs: number;
  level: 'quick' | 'medium' | 'long';
  gpus: Array<{ index: number; uuid: string; verdict: DiagVerdict }>;
}

/** The path `gpuctl diag` writes to: one rule for both (shared/diag-state-path.ts). */
export { diagStatePath } from '../shared/diag-state-path.js';

const LEVELS = ['quick', 'medium', 'long'] as const;
const VERDICTS = ['pass', 'warn', 'fail'] as const;

/** Pure: the file's text as a DiagState, or why not. */
export function parseDiagState(text: string): { ok: true; state: DiagState } | { ok: false; reason: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (o.schemaVersion !== 1) return { ok: false, reason: `schemaVersion ${JSON.stringify(o.schemaVersion)}, not 1` };
  const finishedAtMs = typeof o.finishedAt === 'string' ? Date.parse(o.finishedAt) : NaN;
  if (!Number.isFinite(finishedAtMs)) return { ok: false, reason: 'finishedAt is not an ISO time' };
  if (!LEVELS.includes(o.level as never)) return { ok: false, reason: `level ${JSON.stringify(o.level)}` };
  if (!Array.isArray(o.gpus)) return { ok: false, reason: 'no gpus array' };
  const gpus: DiagState['gpus'] = [];
  for (const g of o.gpus as unknown[]) {
    const r = (typeof g === 'object' && g !== null ? g : {}) as Record<string, unknown>;
    if (!Number.isInteger(r.index) || (r.index as number) < 0 || typeof r.uuid !== 'string' || !VERDICTS.includes(r.verdict as never))
      return { ok: false, reason: `a GPU entry is not {index, uuid, verdict: pass|warn|fail}: ${JSON.stringify(g).slice(0, 80)}` };
    gpus.push({ index: r.index as number, uuid: r.uuid, verdict: r.verdict as DiagVerdict });
  }
  return { ok: true, state: { finishedAtMs, level: o.level as DiagState['level'], gpus } };
}

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
