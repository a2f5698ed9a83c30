/**
 * The one clock (docs/architecture.md): the wall time, monotonic time, sleeps and timers. runtime.ts puts
 * the real one on the context (`ctx.clock`); unit tests hand in test/helpers/clock.ts's fake, which moves
 * only when the test says. This file is the only one that calls `Date.now`, `performance.now`, `new Date()`
 * and the global timers (`clockRule()` in scripts/lint-owners.mjs); exec.ts and http-read.ts take their timers
 * from `realClock` here.
 */

/** Stops a timer from `after` or `every`; calling it again, or after the timer fired, does nothing. */
export type Cancel = () => void;

export interface Clock {
  /**
   * The wall time: timestamps, file names, schedules, cooldowns, the age of a cache. GPUCTL_NOW pins it
   * (runtime.ts, for tests and rehearsals); nothing else moves it.
   */
  now(): Date;
  /**
   * The real wall time even while GPUCTL_NOW pins `now()`: only for asking another system for its present
   * (autoscale reads Prometheus's samples as they are, whatever time the decision pretends it is).
   */
  present(): Date;
  /** Milliseconds from an arbitrary origin that never go back: durations and deadlines. */
  monotonic(): number;
  /** Waits `ms`, or less when the signal aborts (Ctrl-C): true when the time passed, false when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
  /** Calls `fn` once after `ms`. The timer never keeps gpuctl alive on its own: what it watches does. */
  after(ms: number, fn: () => void): Cancel;
  /** Calls `fn` every `ms` until cancelled; like `after`, it never keeps gpuctl alive on its own. */
  every(ms: number, fn: () => void): Cancel;
}

/** Node's timers hold at most 2^31-1 ms (24.8 days); a longer one fires after 1 ms. Longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `fn` once after `ms` (any length); `unref`: the timer alone does not keep the process alive. */
function timeout(ms: number, fn: () => void, unref: boolean): Cancel {
  let timer: ReturnType<typeof setTimeout>;
  const arm = (left: number) => {
    timer = setTimeout(() => (left > MAX_TIMER_MS ? arm(left - MAX_TIMER_MS) : fn()), Math.min(left, MAX_TIMER_MS));
    if (unref) timer.unref();
  };
  arm(ms);
  return () => clearTimeout(timer);
}

function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    // Not unref'd: a sleep is what the program is waiting for, so it keeps the process alive.
    const cancel = timeout(
      ms,
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      },
      false,
    );
    const onAbort = () => {
      cancel();
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const realClock: Clock = {
  now: () => new Date(),
  present: () => new Date(),
  monotonic: () => performance.now(),
  sleep,
  after: (ms, fn) => timeout(ms, fn, true),
  every: (ms, fn) => {
    if (ms > MAX_TIMER_MS) {
      let cancel: Cancel;
      const again = () => {
        cancel = timeout(ms, () => (again(), fn()), true);
      };
      again();
      return () => cancel();
    }
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** `clock` with its wall time held at `at` (GPUCTL_NOW); the present, monotonic time and timers stay the clock's own. */
export function pinnedClock(clock: Clock, at: Date | (() => Date)): Clock {
  const now = typeof at === 'function' ? at : () => new Date(at.getTime());
  return { ...clock, now };
}
