/**
 * The build lock: one build per cache key at a time, across processes. proper-lockfile creates the
 * lock directory atomically and keeps its mtime fresh while held, so a lock left by a killed process
 * goes stale after STALE_MS and is taken over. Waiting is ours: abortable and bounded.
 */
import { lock } from 'proper-lockfile';
import { InterruptedError, ToolError } from '../errors.js';
import { pause } from '../shared/clock.js';

export const STALE_MS = 30_000;
const POLL_MS = 500;

export interface LockWait {
  signal: AbortSignal;
  /** Give up waiting after this long (the build timeout: the holder would have timed out by then). */
  waitMs: number;
  /** Called once when the lock is held by someone else. */
  onWait?: () => void;
}


export async function withLock<T>(lockPath: string, wait: LockWait, body: () => Promise<T>): Promise<T> {
  const started = Date.now();
  let told = false;
  let release: (() => Promise<void>) | undefined;
  while (!release) {
    try {
      release = await lock(lockPath, {
        lockfilePath: lockPath,
        realpath: false,
        stale: STALE_MS,
        onCompromised: () => undefined, // the build renames atomically; a lost lock costs a duplicate build at worst
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (!told) wait.onWait?.();
      told = true;
      if (Date.now() - started > wait.waitMs) {
        throw new ToolError(`Another gpuctl has been building the benchmark program for over ${Math.round(wait.waitMs / 60_000)} min.`, 'gpuctl-bench', 'tool_timeout', {
          hint: `If no other gpuctl is running, remove the lock: rm -r ${lockPath}`,
        });
      }
      await pause(POLL_MS, wait.signal);
      if (wait.signal.aborted) throw new InterruptedError('Interrupted while waiting for another build of gpuctl-bench.');
    }
  }
  try {
    return await body();
  } finally {
    await release().catch(() => undefined);
  }
}
