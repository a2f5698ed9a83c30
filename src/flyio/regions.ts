/**
 * Fly.io regions: ONE list for init, validate, scale and deploy. The built-in copy
 * (superfly/docs reference/regions.html.markerb; facts §2.7) is what gpuctl knows offline;
 * region-cache.ts replaces it with `flyctl platform regions --json` when a command that talks to
 * flyctl anyway refreshed the cached copy. Every command refuses an unknown code with the same
 * words (unknownRegion), naming the nearest known codes.
 */
import { UsageError } from '../errors.js';

export interface Region {
  code: string;
  name: string;
}

export interface RegionList {
  regions: readonly Region[];
  /** Where the list came from: gpuctl's built-in copy, or flyctl (with when it was fetched). */
  source: 'built-in' | 'flyctl';
  fetchedAt: string | null;
}

const BUILT_IN: Readonly<Record<string, string>> = {
  ams: 'Amsterdam, Netherlands',
  arn: 'Stockholm, Sweden',
  bom: 'Mumbai, India',
  cdg: 'Paris, France',
  dfw: 'Dallas, Texas (US)',
  ewr: 'Secaucus, NJ (US)',
  fra: 'Frankfurt, Germany',
  gru: 'Sao Paulo, Brazil',
  iad: 'Ashburn, Virginia (US)',
  jnb: 'Johannesburg, South Africa',
  lax: 'Los Angeles, California (US)',
  lhr: 'London, United Kingdom',
  nrt: 'Tokyo, Japan',
  ord: 'Chicago, Illinois (US)',
  sin: 'Singapore, Singapore',
  sjc: 'San Jose, California (US)',
  syd: 'Sydney, Australia',
  yyz: 'Toronto, Canada',
};

export const BUILT_IN_REGIONS: RegionList = {
  regions: Object.entries(BUILT_IN).map(([code, name]) => ({ code, name })),
  source: 'built-in',
  fetchedAt: null,
};

export function isKnownRegion(code: string, list: RegionList = BUILT_IN_REGIONS): boolean {
  return list.regions.some((r) => r.code === code);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The known codes closest to a typo (smallest edit distance, at most 3, in list order): "ordd" → ord, "xyz" → yyz. */
export function nearRegions(code: string, list: RegionList = BUILT_IN_REGIONS): string[] {
  const scored = list.regions.map((r) => ({ code: r.code, d: editDistance(code.toLowerCase(), r.code) }));
  const best = Math.min(...scored.map((s) => s.d));
  return best > 2
    ? []
    : scored
        .filter((s) => s.d === best)
        .slice(0, 3)
        .map((s) => s.code);
}

/** The one message for an unknown region, whichever command met it: a sentence and a hint. */
export function unknownRegion(code: string, list: RegionList = BUILT_IN_REGIONS): { message: string; hint: string } {
  const near = nearRegions(code, list);
  const from = list.source === 'flyctl' ? `flyctl platform regions, ${list.fetchedAt?.slice(0, 10) ?? 'cached'}` : "gpuctl's built-in list";
  const known = `Known regions (${from}): ${list.regions.map((r) => r.code).join(', ')}.`;
  return {
    message: `Unknown Fly.io region "${code}".`,
    hint: near.length ? `Did you mean ${near.join(' or ')}? ${known}` : known,
  };
}

/** For region codes given on the command line (init --region, scale count --region): exit 2 on the first unknown one. */
export function assertKnownRegions(codes: readonly string[], list: RegionList = BUILT_IN_REGIONS): void {
  const unknown = codes.find((code) => !isKnownRegion(code, list));
  if (unknown === undefined) return;
  const { message, hint } = unknownRegion(unknown, list);
  throw new UsageError(message, { hint });
}
