/**
 * `fly deploy` (internal/command/deploy/deploy.go, deploy_build.go, internal/build/imgsrc): verify
 * the config, "build" or resolve the image, then run the machines phase (deploy-machines.mjs)
 * against state. The release is created before the machines phase and ends `complete` or
 * `failed`; a GPU rejection leaves the state untouched (see README: differences).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { normalizeConfig, STRATEGIES, validate } from './appconfig.mjs';
import { guestFromFlags } from './vm-guest.mjs';
import { FlyError } from './errors.mjs';
import { imageId, requestId, ulid } from './ids.mjs';
import { GPU_REJECTED } from './machine-ops.mjs';
import { deployMachines, provisionFirstDeploy } from './deploy-machines.mjs';
import { newRelease } from './model.mjs';
import { parseDuration } from './gojson.mjs';

const NO_BUILD =
  'failed to fetch an image or build from source: app does not have a Dockerfile or buildpacks configured. See https://fly.io/docs/reference/configuration/#the-build-section';

function durationFlag(ctx, name) {
  if (!ctx.specified.has(name)) return undefined;
  const v = ctx.flags[name];
  if (v === 'none') return 0;
  const ms = /^\d+$/.test(v) ? Number(v) * 1000 : parseDuration(v);
  if (ms === undefined) {
    throw new FlyError(
      `invalid duration value ${v} used for --${name} flag: valid options are a number of seconds, number with time unit (i.e.: 5m, 180s) or 'none'`,
    );
  }
  return ms;
}

function parseEnv(pairs) {
  const env = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new FlyError(`failed parsing environment: '${pair}': must be in the format NAME=VALUE`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/** "==> Building image": resolve a pre-built image, or pretend to build the Dockerfile remotely. */
function buildImage(ctx, cfg, w, appName) {
  ctx.err('==> Building image\n');
  const image = ctx.flags.image || cfg.image;
  if (image) {
    ctx.err(`Searching for image '${image}' ${ctx.flags['local-only'] ? 'locally' : 'remotely'}...\n`);
    ctx.err(`image found: ${imageId(w.next())}\n`);
    return image;
  }
  const dockerfile = ctx.flags.dockerfile ? resolve(ctx.workingDir(), ctx.flags.dockerfile) : join(ctx.workingDir(), 'Dockerfile');
  if (!existsSync(dockerfile)) {
    if (ctx.flags.dockerfile) throw new FlyError(`failed to fetch an image or build from source: dockerfile '${dockerfile}' not found`);
    throw new FlyError(NO_BUILD);
  }
  const at = w.tick();
  const tag = `registry.fly.io/${appName}:${ctx.flags['image-label'] || `deployment-${ulid(at, 'deployment', w.next())}`}`;
  if (ctx.flags['local-only']) {
    ctx.err('==> Building image with Docker\n--> Building image done\n');
  } else {
    const build = ulid(at, 'build', w.next()).toLowerCase();
    ctx.err(
      `Waiting for depot builder...\n\n==> Building image with Depot\n--> build:  (\u200Bhttps://depot.dev/orgs/fly/projects/${appName}/builds/${build})\n`,
    );
    ctx.err(`--> Build Summary:  (\u200Bhttps://depot.dev/orgs/fly/projects/${appName}/builds/${build})\n--> Building image done\n`);
  }
  ctx.err(`image: ${tag}\nimage size: 48 MB\n`);
  return tag;
}

/** appconfig Config.URL: an [http_service], or a service port with the "http" handler. */
const hasUrl = (cfg) =>
  cfg.httpService?.internal_port > 0 || cfg.services.some((s) => (s.ports ?? []).some((p) => (p.handlers ?? []).includes('http')));

export function deploy(ctx) {
  ctx.requireAuth();
  const name = ctx.appName();
  ctx.err('==> Verifying app config\n');
  const loaded = ctx.appConfig();
  const stored = ctx.read().state.apps[name]?.lastConfig;
  if (!loaded && !stored) throw new FlyError('App config file not found');
  const cfg = normalizeConfig(loaded?.data ?? stored, loaded?.file ?? '');
  cfg.app = name;
  const env = parseEnv(ctx.flags.env);
  ctx.out(`Validating ${cfg.file}\n`);
  const checked = validate(cfg);
  ctx.out(checked.info);
  if (checked.error) throw new FlyError(checked.error);
  ctx.err('--> Verified app config\n');

  const result = ctx.mutate((w) => {
    const app = ctx.faults.has('app-not-found') ? undefined : w.state.apps[name];
    if (!app) throw new FlyError('app not found', { requestId: requestId(w.tick(), w.next()) });
    const image = buildImage(ctx, cfg, w, name);
    ctx.out(`\nWatch your deployment at https://fly.io/apps/${name}/monitoring\n\n`);
    durationFlag(ctx, 'release-command-timeout');
    const waitMs = durationFlag(ctx, 'wait-timeout') ?? parseDuration(cfg.deploy.wait_timeout ?? '5m', 1000);
    const guest = guestFromFlags(ctx);
    if (ctx.flags.strategy) cfg.deploy.strategy = ctx.flags.strategy;
    if (ctx.flags['primary-region']) cfg.primaryRegion = ctx.flags['primary-region'];
    const again = validate(cfg);
    if (again.error) {
      ctx.err(`Validating ${cfg.file}\n${again.info}`);
      throw new FlyError(again.error);
    }
    const strategy = cfg.deploy.strategy && STRATEGIES.includes(cfg.deploy.strategy) ? cfg.deploy.strategy : 'rolling';
    const existing = app.machines.some((m) => m.state !== 'destroyed');
    const plan = {
      cfg,
      image,
      guest,
      strategy,
      env,
      waitMs,
      region: cfg.primaryRegion || 'iad',
      ha: ctx.flags.ha,
      detach: ctx.flags.detach,
      updateOnly: ctx.flags['update-only'],
      onlyRegions: ctx.flags.regions,
      volumeInitialSize: ctx.flags['volume-initial-size'],
      firstDeploy: !app.deployed && !existing,
    };
    if (plan.firstDeploy) provisionFirstDeploy(ctx, w, app, plan);
    const version = Math.max(0, ...app.releases.map((r) => r.version)) + 1;
    const release = newRelease(w, app, { version, imageRef: image, status: 'running', strategy, email: ctx.email() });
    app.releases.push(release);
    try {
      deployMachines(ctx, w, app, plan, release);
    } catch (error) {
      if (error.message.includes(GPU_REJECTED)) throw error; // the API refused before anything changed
      release.status = 'failed';
      release.stable = false;
      return { error, app };
    }
    release.status = 'complete';
    release.stable = true;
    app.status = 'deployed';
    app.deployed = true;
    app.lastConfig = loaded?.data ?? stored;
    return { release, app, plan };
  });
  if (result.error) throw result.error;
  const { release, app, plan } = result;
  const hasServices = Boolean(plan.cfg.httpService) || plan.cfg.services.length > 0;
  if (hasServices && ctx.flags['dns-checks'] && (app.ips ?? []).length > 0) {
    ctx.err(`Checking DNS configuration for ${app.hostname}\n✓ DNS configuration verified\n`);
  }
  if (ctx.env.FLY_EMIT_RELEASE_JSON) {
    ctx.out(`${JSON.stringify({ id: release.id, version: release.version, image_ref: release.imageRef })}\n`);
  }
  if (ctx.flags['no-public-ips']) ctx.out('\nYour app is deployed but does not have a public or private IP address\n');
  else if (ctx.flags.flycast)
    ctx.out(`\nYour your newly deployed app is available in the organizations' private network under http://${name}.flycast\n`);
  else if (hasUrl(plan.cfg)) ctx.out(`\nVisit your newly deployed app at https://${app.hostname}/\n\n`);
}
