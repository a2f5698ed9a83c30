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
  /**
   * Machines not started and where they should be, by id: a standby, left stopped by the deploy, or (`autostop`) seen
   * passing during deploy's wait and since stopped by the proxy's autostop.
   */
  atRest: Record<string, AtRest>;
}

/**
 * Why a machine that is not started is where it should be. `idle exit`: its process exited cleanly by itself and
 * Fly's proxy starts it again on a request (an app that shuts down when idle, without autostop).
 */
export type AtRest = 'standby' | 'autostop' | 'idle exit' | 'left by deploy';

export interface RestRules {
  /**
   * The machine was stopped or suspended before the deploy. flyctl deploy updates such a machine without starting
   * it, as it does a standby (superfly/flyctl internal/command/deploy/machines_launchinput.go `shouldSkipLaunch`):
   * on the new release and still stopped is where flyctl leaves it, and it runs no checks.
   */
  resting?: boolean;
  /**
   * Accept an idle machine: one Fly's proxy stopped or suspended by autostop, or one whose process exited cleanly
   * and that the proxy starts again on a request (`gpuctl health` and status, unless --require-started; deploy's
   * wait, for a machine it saw started on the release with its checks passing).
   */
  autostop?: boolean;
}

/**
 * Idle by autostop: its services autostop (the mode the proxy applies), it is in a state that mode leaves (suspend
 * falls back to stop where a machine cannot be suspended) or is on its way there, and its last exit, if Fly still
 * lists one, was a stop someone asked for: a process that exited by itself or ran out of memory was not stopped by
 * the proxy.
 */
function idleByAutostop(machine: FlyMachine): boolean {
  const { mode } = machine.autostop;
  // Also on the way there (stopping, suspending): a health check in CI must not flake on the proxy's stop in progress.
  const leftSo =
    ['stopped', 'stopping'].includes(machine.state) || (mode === 'suspend' && ['suspended', 'suspending'].includes(machine.state));
  return mode !== 'off' && leftSo && (machine.lastExit === null || machine.lastExit.requestedStop);
}

/**
 * Shut down by itself when idle, the pattern Fly documents for apps without autostop (superfly/docs
 * launch/autostop-autostart "Apps that shut down when idle"): stopped after its process exited with code 0 (not
 * asked to stop, not killed out of memory), under a restart policy that leaves a clean exit stopped (on-failure,
 * Fly's default for deployed machines, or no; `always` would have restarted it: superfly/docs
 * machines/guides-examples/machine-restart-policy), with services the proxy starts it for on a request
 * (auto_start_machines, true unless a service sets false). Without such a service nothing would start it again.
 */
function idleByExit(machine: FlyMachine): boolean {
  const exit = machine.lastExit;
  const clean = exit !== null && !exit.requestedStop && !exit.oomKilled && exit.exitCode === 0;
  return machine.state === 'stopped' && clean && machine.restartPolicy !== 'always' && machine.autostop.autostart;
}

/** States of a machine that flyctl created or updated without starting it (skip_launch). */
const NOT_LAUNCHED: readonly string[] = ['stopped', 'created'];

/** One rule for deploy's wait and health: null when the machine should be started. */
export function atRest(machine: FlyMachine, rules: RestRules = {}): AtRest | null {
  // A standby (flyctl deploy --ha, a group without services) is meant to stay stopped until the machine it covers fails.
  // Both are updated or created with skip_launch, which "may stay in `created`" (superfly/docs machines/machine-states:
  // created = "created but not yet started"), so `created` is where flyctl leaves them as much as `stopped`.
  if (machine.standbyFor.length > 0 && NOT_LAUNCHED.includes(machine.state)) return 'standby';
  if (rules.resting && [...NOT_LAUNCHED, 'suspended'].includes(machine.state)) return 'left by deploy';
  if (rules.autostop && idleByAutostop(machine)) return 'autostop';
  if (rules.autostop && idleByExit(machine)) return 'idle exit';
  return null;
}

/** atRest as the app's views read it (health, status): a standby, or idle by autostop when `autostop`; null otherwise. */
export function restReason(machine: FlyMachine, autostop: boolean): Exclude<AtRest, 'left by deploy'> | null {
  const rest = atRest(machine, { autostop });
  return rest === 'left by deploy' ? null : rest;
}

/** Idle, not merely at rest: stopped by autostop, or shut down by itself with a service that starts it on a request. */
export const isIdle = (rest: AtRest | null | undefined): boolean => rest === 'autostop' || rest === 'idle exit';

/** "stopped (autostop)": a machine's state with why it rests, as health and status print it. */
export const restingState = (state: string, rest: string | null): string => (rest ? `${state} (${rest})` : state);

/** How a stopped machine's process ended, when it was not asked to stop. */
function exitNote(machine: FlyMachine): string {
  const exit = machine.lastExit;
  if (machine.state !== 'stopped' || !exit || exit.requestedStop) return '';
  if (exit.oomKilled) return ' (killed: out of memory)';
  return ` (its process exited with code ${exit.exitCode})`;
}

export function machineProblems(machine: FlyMachine, release: number | undefined, rules: RestRules = {}): string[] {
  const reasons: string[] = [];
  if (release !== undefined && machine.releaseVersion !== release) reasons.push(`runs v${machine.releaseVersion ?? '?'}, not v${release}`);
  if (atRest(machine, rules)) return reasons;
  if (machine.state !== 'started') reasons.push(`is ${machine.state}${exitNote(machine)}`);
  for (const check of machine.checks) {
    if (check.status !== 'passing') reasons.push(`check ${check.name} is ${check.status}${check.output ? `: ${check.output}` : ''}`);
  }
  return reasons;
}

/**
 * Does flyctl deploy update this machine without starting it? flyctl's `skipLaunch` (superfly/flyctl
 * internal/command/deploy/machines_launchinput.go) on the machine's state before the deploy (PR #4984) and its new
 * config, fly.toml flattened for its process group (flyio/fly-model.ts launchConfigOf), not the services it runs now:
 * a started machine is launched; a standby is not, unless the new config gives its group a service (flyctl then clears
 * its standbys); a stopped or suspended one is not when a new service autoscales (autostop on, or autostart true);
 * every other machine (a crashed one of an app that does not autoscale, a created, starting or failed one) is
 * launched and must come up.
 */
export function skipsLaunch(machine: FlyMachine, next: { services: boolean; autoscales: boolean }): boolean {
  if (machine.state === 'started') return false;
  if (machine.standbyFor.length > 0 && !next.services) return true;
  return ['stopped', 'suspended'].includes(machine.state) && next.autoscales;
}

/** Started, on the release, every check passing: where a release wants a machine that has not been stopped since. */
export function startedAndPassing(machine: FlyMachine, release: number | undefined): boolean {
  return machine.state === 'started' && machineProblems(machine, release).length === 0;
}

/**
 * `resting`: ids of machines that were neither started, starting nor failed before the deploy (flyctl leaves them so).
 * `passed`: ids of machines deploy's wait saw started on the release with their checks passing; such a machine that
 * the proxy then stopped or suspended by autostop (an idle service during a long wait) is where it should be, by
 * health's rule (atRest). A crash or an OOM kill since is not: its last exit was not a stop someone asked for.
 */
export function assessRollout(
  machines: readonly FlyMachine[],
  release: number | undefined,
  resting: ReadonlySet<string> = new Set(),
  passed: ReadonlySet<string> = new Set(),
): RolloutState {
  const problems = machines.flatMap((m) =>
    machineProblems(m, release, { resting: resting.has(m.id), autostop: passed.has(m.id) }).map((reason) => ({
      machineId: m.id,
      region: m.region,
      reason,
    })),
  );
  if (machines.length === 0) problems.push({ machineId: '-', region: '-', reason: 'the app has no machines' });
  const rests = machines.flatMap((m) => {
    const rest = atRest(m, { resting: resting.has(m.id), autostop: passed.has(m.id) });
    return rest ? [[m.id, rest] as const] : [];
  });
  return { ready: problems.length === 0, machines: [...machines], problems, atRest: Object.fromEntries(rests) };
}

/** The value most of the machines carry (PRIMARY_REGION), or null when none does. */
function mostCommon(values: ReadonlyArray<string | null>): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

/**
 * Where idling by autostop stops being fine, per process group whose services autostop: fewer machines started
 * in the primary region than min_machines_running (Fly counts it there only: superfly/docs launch/autostop-autostart;
 * capped at the machines the group has there), or none started at all when its services do not start one on a
 * request (auto_start_machines = false). The primary region is the machines' PRIMARY_REGION (flyctl sets it from
 * fly.toml); without one, every region counts.
 */
export function autostopShortfalls(machines: readonly FlyMachine[]): string[] {
  const groups = [...new Set(machines.map((m) => m.processGroup))].sort();
  return groups.flatMap((group) => {
    const members = machines.filter((m) => m.processGroup === group);
    const stopping = members.filter((m) => m.autostop.mode !== 'off');
    if (stopping.length === 0) return [];
    const out: string[] = [];
    const min = Math.max(...stopping.map((m) => m.autostop.minRunning));
    const primary = mostCommon(members.map((m) => m.primaryRegion));
    const there = primary ? members.filter((m) => m.region === primary) : members;
    const started = there.filter((m) => m.state === 'started').length;
    if (started < Math.min(min, there.length)) {
      const where = primary ? `in its primary region ${primary}` : 'in any region (no PRIMARY_REGION on its machines)';
      out.push(`group ${group}: ${started} of ${there.length} machines started ${where}, fewer than min_machines_running = ${min}`);
    }
    if (!stopping.every((m) => m.autostop.autostart) && members.every((m) => m.state !== 'started'))
      out.push(`group ${group}: no machine is started, and its services do not start one on a request (auto_start_machines = false)`);
    return out;
  });
}
