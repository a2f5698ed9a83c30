/**
 * Fly.io region codes (superfly/docs reference/regions.html.markerb; facts §2.7). `flyctl platform
 * regions --json` is the live list; this copy lets preflight catch a typo without a network call.
 */
export const FLY_REGIONS: Readonly<Record<string, string>> = {
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

export function isKnownRegion(code: string): boolean {
  return Object.hasOwn(FLY_REGIONS, code);
}

/** Regions one letter away from a typo, e.g. "ordd" → ord. */
export function nearRegions(code: string): string[] {
  const distance = (a: string, b: string): number => {
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
  };
  return Object.keys(FLY_REGIONS).filter((known) => distance(code.toLowerCase(), known) <= 1);
}
