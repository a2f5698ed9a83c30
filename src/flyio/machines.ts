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

export function machineProblems(machine: FlyMachine, release: number | undefined): string[] {
  const reasons: string[] = [];
  if (release !== undefined && machine.releaseVersion !== release) reasons.push(`runs v${machine.releaseVersion ?? '?'}, not v${release}`);
  // A standby (flyctl deploy --ha, a group without services) is meant to stay stopped until the machine it covers fails.
  const restingStandby = machine.standbyFor.length > 0 && machine.state === 'stopped';
  if (machine.state !== 'started' && !restingStandby) reasons.push(`is ${machine.state}`);
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
