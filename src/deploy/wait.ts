/**
 * After `flyctl deploy`: is every machine on the new release, started, with its checks passing?
 * waitForRollout polls with backoff (1 s, ×1.6, at most 10 s) until yes or until the time is up:
 * the last pause is cut short so that one last check happens at the deadline itself;
 * the judgement is flyio/machines.ts's assessRollout. A machine seen started on the release with its checks passing
 * that Fly's proxy then stops or suspends by autostop (no traffic during a long wait for another machine) stays
 * accepted, by health's rule (atRest): the state says which (`atRest`). flyctl's own exit 0 is not taken as proof (a
 * bluegreen deploy can exit 0 with no machines left: community.fly.io/t/27967).
 */
import { assessRollout, startedAndPassing, type RolloutState } from '../flyio/machines.js';
import type { FlyMachine } from '../flyio/schemas.js';
import { InterruptedError } from '../errors.js';
import type { Clock } from '../shared/clock.js';

export interface WaitOptions {
  release: number | undefined;
  timeoutMs: number;
  signal: AbortSignal;
  /** The context's clock: the polls are paced and the deadline measured by it. */
  clock: Clock;
  onPoll?: (state: RolloutState) => void;
  /** Machines stopped or suspended before the deploy, which flyctl updates without starting. */
  resting?: ReadonlySet<string>;
}

export async function waitForRollout(
  list: () => Promise<FlyMachine[]>,
  options: WaitOptions,
): Promise<RolloutState & { elapsedMs: number }> {
  const { clock } = options;
  const started = clock.monotonic();
  let pause = 1000;
  const passed = new Set<string>();
  for (;;) {
    const machines = await list();
    for (const m of machines) if (startedAndPassing(m, options.release)) passed.add(m.id);
    const state = assessRollout(machines, options.release, options.resting, passed);
    options.onPoll?.(state);
    const elapsedMs = clock.monotonic() - started;
    if (state.ready || elapsedMs >= options.timeoutMs) return { ...state, elapsedMs };
    if (!(await clock.sleep(Math.min(pause, options.timeoutMs - elapsedMs), options.signal)))
      throw new InterruptedError('Interrupted while waiting for the machines.');
    pause = Math.min(pause * 1.6, 10_000);
  }
}
