/**
 * After `flyctl deploy`: is every machine on the new release, started, with its checks passing?
 * assessRollout is pure; waitForRollout polls with backoff (1 s, ×1.6, at most 10 s) until yes or
 * until the time is up. flyctl's own exit 0 is not taken as proof (a bluegreen deploy can exit 0
 * with no machines left: community.fly.io/t/27967).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { InterruptedError } from '../errors.js';
import type { FlyMachine } from '../flyio/schemas.js';

export interface RolloutProblem {
  machineId: string;
  region: string;
  reason: string;
}

export interface RolloutState {
  ready: boolean;
  machines: FlyMachine[];
  problems: RolloutProblem[];
}

export function machineProblems(machine: FlyMachine, release: number | undefined): string[] {
  const reasons: string[] = [];
  if (release !== undefined && machine.releaseVersion !== release) reasons.push(`runs v${machine.releaseVersion ?? '?'}, not v${release}`);
  if (machine.state !== 'started') reasons.push(`is ${machine.state}`);
  for (const check of machine.checks) {
    if (check.status !== 'passing') reasons.push(`check ${check.name} is ${check.status}${check.output ? `: ${check.output}` : ''}`);
  }
  return reasons;
}

export function assessRollout(machines: readonly FlyMachine[], release: number | undefined): RolloutState {
  const problems = machines.flatMap((m) => machineProblems(m, release).map((reason) => ({ machineId: m.id, region: m.region, reason })));
  if (machines.length === 0) problems.push({ machineId: '-', region: '-', reason: 'the app has no machines' });
  return { ready: problems.length === 0, machines: [...machines], problems };
}

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

export interface WaitOptions {
  release: number | undefined;
  timeoutMs: number;
  signal: AbortSignal;
  clock?: Clock;
  onPoll?: (state: RolloutState) => void;
}

export async function waitForRollout(list: () => Promise<FlyMachine[]>, options: WaitOptions): Promise<RolloutState & { elapsedMs: number }> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  let pause = 1000;
  for (;;) {
    const state = assessRollout(await list(), options.release);
    options.onPoll?.(state);
    const elapsedMs = clock.now() - started;
    if (state.ready || elapsedMs + pause > options.timeoutMs) return { ...state, elapsedMs };
    await clock.sleep(pause, options.signal);
    pause = Math.min(pause * 1.6, 10_000);
  }
}
