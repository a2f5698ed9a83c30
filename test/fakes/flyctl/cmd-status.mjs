/**
 * status (internal/command/status/machines.go), machine list (internal/command/machine/list.go),
 * checks list (internal/command/checks/list.go).
 */
import { latestRelease, orgOf, organizationBasicJson } from './app-json.mjs';
import { couldNotFindApp, findApp } from './cmd-apps.mjs';
import { FlyError } from './errors.mjs';
import { requestId } from './ids.mjs';
import { checkStatusJson, machineJson } from './machine-json.mjs';
import { sizeOfGuest } from './catalog.mjs';
import { relativeTime, table, verticalTable } from './table.mjs';

const group = (m) => m.config?.metadata?.fly_process_group ?? '';
const isV2 = (m) => m.config?.metadata?.fly_platform_version === 'v2';

/** flaps List(app, ""): every machine that is not destroyed, in creation order. */
export const listMachines = (app) => app.machines.filter((m) => m.state !== 'destroyed');

/** flaps ListActive: no destroyed/destroying, no release-command or console machines. */
export const listActive = (app) =>
  app.machines.filter(
    (m) => m.state !== 'destroyed' && m.state !== 'destroying' && !['fly_app_release_command', 'fly_app_console'].includes(group(m)),
  );

/** The flaps 404 for an unknown app, as fly-go wraps it for List. */
export function flapsAppNotFound(ctx, w, action = 'list VMs') {
  return new FlyError(`failed to ${action}: app not found`, { requestId: requestId(w.tick(), w.next()) });
}

function checksSummary(m) {
  const checks = m.checks ?? [];
  if (checks.length === 0) return '';
  const count = (s) => checks.filter((c) => c.status === s).length;
  const parts = [`${checks.length} total`];
  if (count('passing')) parts.push(`${count('passing')} passing`);
  if (count('warning')) parts.push(`${count('warning')} warning`);
  if (count('critical')) parts.push(`${count('critical')} critical`);
  return parts.join(', ');
}

export function status(ctx) {
  ctx.requireAuth();
  if (ctx.flags.watch && ctx.flags.json) throw new FlyError('--watch and --json are not supported together');
  const name = ctx.appName();
  const w = ctx.read();
  const app = findApp(ctx, w.state, name);
  if (!app) throw new FlyError(`failed to get app: ${couldNotFindApp(name)}`);
  if (ctx.flags.watch && !ctx.interactive) throw new FlyError('--watch is not supported for non-interactive sessions');
  const machines = listActive(app).sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const org = orgOf(w.state, app);
  if (ctx.flags.json) {
    const doc = {
      AppURL: `https://${app.hostname}`,
      Deployed: Boolean(app.deployed),
      Hostname: app.hostname,
      ID: app.id ?? app.name,
      Machines: machines.filter(isV2).map(machineJson),
      Name: app.name,
      ...(app.network ? { Network: app.network } : {}),
      Organization: organizationBasicJson(org),
      PlatformVersion: 'machines',
      Status: app.status,
      Version: latestRelease(app)?.version ?? 0,
    };
    return ctx.json(doc);
  }
  const managed = machines.filter(isV2);
  const newest = [...managed].sort(
    (a, b) => Number(b.config.metadata.fly_release_version ?? 0) - Number(a.config.metadata.fly_release_version ?? 0),
  )[0];
  const image = newest?.config.metadata.fly_release_version ? `${newest.image_ref.repository}:${newest.image_ref.tag}` : '-';
  const headers = ['Name', 'Owner', 'Hostname', 'Image', ...(app.network ? ['Network'] : [])];
  let text = verticalTable('App', [app.name, app.org, app.hostname, image, app.network], headers);
  if (managed.length > 0) {
    const rows = managed
      .map((m) => [
        group(m) || '<default>',
        m.id,
        m.config.metadata.fly_release_version ?? '',
        m.region,
        m.state,
        m.config.metadata.role ?? '',
        checksSummary(m),
        m.updated_at,
      ])
      .sort((a, b) => a.join('\u0000').localeCompare(b.join('\u0000')));
    text += table('Machines', rows, ['Process', 'ID', 'Version', 'Region', 'State', 'Role', 'Checks', 'Last Updated']);
  }
  if (machines.length > managed.length) text += "Found machines that aren't part of Fly Launch, run fly machines list to see them.\n";
  ctx.out(text);
}

export function machineList(ctx) {
  ctx.requireAuth();
  const name = ctx.appName();
  const w = ctx.read();
  const app = findApp(ctx, w.state, name);
  if (!app) throw flapsAppNotFound(ctx, w);
  const machines = listMachines(app);
  if (ctx.flags.json) return ctx.json(machines.map(machineJson));
  if (machines.length === 0) {
    if (!ctx.flags.quiet) ctx.out(`No machines are available on this app ${name}\n`);
    return;
  }
  if (ctx.flags.quiet)
    return ctx.out(
      table(
        '',
        machines.map((m) => [m.id]),
      ),
    );
  ctx.out(
    `${machines.length} machines have been retrieved from app ${name}.\nView them in the UI here (\u200Bhttps://fly.io/apps/${name}/machines/)\n\n`,
  );
  const rows = machines.map((m) => {
    const checks = m.checks ?? [];
    const passing = checks.filter((c) => c.status === 'passing').length;
    const guest = m.config?.guest;
    return [
      m.id,
      m.name,
      m.state,
      checks.length ? `${passing}/${checks.length}` : '',
      m.region,
      '',
      `${m.image_ref.repository}:${m.image_ref.tag}`,
      m.private_ip,
      m.config?.mounts?.[0]?.volume ?? '',
      m.created_at,
      m.updated_at,
      group(m),
      guest ? `${sizeOfGuest(guest)}:${guest.memory_mb}MB` : '',
    ];
  });
  const headers = [
    'ID',
    'Name',
    'State',
    'Checks',
    'Region',
    'Role',
    'Image',
    'IP Address',
    'Volume',
    'Created',
    'Last Updated',
    'Process Group',
    'Size',
  ];
  ctx.out(table(name, rows, headers));
}

export function checksList(ctx) {
  ctx.requireAuth();
  const name = ctx.appName();
  const w = ctx.read();
  const app = findApp(ctx, w.state, name);
  if (!app) throw flapsAppNotFound(ctx, w, 'list active VMs');
  const machines = listActive(app).sort((a, b) => (a.id < b.id ? -1 : 1));
  if (ctx.flags.json) {
    return ctx.json(Object.fromEntries(machines.map((m) => [m.id, (m.checks ?? []).map(checkStatusJson)])));
  }
  const now = w.tick();
  const filter = ctx.flags['check-name'];
  const rows = [];
  for (const m of machines) {
    for (const c of [...(m.checks ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!filter || c.name === filter) rows.push([c.name, c.status, m.id, relativeTime(c.updated_at, now), c.output]);
    }
  }
  ctx.out(`Health Checks for ${name}\n`);
  ctx.out(table('', rows, ['Name', 'Status', 'Machine', 'Last Updated', 'Output'], { headerLine: true, blankAfter: false }));
}
