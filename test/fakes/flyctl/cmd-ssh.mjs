/**
 * `fly ssh console -C <cmd>` (internal/command/ssh/console.go, connect.go). The fake cannot run
 * anything, so replies come from state: app.sshResponses[<command>] = { stdout, stderr, exitCode }
 * (seeded by tests). A command with no seeded reply behaves like a missing executable (status 127).
 * A non-zero remote status surfaces the way golang.org/x/crypto/ssh reports it:
 * `Error: ssh shell: Process exited with status N`, flyctl exit 1 (the remote code is not propagated).
 */
import { couldNotFindApp, findApp } from './cmd-apps.mjs';
import { listActive } from './cmd-status.mjs';
import { FlyError } from './errors.mjs';
import { processGroup } from './machine-ops.mjs';

function selectMachine(ctx, app) {
  let machines = listActive(app).filter((m) => m.state === 'started');
  if (machines.length < 1) {
    throw new FlyError(
      `app ${app.name} has no started VMs.\nIt may be unhealthy or not have been deployed yet.\nTry the following command to verify:\n\nfly status`,
    );
  }
  const { region, 'process-group': group, machine: machineId } = ctx.flags;
  if (region) {
    machines = machines.filter((m) => m.region === region);
    if (machines.length < 1) throw new FlyError(`app ${app.name} has no VMs in region ${region}`);
  }
  if (group) {
    machines = machines.filter((m) => processGroup(m) === group);
    if (machines.length < 1) throw new FlyError(`app ${app.name} has no VMs in process group ${group}`);
  }
  let selected = machineId ? machines.find((m) => m.id === machineId) : undefined;
  if (machineId && !selected) throw new FlyError(`--machine=${JSON.stringify(machineId)} not found/started`);
  if (ctx.flags.select) {
    if (ctx.specified.has('machine')) throw new FlyError("--machine can't be used with -s/--select");
    if (machines.length > 1) throw new FlyError('selecting VM: prompt: non interactive');
    ctx.out(`Only one machine available, selecting ${machines[0].id} in region ${machines[0].region}\n`);
    selected = machines[0];
  }
  if (!selected) {
    selected = machines[0];
    if (machines.length > 1) ctx.out(`No machine specified, using ${selected.id} in region ${selected.region}\n`);
  }
  return selected;
}

export function sshConsole(ctx) {
  ctx.requireAuth();
  const name = ctx.appName();
  const { state } = ctx.read();
  const app = findApp(ctx, state, name);
  if (!app) throw new FlyError(`get app: ${couldNotFindApp(name)}`);
  const machine = selectMachine(ctx, app);
  const command = ctx.flags.command;
  if (!command || ctx.flags.pty || ['sh', '/bin/sh', 'bash', '/bin/bash'].includes(command)) {
    throw new FlyError('fake flyctl: interactive ssh sessions (no -C, --pty, or a shell) are not modelled; pass -C <command>');
  }
  const addr = ctx.flags.address || ctx.args[0] || machine.private_ip;
  if (!ctx.flags.quiet) ctx.err(`Connecting to ${addr}...\n`);
  const reply = app.sshResponses?.[command] ?? {
    stdout: '',
    stderr: `fake flyctl: no reply seeded for ${JSON.stringify(command)}; sh: 1: ${command.split(/\s+/)[0]}: not found\n`,
    exitCode: 127,
  };
  if (reply.stdout) ctx.out(reply.stdout);
  if (reply.stderr) ctx.err(reply.stderr);
  const code = reply.exitCode ?? 0;
  if (code !== 0) throw new FlyError(`ssh shell: Process exited with status ${code}`);
}
