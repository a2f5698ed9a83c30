/**
 * The one cross-process lock: bench's build (one build per cache key) and init (one run per directory).
 * proper-lockfile creates the lock directory atomically and keeps its mtime fresh while held, so a lock
 * left by a killed process goes stale after STALE_MS and is taken over. Waiting is ours: abortable and
 * bounded; the caller says what the errors are.
 */
import { lock } from 'proper-lockfile';
import type { Clock } from './clock.js';

export const STALE_MS = 30_000;
const POLL_MS = 500;

export interface LockWait {
  signal: AbortSignal;
  /** The context's clock: the wait is measured and paced by it. */
  clock: Clock;
  /** Give up waiting after this long (the build timeout: the holder would have timed out by then). */
  waitMs: number;
  /** Called once when the lock is held by someone else. */
  onWait?: () => void;
  /** The error when waitMs passed and the lock is still held. */
  timedOut: () => Error;
  /** The error when the signal aborted the wait. */
  interrupted: () => Error;
}

export async function withLock<T>(lockPath: string, wait: LockWait, body: () => Promise<T>): Promise<T> {
  const started = wait.clock.monotonic();
  let told = false;
  let release: (() => Promise<void>) | undefined;
  while (!release) {
    try {
      release = await lock(lockPath, {
        lockfilePath: lockPath,
        realpath: false,
        stale: STALE_MS,
        onCompromised: () => undefined, // the writes under it are atomic; a lost lock costs a duplicate build or run at worst
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (!told) wait.onWait?.();
      told = true;
      if (wait.clock.monotonic() - started > wait.waitMs) {
        throw wait.timedOut();
      }
      if (!(await wait.clock.sleep(POLL_MS, wait.signal))) throw wait.interrupted();
    }
  }
  try {
    return await body();
  } finally {
    await release().catch(() => undefined);
  }
}
