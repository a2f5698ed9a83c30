/**
 * Deploy's preflight: everything checked before anything is built. Runs the read-only flyctl calls
 * (version, whoami, releases, status) and the local fly.toml checks, and returns one row per check
 * plus the first error that must stop the deploy. Rows that depend on a failed one are skipped.
 */
import { resolveFlyToml } from '../flyio/config-path.js';
import type { Ctx } from '../context.js';
import { FailedError, isGpuctlError, UsageError, type GpuctlError } from '../errors.js';
import { checkFlyAppName } from '../flyio/app-name.js';
import { findFlyctl, versionProblem, type FlyClient } from '../flyio/client.js';
import { FlyError } from '../flyio/failures.js';
import { skipsLaunch } from '../flyio/machines.js';
import { knownRegions, refreshedRegions } from '../flyio/region-cache.js';
import { isKnownRegion, unknownRegion, type RegionList } from '../flyio/regions.js';
import type { FlyRelease } from '../flyio/schemas.js';
import { parseFlyTomlBytes } from '../flyio/fly-toml.js';
import { readFlyToml, type ConfigCheck, type FlyTomlFacts } from './config.js';
import { gpuStopError, verifyWithoutGpuError } from './gpu-stop.js';
import type { DeployOptions } from './options.js';
import { NotRegularFileError, readRegularFile } from '../shared/regular-file.js';

export type RowStatus = 'pass' | 'warn' | 'fail' | 'skip';
export interface PreflightRow {
  name: 'flyctl' | 'login' | 'fly.toml' | 'app' | 'region';
  status: RowStatus;
  detail: string;
}

export interface Preflight {
  rows: PreflightRow[];
  /** The first reason to stop; undefined when the deploy may go ahead. */
  stop: GpuctlError | undefined;
  fly: FlyClient | undefined;
  app: string | undefined;
  configPath: string;
  facts: FlyTomlFacts | undefined;
  region: string | undefined;
  appExists: boolean;
  /** The newest complete release before this deploy: what --rollback goes back to. */
  previous: FlyRelease | undefined;
  /** Machines flyctl deploy will update without starting (flyio/machines.ts skipsLaunch: their state now, fly.toml's services). */
  resting: ReadonlySet<string>;
}

const row = (name: PreflightRow['name'], status: RowStatus, detail: string): PreflightRow => ({ name, status, detail });

async function localChecks(ctx: Ctx, options: DeployOptions, check: ConfigCheck, configPath: string) {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(resolveFlyToml(ctx.cwd, configPath));
  } catch (caught) {
    if (caught instanceof NotRegularFileError) return { row: row('fly.toml', 'fail', caught.message), error: caught, facts: undefined };
    const error = new UsageError(`${configPath} not found.`, { hint: 'Run gpuctl in the directory of fly.toml, or pass -c/--config.' });
    return { row: row('fly.toml', 'fail', `${configPath} not found`), error, facts: undefined };
  }
  const read = readFlyToml(configPath, parseFlyTomlBytes(bytes));
  const findings = check({ path: configPath, text: bytes.toString('utf8'), bytes }).filter((f) => !(options.allowGpu && /gpu/i.test(f.id)));
  const errors = findings.filter((f) => f.severity === 'error');
  // A GPU guest comes first: whatever else is wrong, that is what would fail on Fly.io.
  const gpuFirst = read.ok ? read.facts.gpuGuests[0] : undefined;
  if (gpuFirst && !options.allowGpu) {
    return {
      row: row('fly.toml', 'fail', `GPU guest (gpu_kind "${gpuFirst.kind}"): retired on Fly.io`),
      error: gpuStopError(configPath, gpuFirst),
      facts: read.ok ? read.facts : undefined,
    };
  }
  if (read.ok && options.verifyGpu && read.facts.gpuGuests.length === 0) {
    const flag = options.verifyGpuDiag ? '--verify-gpu-diag' : '--verify-gpu';
    return {
      row: row('fly.toml', 'fail', `no GPU guest for ${flag} to check`),
      error: verifyWithoutGpuError(configPath, flag),
      facts: read.facts,
    };
  }
  if (!read.ok || errors.length) {
    const first = errors[0] ?? (read.ok ? undefined : read.finding);
    const at = first?.line ? `${configPath}:${first.line}` : configPath;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more: run \`gpuctl validate\`)` : '';
    // A file that does not parse is bad input (exit 2, as a missing one); rule findings are a failed check (exit 1).
    const Failure = read.ok ? FailedError : UsageError;
    const error = new Failure(`${at}: ${first?.message ?? 'invalid'}${more}`, {
      hint: first?.fix ?? (read.ok ? undefined : 'Fix the TOML syntax at that line; `gpuctl validate` shows it too.'),
    });
    return { row: row('fly.toml', 'fail', `${at}: ${first?.message ?? 'invalid'}`), error, facts: read.ok ? read.facts : undefined };
  }
  const gpu = read.facts.gpuGuests[0];
  const warnings = findings.length ? `, ${findings.length} warning${findings.length > 1 ? 's' : ''}` : '';
  const status = gpu ? 'warn' : findings.length ? 'warn' : 'pass';
  const detail = gpu ? `GPU guest "${gpu.kind}" kept (--allow-gpu): Fly.io will reject it${warnings}` : `${configPath} valid${warnings}`;
  return { row: row('fly.toml', status, detail), error: undefined, facts: read.facts };
}

function regionCheck(region: string | undefined, list: RegionList) {
  if (!region) return { row: row('region', 'warn', 'no primary_region: flyctl keeps the regions the machines have'), error: undefined };
  if (isKnownRegion(region, list)) return { row: row('region', 'pass', region), error: undefined };
  const { message, hint } = unknownRegion(region, list);
  return { row: row('region', 'fail', `"${region}" is not a Fly.io region`), error: new UsageError(message, { hint }) };
}

/** Machines flyctl deploy will update without starting (a standby; stopped or suspended under the new fly.toml's autoscaling); best effort. */
async function restingMachines(fly: FlyClient, app: string, facts: FlyTomlFacts | undefined): Promise<Set<string>> {
  if (!facts) return new Set();
  try {
    const machines = (await fly.status(app)).machines;
    return new Set(machines.filter((m) => skipsLaunch(m, facts.launchConfig(m.processGroup))).map((m) => m.id));
  } catch (error) {
    if (isGpuctlError(error) && error.code === 'interrupted') throw error;
    return new Set();
  }
}

/** The app's releases, or undefined when flyctl says the app does not exist (or this token cannot see it). */
async function appReleases(fly: FlyClient, app: string): Promise<FlyRelease[] | undefined> {
  try {
    return await fly.releases(app);
  } catch (error) {
    if (error instanceof FlyError && error.reason === 'app-not-found') return undefined;
    throw error;
  }
}

/** -a, then FLY_APP, then fly.toml's `app`, each checked as a Fly app name before it reaches flyctl. */
function appName(flag: string | undefined, env: string | undefined, toml: string | undefined, config: string): string | undefined {
  if (flag) return checkFlyAppName(flag, '--app');
  if (env) return checkFlyAppName(env, 'FLY_APP');
  return toml === undefined ? undefined : checkFlyAppName(toml, `\`app\` in ${config}`);
}

export async function preflight(ctx: Ctx, options: DeployOptions, check: ConfigCheck): Promise<Preflight> {
  const configPath = options.config;
  const local = await localChecks(ctx, options, check, configPath);
  const region = options.region ?? local.facts?.primaryRegion;
  const app = appName(options.app, ctx.env.FLY_APP, local.facts?.app, configPath);
  const result: Preflight = {
    rows: [],
    stop: undefined,
    fly: undefined,
    app,
    configPath,
    facts: local.facts,
    region,
    appExists: false,
    previous: undefined,
    resting: new Set(),
  };
  const remote: PreflightRow[] = [];
  const errors = new Map<PreflightRow['name'], GpuctlError>();
  if (local.error) errors.set('fly.toml', local.error);
  const fail = (name: PreflightRow['name'], detail: string, error: GpuctlError) => {
    remote.push(row(name, 'fail', detail));
    errors.set(name, error);
  };
  try {
    const found = await findFlyctl(ctx);
    const tooOld = versionProblem(found.version.version);
    if (tooOld) throw new FailedError(tooOld, { hint: 'Update flyctl: `flyctl version upgrade`.' });
    remote.push(row('flyctl', 'pass', `v${found.version.version} (${found.file})`));
    result.fly = found.fly;
  } catch (error) {
    if (!isGpuctlError(error) || error.code === 'interrupted') throw error;
    fail('flyctl', error.message, error);
  }
  const fly = result.fly;
  if (fly) {
    try {
      remote.push(row('login', 'pass', await fly.whoami()));
    } catch (error) {
      if (!isGpuctlError(error) || error.code === 'interrupted') throw error;
      fail('login', error.message, error);
    }
  } else remote.push(row('login', 'skip', 'needs flyctl'));
  const loggedIn = remote.at(-1)?.status === 'pass';
  // The region list: refreshed through flyctl when it is there and logged in, else the cached or built-in copy.
  const regional = regionCheck(region, fly && loggedIn ? await refreshedRegions(ctx, fly) : knownRegions(ctx));
  if (regional.error) errors.set('region', regional.error);
  if (!app) {
    fail(
      'app',
      'no app name',
      new UsageError('No app name: fly.toml has no `app`, and neither -a nor FLY_APP is set.', { hint: 'Pass -a <name>.' }),
    );
  } else if (fly && loggedIn) {
    try {
      // The app's own releases say whether it exists: an app-scoped deploy token (what CI uses) may not list the org's apps.
      const releases = await appReleases(fly, app);
      result.appExists = releases !== undefined;
      if (releases) {
        result.previous = releases.find((r) => r.status === 'complete');
        result.resting = await restingMachines(fly, app, local.facts);
        remote.push(row('app', 'pass', `${app}${result.previous ? `, running v${result.previous.version}` : ', no release yet'}`));
      } else if (options.create && (options.dryRun || errors.size > 0)) {
        // Creating the app is a change on Fly.io: only once everything else has passed.
        const why = options.dryRun ? 'it would be created (--create)' : 'not created, since preflight failed';
        remote.push(row('app', 'warn', `${app} does not exist: ${why}`));
      } else if (options.create) {
        const created = await fly.createApp(app, options.org);
        remote.push(row('app', 'pass', `${created.name} created${created.orgSlug ? ` in ${created.orgSlug}` : ''}`));
        result.appExists = true;
      } else {
        fail(
          'app',
          `${app} not found`,
          new FailedError(`The Fly app "${app}" does not exist, or this token cannot see it.`, {
            hint: 'Check the name (-a, FLY_APP, `app` in fly.toml), or pass --create (with --org) to create it.',
          }),
        );
      }
    } catch (error) {
      if (!isGpuctlError(error) || error.code === 'interrupted') throw error;
      fail('app', error.message, error);
    }
  } else remote.push(row('app', 'skip', 'needs a logged-in flyctl'));
  const order = ['flyctl', 'login', 'fly.toml', 'app', 'region'] as const;
  const byName = new Map([...remote, local.row, regional.row].map((r) => [r.name, r]));
  result.rows = order.flatMap((name) => byName.get(name) ?? []);
  // fly.toml first: its problems (a retired GPU guest above all) remain whatever else gets fixed.
  const stopOrder = ['fly.toml', 'flyctl', 'login', 'app', 'region'] as const;
  result.stop = stopOrder.map((name) => errors.get(name)).find((error) => error !== undefined);
  return result;
}
