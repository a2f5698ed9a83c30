/**
 * What to do about a machine that is not started and not at rest (flyio/machines.ts atRest), as `gpuctl health`
 * prints it under its table: why Fly left it so, by its last exit (fly-go MachineEvent), its restart policy
 * (superfly/docs machines/guides-examples/machine-restart-policy: on-failure, the default for deployed machines,
 * restarts a non-zero exit up to max_retries times and leaves a clean exit stopped; always restarts every exit) and
 * its services (the proxy starts a stopped machine on a request when auto_start_machines is on). Pure.
 */
import type { FlyMachine } from '../flyio/schemas.js';

const RESTING = ['stopped', 'suspended'];

/** `requireStarted`: --require-started, under which an idle machine fails too. */
export function stoppedAdvice(machine: FlyMachine, app: string, requireStarted = false): string | null {
  if (!RESTING.includes(machine.state)) return null;
  const start = `flyctl machine start ${machine.id} -a ${app}`;
  const logs = `flyctl logs -a ${app} -i ${machine.id}`;
  const policy = `restart policy ${machine.restartPolicy ?? 'on-failure'}`;
  const exit = machine.lastExit;
  if (requireStarted && (!exit || exit.requestedStop || exit.exitCode === 0) && !exit?.oomKilled)
    return `${machine.state}, and --require-started wants every machine but a standby started: ${start}, or leave out --require-started to accept idle machines.`;
  if (!exit || exit.requestedStop) {
    const who = exit ? 'it was asked to stop (`flyctl machine stop`, the API, the dashboard, or the proxy)' : 'Fly lists no exit for it';
    const mode = machine.autostop.mode;
    const why =
      mode === 'off'
        ? "its services do not autostop, so it is not idle by Fly's rule"
        : `its services autostop with "${mode}", which does not leave a machine ${machine.state}`;
    const idle =
      mode === 'off'
        ? '; if it is meant to stop when idle, set auto_stop_machines = "stop" in fly.toml\'s [http_service] and deploy'
        : '; auto_stop_machines = "suspend" if it is meant to be suspended';
    return `${machine.state}: ${who}, and ${why}. Start it (${start})${idle}.`;
  }
  if (exit.oomKilled)
    return `killed out of memory: give it more (\`flyctl scale memory <MB> -a ${app}\`, or [[vm]] memory in fly.toml, then deploy); ${logs} shows what it was doing.`;
  if (exit.exitCode !== 0) {
    const gaveUp = machine.restartPolicy === 'no' ? 'its restart policy is no' : `Fly's restarts (${policy}) gave up`;
    return `its process exited with code ${exit.exitCode} and ${gaveUp}: read why with ${logs}, fix it, then ${start} or deploy again.`;
  }
  if (machine.restartPolicy === 'always')
    return `its process exited cleanly, yet restart policy always should have restarted it: read ${logs}, then ${start}.`;
  return (
    `its process exited cleanly (code 0), so Fly does not restart it (${policy}), and no service of it ` +
    `starts it on a request (auto_start_machines = false, or no [http_service]/[[services]]): nothing will start it again. ${start}; ` +
    'keep the process running, or let the proxy start it (auto_start_machines = true) if it is meant to exit when idle.'
  );
}
