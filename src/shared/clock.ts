/** Time for code that polls: the real clock, or a test's fake one. */
import { setTimeout as delay } from 'node:timers/promises';
import { InterruptedError } from '../errors.js';

export interface Clock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: async (ms, signal) => {
    try {
      await delay(ms, undefined, { signal });
    } catch {
      throw new InterruptedError('Interrupted while waiting for the machines.');
    }
  },
};
