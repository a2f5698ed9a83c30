/**
 * The last actions, kept between runs for the cooldowns: one small JSON file per app and group
 * under $XDG_STATE_HOME/gpuctl/autoscale/ (default ~/.local/state), written atomically (a temp file
 * in the same directory, synced, renamed). An unreadable file is treated as "acted just now", so a
 * lost state can delay an action by one cooldown but never cause a burst.
 */
import { dirname } from 'node:path';
import type { Env } from '../context.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { describeErrno, makeDirs } from '../shared/make-dirs.js';
import { gpuctlDir } from '../shared/paths.js';
import { jsonText } from '../ui/output.js';
import type { LastActions } from './decide.js';
import { NotRegularFileError, readRegularFile } from '../shared/regular-file.js';

export interface StateFile {
  version: 1;
  app: string;
  group: string;
  last: LastActions;
}

export function statePath(env: Env, app: string, group: string): string {
  return gpuctlDir(env, 'state', 'autoscale', `${app}.${group}.json`.replace(/[^\w.-]/g, '_'));
}

export type Loaded = { kind: 'ok'; last: LastActions } | { kind: 'none' } | { kind: 'unreadable'; reason: string; last: LastActions };

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export async function loadState(path: string, now: Date): Promise<Loaded> {
  let text: string;
  try {
    text = await readRegularFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    if (error instanceof NotRegularFileError) throw error;
    return { kind: 'unreadable', reason: describeErrno(error), last: justNow(now) };
  }
  try {
    const data = JSON.parse(text) as Partial<StateFile>;
    const last = data.last ?? {};
    if (data.version !== 1 || typeof last !== 'object') throw new Error('unknown version');
    const out: LastActions = {};
    for (const key of ['up', 'down', 'emergency'] as const) {
      const v = (last as Record<string, unknown>)[key];
      if (v !== undefined && !isTime(v)) throw new Error(`last.${key} is not a time`);
      if (isTime(v)) out[key] = v;
    }
    return { kind: 'ok', last: out };
  } catch (error) {
    return { kind: 'unreadable', reason: (error as Error).message, last: justNow(now) };
  }
}

const justNow = (now: Date): LastActions => ({ up: now.getTime(), down: now.getTime(), emergency: now.getTime() });

/** The actions after an applied decision. */
export function record(last: LastActions, rule: string, action: 'up' | 'down' | 'hold', now: Date): LastActions {
  const t = now.getTime();
  if (action === 'up') return { ...last, up: t, ...(rule === 'emergency' ? { emergency: t } : {}) };
  if (action === 'down') return { ...last, down: t };
  return last;
}

export async function saveState(path: string, state: StateFile): Promise<void> {
  makeDirs(dirname(path));
  writeFileAtomic(path, jsonText(state), 0o600);
}
