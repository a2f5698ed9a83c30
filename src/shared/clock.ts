/** Time for code that polls or waits: the real clock, or a test's fake one, and one way to pause. */
import { InterruptedError } from '../errors.js';

export interface Clock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** Waits `ms`, or less when the signal aborts (Ctrl-C): true when the time passed, false when aborted. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The time now and a one-shot timer (its cancel returned): what a line of progress needs. Tests hand in a fake one. */
export interface Timer {
  now(): number;
  after(ms: number, fn: () => void): () => void;
}

/** Real time; the timer never keeps gpuctl alive on its own (unref). */
export const realTimer: Timer = {
  now: () => performance.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: async (ms, signal) => {
    if (!(await pause(ms, signal))) throw new InterruptedError('Interrupted while waiting for the machines.');
  },
};
