/**
 * Is a Fly machine where a release wants it: on the release, started, every check passing? Pure:
 * deploy's wait, health and status all judge machines by it.
 */
import type { FlyMachine } from './schemas.js';

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

/**
 * `resting`: the machine was stopped or suspended before the deploy. flyctl deploy updates such a machine
 * without starting it, as it does a standby (superfly/flyctl internal/command/deploy/machines_launchinput.go
 * `shouldSkipLaunch`): on the new release and still stopped is where flyctl leaves it, and it runs no checks.
 */
export function machineProblems(machine: FlyMachine, release: number | undefined, resting = false): string[] {
  const reasons: string[] = [];
  if (release !== undefined && machine.releaseVersion !== release) reasons.push(`runs v${machine.releaseVersion ?? '?'}, not v${release}`);
  // A standby (flyctl deploy --ha, a group without services) is meant to stay stopped until the machine it covers fails.
  const asLeft = (resting || machine.standbyFor.length > 0) && (machine.state === 'stopped' || (resting && machine.state === 'suspended'));
  if (asLeft) return reasons;
  if (machine.state !== 'started') reasons.push(`is ${machine.state}`);
  for (const check of machine.checks) {
    if (check.status !== 'passing') reasons.push(`check ${check.name} is ${check.status}${check.output ? `: ${check.output}` : ''}`);
  }
  return reasons;
}

/** States in which flyctl deploy starts a machine it updates (shouldSkipLaunch); any other is left as it is. */
export const LAUNCHED_ON_UPDATE: readonly string[] = ['started', 'starting', 'failed'];

/** `resting`: ids of machines that were neither started, starting nor failed before the deploy (flyctl leaves them so). */
export function assessRollout(
  machines: readonly FlyMachine[],
  release: number | undefined,
  resting: ReadonlySet<string> = new Set(),
): RolloutState {
  const problems = machines.flatMap((m) =>
    machineProblems(m, release, resting.has(m.id)).map((reason) => ({ machineId: m.id, region: m.region, reason })),
  );
  if (machines.length === 0) problems.push({ machineId: '-', region: '-', reason: 'the app has no machines' });
  return { ready: problems.length === 0, machines: [...machines], problems };
}
