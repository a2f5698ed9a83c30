/**
 * Which process group smoke runs, and which of fly.toml's checks apply to it, as flyctl decides for each group's
 * Machines (superfly/flyctl internal/appconfig processgroups.go `ProcessNames`, `DefaultProcessName`, `Flatten`;
 * machines.go `ToMachineConfig` flattens per group). The groups are [processes]'s names, else the one group `app`;
 * the default is `app` when it is one of them, else the first by name. A service, top-level check or mount with
 * `processes` belongs to the groups it names; one without belongs to the default group only (Flatten's
 * `matchesGroups`), not to every group. smoke runs one group (the default, or --process-group) with its [processes]
 * command in place of the image's CMD (as Fly does: it supersedes CMD, the ENTRYPOINT stays), probes the checks of
 * that group, and lists every other check as skipped, naming its group. Pure.
 */
import { UsageError } from '../errors.js';
import { splitCommand } from '../flyio/fly-command.js';
import { isTable } from '../flyio/fly-model.js';
import { check, type SmokeCheck } from './checks.js';
import type { Probe } from './fly-checks.js';
import { probeTitle } from './probe-checks.js';

export interface ProcessGroup {
  /** The group smoke runs. */
  name: string;
  /** Every group, sorted (["app"] without [processes]). */
  groups: string[];
  /** flyctl's default group: checks without processes apply to it only. */
  defaultGroup: string;
  /** Its [processes] command as flyctl splits it, run in place of the image's CMD; null: the image's CMD. */
  command: string[] | null;
}

/** The group smoke runs: `wanted` (--process-group), else flyctl's default. An unknown group, or a command flyctl cannot split, is a usage error. */
export function chooseGroup(fly: Record<string, unknown>, wanted: string | undefined): ProcessGroup {
  const commands = isTable(fly.processes) ? fly.processes : {};
  const declared = Object.keys(commands).sort();
  const groups = declared.length ? declared : ['app'];
  const defaultGroup = groups.includes('app') ? 'app' : groups[0]!;
  const name = wanted ?? defaultGroup;
  if (!groups.includes(name))
    throw new UsageError(`--process-group '${name}' is not a process group of this fly.toml (${groups.map((g) => `'${g}'`).join(', ')}).`, {
      hint: declared.length ? 'Name one of [processes].' : "Without [processes] the only group is 'app'.",
    });
  const text = commands[name];
  if (typeof text !== 'string' || text.trim() === '') return { name, groups, defaultGroup, command: null };
  const split = splitCommand(text);
  if (!split.ok)
    throw new UsageError(`fly.toml's [processes] ${name} = ${JSON.stringify(text)} does not split into a command: ${split.error}.`, {
      hint: 'Run `gpuctl validate` for the details.',
    });
  return { name, groups, defaultGroup, command: split.words.length ? split.words : null };
}

/** Whether an entry with these `processes` applies to the group (flyctl's Flatten: none listed means the default group only). */
export function appliesTo(processes: readonly string[], g: ProcessGroup): boolean {
  return processes.length === 0 ? g.name === g.defaultGroup : processes.includes(g.name);
}

/** The row for a check of another group: which group it belongs to and how to check it. */
export function skippedProbe(p: Probe, g: ProcessGroup): SmokeCheck {
  const owner = p.processes.find((name) => g.groups.includes(name)) ?? p.processes[0] ?? g.defaultGroup;
  const whose =
    p.processes.length === 0
      ? `no processes: flyctl gives it to the default process group '${g.defaultGroup}' only`
      : `processes = [${p.processes.map((n) => `'${n}'`).join(', ')}]`;
  return check(
    p.topLevel ? 'top-check' : 'app-health',
    probeTitle(p),
    'skip',
    `not process group '${g.name}', which smoke ran (${whose}): \`gpuctl smoke --process-group ${owner}\` checks it`,
  );
}
