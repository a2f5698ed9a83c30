/** volumes create / list (internal/command/volumes/create.go, list.go, volumes.go). */
import { REGION_CODES } from './catalog.mjs';
import { couldNotFindApp, findApp } from './cmd-apps.mjs';
import { FlyError } from './errors.mjs';
import { apiRejection } from './machine-ops.mjs';
import { newVolume } from './model.mjs';
import { relativeTime, table } from './table.mjs';
import { guestFromFlags } from './vm-guest.mjs';

const volumeJson = (v) => {
  const { host_status: hostStatus, ...rest } = v;
  return hostStatus ? { ...rest, host_status: hostStatus } : rest;
};

/** time.RFC822: "22 Nov 26 12:00 UTC". */
function rfc822(iso) {
  const d = new Date(iso);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}

function printVolume(v, app) {
  const line = (k, val) => `${k.padStart(20)}: ${val}\n`;
  return [
    line('ID', v.id),
    line('Name', v.name),
    line('App', app),
    line('Region', v.region),
    line('Zone', v.zone),
    line('Size GB', v.size_gb),
    line('Encrypted', v.encrypted),
    line('Created at', rfc822(v.created_at)),
    line('Snapshot retention', v.snapshot_retention),
    line('Scheduled snapshots', v.auto_backup_enabled),
  ].join('');
}

export function volumesCreate(ctx) {
  ctx.requireAuth();
  const name = ctx.appName();
  const [volumeName] = ctx.args;
  const result = ctx.mutate((w) => {
    const app = findApp(ctx, w.state, name);
    if (!app) throw new FlyError(couldNotFindApp(name));
    const count = ctx.flags.count;
    if (!ctx.flags.yes && count <= 1 && !app.volumes.some((v) => v.name === volumeName)) {
      ctx.err(
        'Warning! Every volume is pinned to a specific physical host. You should create two or more volumes per application to avoid downtime. Learn more at https://fly.io/docs/volumes/overview/\n',
      );
      throw new FlyError('yes flag must be specified when not running interactively');
    }
    const region = ctx.flags.region;
    if (!region) throw new FlyError('region code must be specified when not running interactively');
    if (!REGION_CODES.has(region)) throw new FlyError(`region ${region} not found`);
    guestFromFlags(ctx); // flag validation only: the guest is a placement hint
    const rejection = apiRejection(ctx, w, undefined, 'failed to create volume');
    if (rejection) throw rejection;
    const created = [];
    for (let i = 0; i < count; i++) {
      const volume = newVolume(w, {
        name: volumeName,
        region,
        sizeGb: ctx.flags.size,
        encrypted: !ctx.flags['no-encryption'],
        snapshotRetention: ctx.flags['snapshot-retention'],
        autoBackup: ctx.flags['scheduled-snapshots'],
      });
      app.volumes.push(volume);
      created.push(volume);
    }
    return created;
  });
  for (const v of result) ctx.flags.json ? ctx.json(volumeJson(v)) : ctx.out(printVolume(v, name));
}

export function volumesList(ctx) {
  ctx.requireAuth();
  const name = ctx.appName();
  const w = ctx.read();
  const app = findApp(ctx, w.state, name);
  if (!app) throw new FlyError(`failed retrieving volumes: failed to list volumes: app not found`);
  const volumes = app.volumes.filter((v) => ctx.flags.all || !['destroyed', 'pending_destroy', 'destroying'].includes(v.state));
  if (ctx.flags.json) return ctx.json(volumes.map(volumeJson));
  const now = w.tick();
  const rows = volumes.map((v) => [
    v.id,
    v.state,
    v.name,
    `${v.size_gb}GB`,
    v.region,
    v.zone,
    String(v.encrypted),
    v.attached_machine_id ?? '',
    relativeTime(v.created_at, now),
  ]);
  ctx.out(table('', rows, ['ID', 'State', 'Name', 'Size', 'Region', 'Zone', 'Encrypted', 'Attached VM', 'Created At']));
}
