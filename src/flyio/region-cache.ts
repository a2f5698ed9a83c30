/**
 * Where the region list comes from. Decided once, here:
 * - Commands that talk to flyctl anyway (deploy, scale) refresh the list with
 *   `flyctl platform regions --json` when the cached copy is missing or older than 7 days, and
 *   write it to $XDG_CACHE_HOME/gpuctl/fly-regions.json (default ~/.cache). A failed refresh (not
 *   logged in, offline, an answer that does not parse) keeps what was there; it never fails the command.
 * - init and validate never start flyctl: they read the cached copy if there is one (whatever its
 *   age), else the built-in list. They work offline.
 */
import { dirname } from 'node:path';
import type { Ctx } from '../context.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { isGpuctlError } from '../errors.js';
import type { FlyClient } from './client.js';
import { BUILT_IN_REGIONS, type Region, type RegionList } from './regions.js';
import { jsonText } from '../ui/output.js';
import { readRegularFileSync } from '../shared/regular-file.js';
import { makeDirs } from '../shared/make-dirs.js';
import { gpuctlDir } from '../shared/paths.js';

export const REGION_CACHE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export function regionCachePath(env: Ctx['env']): string {
  return gpuctlDir(env, 'cache', 'fly-regions.json');
}

/** The cached copy, or undefined when there is none or it does not read as a region list. */
function readCache(path: string): RegionList | undefined {
  try {
    const data = JSON.parse(readRegularFileSync(path, 'utf8')) as { fetchedAt?: unknown; regions?: unknown };
    const isRegion = (r: unknown): r is Region =>
      typeof (r as Region | null)?.code === 'string' && typeof (r as Region | null)?.name === 'string';
    const regions = Array.isArray(data.regions) ? (data.regions as unknown[]).filter(isRegion) : [];
    if (!regions.length || typeof data.fetchedAt !== 'string' || Number.isNaN(Date.parse(data.fetchedAt))) return undefined;
    return { regions, source: 'flyctl', fetchedAt: data.fetchedAt };
  } catch {
    return undefined;
  }
}

/** For init and validate: the cached flyctl list when there is one, else the built-in list. No process starts. */
export function knownRegions(ctx: Pick<Ctx, 'env'>): RegionList {
  return readCache(regionCachePath(ctx.env)) ?? BUILT_IN_REGIONS;
}

/** For deploy and scale, with a flyctl at hand: refresh a missing or week-old copy, then use it. */
export async function refreshedRegions(ctx: Ctx, fly: FlyClient): Promise<RegionList> {
  const path = regionCachePath(ctx.env);
  const cached = readCache(path);
  if (cached && ctx.clock.now().getTime() - Date.parse(cached.fetchedAt!) < REGION_CACHE_MAX_AGE_MS) return cached;
  try {
    const regions = await fly.platformRegions();
    const fresh: RegionList = { regions, source: 'flyctl', fetchedAt: ctx.clock.now().toISOString() };
    try {
      makeDirs(dirname(path));
      writeFileAtomic(path, jsonText({ fetchedAt: fresh.fetchedAt, regions }));
    } catch (error) {
      ctx.log.debug(`Could not cache the region list in ${path}: ${(error as Error).message}`);
    }
    return fresh;
  } catch (error) {
    if (isGpuctlError(error) && error.code === 'interrupted') throw error;
    ctx.log.debug(`Keeping the ${cached ? 'cached' : 'built-in'} region list: ${(error as Error).message}`);
    return cached ?? BUILT_IN_REGIONS;
  }
}
