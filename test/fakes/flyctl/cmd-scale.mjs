/**
 * scale show (internal/command/scale/show_machines.go) and scale vm (vm.go, machines.go,
 * internal/machine/update.go). scale count lives in scale-count.mjs.
 */
import { guestForSize, sizeOfGuest } from './catalog.mjs';
import { findApp } from './cmd-apps.mjs';
import { FlyError } from './errors.mjs';
import { requestId } from './ids.mjs';
import { flyAppsMachines, processGroup, updateMachine } from './machine-ops.mjs';
import { table } from './table.mjs';
import { listActive } from './cmd-status.mjs';

export { scaleCount } from './scale-count.mjs';

const countBy = (items, key) => {
  const out = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
};

export function appOrFlapsError(ctx, w, name, action) {
  const app = findApp(ctx, w.state, name);
  if (!app) throw new FlyError(`${action}: app not found`, { requestId: requestId(w.tick(), w.next()) });
  return app;
}

export function scaleShow(ctx) {
  ctx.requireAuth();
  const name = ctx.appName();
  const w = ctx.read();
  const app = appOrFlapsError(ctx, w, name, 'failed to list VMs');
  const machines = flyAppsMachines(app).filter((m) => m.config);
  const groups = countBy(machines, processGroup);
  const names = Object.keys(groups).sort();
  const rows = names
    .map((g) => machines.filter((m) => processGroup(m) === g))
    .filter((ms) => ms[0].config.guest)
    .map((ms) => ({ group: processGroup(ms[0]), machines: ms, guest: ms[0].config.guest }));
  if (ctx.flags.json) {
    const data = rows.map(({ group, machines: ms, guest }) => {
      const regions = countBy(ms, (m) => m.region);
      return {
        Process: group,
        Count: ms.length,
        CPUKind: guest.cpu_kind ?? '',
        CPUs: guest.cpus ?? 0,
        Memory: guest.memory_mb ?? 0,
        Regions: Object.fromEntries(
          Object.keys(regions)
            .sort()
            .map((r) => [r, regions[r]]),
        ),
      };
    });
    // json.MarshalIndent + Fprintln: same bytes as render.JSON for this data; a nil slice would be "null".
    return ctx.json(data);
  }
  const formatRegions = (ms) =>
    Object.entries(countBy(ms, (m) => m.region))
      .map(([r, n]) => (n > 1 ? `${r}(${n})` : r))
      .sort()
      .join(',');
  const tableRows = rows.map(({ group, machines: ms, guest }) => [
    group,
    String(ms.length),
    guest.cpu_kind,
    String(guest.cpus),
    `${guest.memory_mb} MB`,
    formatRegions(ms),
  ]);
  ctx.out(`VM Resources for app: ${name}\n\n`);
  ctx.out(table('Groups', tableRows, ['Name', 'Count', 'Kind', 'CPUs', 'Memory', 'Regions']));
}

const CPUS_PER_KIND = { shared: [1, 2, 4, 6, 8], performance: [1, 2, 4, 6, 8, 10, 12, 14, 16] };

/** internal/machine/update.go's guest checks (InvalidConfigErr). */
function checkGuest(guest) {
  const valid = CPUS_PER_KIND[guest.cpu_kind];
  if (!valid) throw new FlyError('invalid CPU kind', { description: `The CPU kind given: ${guest.cpu_kind}, is not valid` });
  if (!valid.includes(guest.cpus))
    throw new FlyError('invalid number of CPUs', { description: `For the CPU kind ${guest.cpu_kind}, ${guest.cpus} CPUs is not valid` });
  const step = guest.cpu_kind === 'shared' ? 256 : 1024;
  if (guest.memory_mb % step !== 0)
    throw new FlyError('invalid memory size', { description: `${guest.memory_mb}MiB of memory is not valid` });
  const [min, max] = guest.cpu_kind === 'shared' ? [256, 2048] : [2048, 8192];
  if (guest.memory_mb < min * guest.cpus)
    throw new FlyError('memory size for config is too low', {
      description: `For ${guest.cpu_kind} VMs with ${guest.cpus} CPUs, ${guest.memory_mb}MiB of memory is too low`,
    });
  if (guest.memory_mb > max * guest.cpus)
    throw new FlyError('memory size for config is too high', {
      description: `For ${guest.cpu_kind} VMs with ${guest.cpus} CPUs, ${guest.memory_mb}MiB of memory is too high`,
    });
}

export function scaleVm(ctx) {
  ctx.requireAuth();
  const name = ctx.appName();
  const [size] = ctx.args;
  const memory = ctx.flags['vm-memory'];
  if (size) guestForSize(size); // validate before any network call
  let group = ctx.flags['process-group'];
  const result = ctx.mutate((w) => {
    const app = findApp(ctx, w.state, name);
    if (!app)
      throw new FlyError(`error listing active machines for ${name} app: failed to list active VMs: app not found`, {
        requestId: requestId(w.tick(), w.next()),
      });
    if (!group) {
      const processes = Object.keys(app.lastConfig?.processes ?? {}).sort();
      if (processes.length > 1) {
        throw new FlyError(
          `scaling an app with multiple process groups requires specifying a group with '--process-group <name>'\n * this app has the following process groups: [${processes.join(', ')}]`,
        );
      }
      group = processes[0] ?? 'app';
    }
    const machines = listActive(app).filter((m) => processGroup(m) === group);
    if (machines.length === 0) throw new FlyError(`No active machines in process group '${group}', check \`fly status\` output`);
    try {
      for (const m of machines) {
        const guest = size ? { ...m.config.guest, gpus: undefined, gpu_kind: undefined, ...guestForSize(size) } : { ...m.config.guest };
        if (memory > 0) guest.memory_mb = memory;
        const clean = Object.fromEntries(Object.entries(guest).filter(([, v]) => v !== undefined));
        checkGuest(clean);
        ctx.out(`Updating machine ${m.id}\n`);
        try {
          updateMachine(ctx, w, app, m, { guest: clean });
        } catch (error) {
          error.message = `could not update machine ${m.id}: ${error.message}`;
          throw error;
        }
        if (m.checks.length === 0) ctx.out('No health checks found\n');
        ctx.out(`Machine ${m.id} updated successfully!\n`);
      }
    } catch (error) {
      return { error }; // machines updated before the failure stay updated
    }
    return { guest: machines[0].config.guest };
  });
  if (result.error) throw result.error;
  const guest = result.guest;
  ctx.out(
    ctx.flags['process-group']
      ? `Scaled VM Type for '${group}' to '${sizeOfGuest(guest)}'\n`
      : `Scaled VM Type to '${sizeOfGuest(guest)}'\n`,
  );
  ctx.out(`${'CPU Cores'.padStart(15)}: ${guest.cpus}\n${'Memory'.padStart(15)}: ${guest.memory_mb} MB\n`);
}
