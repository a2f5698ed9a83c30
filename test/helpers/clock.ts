/**
 * The fake clock for unit tests (the real one is src/shared/clock.ts): time moves only when the test
 * calls `advance(ms)`, which fires every timer and sleep that falls due on the way, in order, letting the
 * promises they settle run in between. With `autoAdvance`, a sleep moves the time on by itself (a loop
 * that only sleeps then runs at once, its sleeps recorded in `sleeps`).
 */
import type { Clock } from '../../src/shared/clock.js';

export interface FakeClock extends Clock {
  /** Moves time on by `ms`, running what falls due on the way. */
  advance(ms: number): Promise<void>;
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: number[];
  /** Timers and sleeps waiting. */
  pending(): number;
}

export const FAKE_START = '2026-11-22T12:00:00Z';

/** Lets promise callbacks (and what they start) run: a real turn of the event loop. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export function fakeClock(options: { start?: string | Date; autoAdvance?: boolean } = {}): FakeClock {
  const epoch = new Date(options.start ?? FAKE_START).getTime();
  let elapsed = 0;
  let seq = 0;
  type Entry = { at: number; seq: number; fn: () => void; every?: number };
  let timers: Entry[] = [];
  const sleeps: number[] = [];
  const add = (ms: number, fn: () => void, every?: number): Entry => {
    const entry: Entry = { at: elapsed + Math.max(0, ms), seq: seq++, fn, ...(every !== undefined ? { every: Math.max(1, every) } : {}) };
    timers.push(entry);
    return entry;
  };
  const remove = (entry: Entry) => void (timers = timers.filter((t) => t !== entry));
  const advance = async (ms: number) => {
    const until = elapsed + ms;
    await settle();
    for (;;) {
      const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      elapsed = Math.max(elapsed, due.at);
      if (due.every !== undefined) due.at += due.every;
      else remove(due);
      due.fn();
      await settle();
    }
    elapsed = Math.max(elapsed, until); // an overlapping advance (autoAdvance) never moves time back
    await settle();
  };
  const clock: FakeClock = {
    now: () => new Date(epoch + elapsed),
    present: () => new Date(epoch + elapsed),
    monotonic: () => elapsed,
    sleep: (ms, signal) => {
      sleeps.push(ms);
      if (signal?.aborted) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        const entry = add(ms, () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(true);
        });
        const onAbort = () => {
          remove(entry);
          resolve(false);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        if (options.autoAdvance) void advance(ms);
      });
    },
    after: (ms, fn) => {
      const entry = add(ms, fn);
      return () => remove(entry);
    },
    every: (ms, fn) => {
      const entry = add(ms, fn, ms);
      return () => remove(entry);
    },
    advance,
    sleeps,
    pending: () => timers.length,
  };
  return clock;
}
