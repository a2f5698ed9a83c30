/**
 * apps list, apps create (internal/command/apps/list.go, create.go) and releases / apps releases
 * (internal/command/apps/releases.go).
 */
import { appJson, orgOf, releaseJson } from './app-json.mjs';
import { FlyError } from './errors.mjs';
import { requestId } from './ids.mjs';
import { newApp } from './model.mjs';
import { relativeTime, table } from './table.mjs';

const NAME_TAKEN_SUGGESTION =
  'App names are unique across all of Fly.io, not just your organization, so this name may be held by an app you cannot see. Try a different name.';

/** The app, or undefined when it does not exist (or the app-not-found fault is on). */
export function findApp(ctx, state, name) {
  if (ctx.faults.has('app-not-found')) return undefined;
  return state.apps[name];
}

export const couldNotFindApp = (name) => `Could not find App "${name}"`;

export function appsList(ctx) {
  ctx.requireAuth();
  const { state, tick } = ctx.read();
  const slug = ctx.flags.org;
  if (slug && !state.orgs.some((o) => o.slug === slug)) {
    throw new FlyError(`error getting organization: Could not find Organization "${slug}"`);
  }
  const apps = Object.values(state.apps)
    .filter((app) => !slug || app.org === slug)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  if (ctx.flags.json) return ctx.json(apps.map((app) => appJson(app, orgOf(state, app))));
  if (apps.length === 0) {
    if (!ctx.flags.quiet) ctx.out('No apps found\n');
    return;
  }
  if (ctx.flags.quiet)
    return ctx.out(
      table(
        '',
        apps.map((app) => [app.name]),
      ),
    );
  const now = tick();
  const showNetwork = apps.some((app) => app.network);
  const rows = apps.map((app) => {
    const current = [...app.releases].sort((a, b) => b.version - a.version)[0];
    const latest = app.deployed && current ? relativeTime(current.createdAt, now) : '';
    return [app.name, app.org, app.status, ...(showNetwork ? [app.network] : []), latest];
  });
  ctx.out(table('', rows, ['Name', 'Owner', 'Status', ...(showNetwork ? ['Network'] : []), 'Latest Deploy']));
}

function chooseName(ctx) {
  const [arg] = ctx.args;
  const flagName = ctx.flags.name;
  if (arg && flagName && arg !== flagName) {
    throw new FlyError(`two app names specified ${arg} and ${flagName}, only one may be specified`);
  }
  const name = arg || flagName;
  if (name) return name;
  if (ctx.flags['generate-name']) return undefined;
  throw new FlyError('name argument or flag must be specified when not running interactively');
}

function chooseOrg(ctx, state) {
  const slug = ctx.flags.org;
  if (slug) {
    const org = state.orgs.find((o) => o.slug === slug);
    if (!org) throw new FlyError(`organization ${slug} not found`);
    return org;
  }
  if (state.orgs.length === 1 && state.orgs[0].type === 'PERSONAL') {
    ctx.err(`automatically selected personal organization: ${state.orgs[0].name}\n`);
    return state.orgs[0];
  }
  throw new FlyError('org slug must be specified when not running interactively');
}

export function appsCreate(ctx) {
  ctx.requireAuth();
  const wanted = chooseName(ctx);
  const { app, org } = ctx.mutate((w) => {
    const org = chooseOrg(ctx, w.state);
    const name =
      wanted ??
      `${['ancient', 'billowing', 'cool', 'dawn'][w.state.counter % 4]}-${['forest', 'river', 'sky', 'field'][(w.state.counter >> 2) % 4]}-${1000 + w.next()}`;
    if (w.state.apps[name]) {
      throw new FlyError('Name has already been taken', { requestId: requestId(w.tick(), w.next()), suggestion: NAME_TAKEN_SUGGESTION });
    }
    const app = newApp(w, { name, org: org.slug, network: ctx.flags.network });
    w.state.apps[name] = app;
    return { app, org };
  });
  if (ctx.flags.json) return ctx.json(appJson(app, org, { full: true }));
  ctx.out(`New app created: ${app.name}\n`);
}

export function releases(ctx) {
  ctx.requireAuth();
  const name = ctx.appName();
  const { state, tick } = ctx.read();
  const app = findApp(ctx, state, name);
  if (!app) throw new FlyError(`failed retrieving app releases ${name}: ${couldNotFindApp(name)}`);
  const list = [...app.releases].sort((a, b) => b.version - a.version).slice(0, 25);
  if (ctx.flags.json) return ctx.json(list.map(releaseJson));
  const now = tick();
  const image = ctx.flags.image;
  const rows = list.map((r) => [
    `v${r.version}`,
    r.status,
    r.description,
    r.user.email,
    relativeTime(r.createdAt, now),
    ...(image ? [r.imageRef] : []),
  ]);
  ctx.out(table('', rows, ['Version', 'Status', 'Description', 'User', 'Date', ...(image ? ['Docker Image'] : [])]));
}
