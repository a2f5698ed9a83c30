/**
 * What Fly's proxy may do to a machine while nobody asks it to (shared/docs/flyio-facts.md §1.6; superfly/docs
 * reference/fly-proxy-autostop-autostart and launch/autostop-autostart): its services' autostop, autostart and
 * min_machines_running as the Machine JSON carries them (fly-go MachineService), and how the machine last exited
 * (fly-go MachineEvent, newest first). Parsed here, judged in machines.ts.
 */
import { z } from 'zod';

/** fly-go MachineAutostop: false / "off", true / "stop", "suspend"; absent is off (the docs' default). */
const autostopValue = z.union([z.boolean(), z.string()]).nullish();

export const serviceSchema = z.object({
  autostop: autostopValue,
  autostart: z.boolean().nullish(),
  min_machines_running: z.number().int().nullish(),
});

export const eventSchema = z.object({
  type: z.string().nullish(),
  timestamp: z.number().nullish(),
  request: z
    .object({
      exit_event: z
        .object({ exit_code: z.number().int().nullish(), oom_killed: z.boolean().nullish(), requested_stop: z.boolean().nullish() })
        .nullish(),
    })
    .nullish(),
});

export type AutostopMode = 'off' | 'stop' | 'suspend';

export interface MachineAutostop {
  /**
   * The most restrictive autostop of the machine's services (off < stop < suspend), as the proxy applies it
   * (superfly/flyctl internal/command/deploy/machines_deploymachinesapp.go); off without services.
   */
  mode: AutostopMode;
  /** auto_start_machines: the proxy starts a stopped or suspended machine on a request; true unless a service sets false. */
  autostart: boolean;
  /** min_machines_running: the most any of its services asks to keep running, in the primary region only. */
  minRunning: number;
}

export interface LastExit {
  /** A stop someone asked for (the proxy's autostop, `fly machine stop`), not the process ending by itself. */
  requestedStop: boolean;
  /** 0 when Fly leaves it out (fly-go omits a zero). */
  exitCode: number;
  oomKilled: boolean;
}

const RANK: Record<AutostopMode, number> = { off: 0, stop: 1, suspend: 2 };

function modeOf(value: z.output<typeof autostopValue>): AutostopMode {
  if (value === true || value === 'stop') return 'stop';
  if (value === 'suspend') return 'suspend';
  return 'off';
}

export function autostopOf(services: ReadonlyArray<z.output<typeof serviceSchema>>): MachineAutostop {
  if (services.length === 0) return { mode: 'off', autostart: false, minRunning: 0 };
  const modes = services.map((s) => modeOf(s.autostop));
  return {
    mode: modes.reduce((a, b) => (RANK[b] < RANK[a] ? b : a)),
    autostart: services.every((s) => s.autostart !== false),
    minRunning: Math.max(...services.map((s) => s.min_machines_running ?? 0)),
  };
}

/**
 * The newest exit since the machine last started, as flyctl reads it (fly-go machine_types.go
 * `GetLatestEventOfTypeAfterType("exit", "start")`, used by flyctl's leasable_machine.go): an exit from before the
 * newest start belongs to an earlier run (a crash since restarted, then suspended or stopped by the proxy) and is not
 * how this run ended. None when no start is listed either (fly-go finds none then). Fly keeps the last few events.
 */
export function lastExitOf(events: ReadonlyArray<z.output<typeof eventSchema>>): LastExit | null {
  const starts = events.filter((e) => e.type === 'start').map((e) => e.timestamp ?? 0);
  if (starts.length === 0) return null;
  const since = Math.max(...starts);
  const exits = events.filter((e) => e.request?.exit_event && (e.timestamp ?? 0) > since);
  const newest = exits.reduce<(typeof exits)[number] | undefined>(
    (a, b) => (a === undefined || (b.timestamp ?? 0) > (a.timestamp ?? 0) ? b : a),
    undefined,
  );
  const exit = newest?.request?.exit_event;
  if (!exit) return null;
  return { requestedStop: exit.requested_stop ?? false, exitCode: exit.exit_code ?? 0, oomKilled: exit.oom_killed ?? false };
}
