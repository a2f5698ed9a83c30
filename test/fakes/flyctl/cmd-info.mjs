/**
 * version (internal/command/version, internal/buildinfo), auth whoami (internal/command/auth),
 * platform regions / vm-sizes (internal/command/platform).
 */
import { REGIONS, VM_PRESETS } from './catalog.mjs';
import { FLYCTL_VERSION } from './model.mjs';
import { table } from './table.mjs';

// v0.4.87: commit 3eb236f, committed 2026-08-20T15:56:30-03:00 (goreleaser: ShortCommit, CommitDate in UTC).
export const BUILD = { commit: '3eb236f', date: '2026-08-20T18:56:30Z' };

const GOOS = { darwin: 'darwin', linux: 'linux', win32: 'windows', freebsd: 'freebsd' };
const GOARCH = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };

export function version(ctx) {
  const info = {
    Name: ctx.exe,
    Version: FLYCTL_VERSION,
    Commit: BUILD.commit,
    BranchName: '',
    BuildDate: BUILD.date,
    OS: GOOS[process.platform] ?? process.platform,
    Architecture: GOARCH[process.arch] ?? process.arch,
    Environment: 'production',
  };
  if (ctx.flags.json) return ctx.json(info, { compact: true });
  ctx.out(`${info.Name} v${info.Version} ${info.OS}/${info.Architecture} Commit: ${info.Commit} BuildDate: ${info.BuildDate}\n`);
}

export function whoami(ctx) {
  ctx.requireAuth();
  const email = ctx.email();
  if (ctx.flags.json) return ctx.json({ email });
  ctx.out(`${email}\n`);
}

const GEO_NAMES = {
  africa: 'Africa',
  asia_pacific: 'Asia Pacific',
  europe: 'Europe',
  north_america: 'North America',
  south_america: 'South America',
};

/** Sorted by name; the table groups them by geo region (regions.go). */
export function regions(ctx) {
  ctx.requireAuth();
  if (ctx.flags.json) return ctx.json(REGIONS);
  const rows = [];
  for (const geo of Object.keys(GEO_NAMES)) {
    rows.push(['', '', ''], [GEO_NAMES[geo], '', '']);
    for (const r of REGIONS.filter((region) => region.geo_region === geo)) rows.push([r.name, r.code, r.mpg_available ? '✓' : '']);
  }
  ctx.out(table('', rows, ['Name', 'Code', 'MPG']));
}

/** Sorted by CPUs then memory (vmsizes.go); JSON is a Go map, so keys come out sorted. */
export function vmSizes(ctx) {
  ctx.requireAuth();
  const presets = Object.entries(VM_PRESETS).sort(([, a], [, b]) => a.cpus - b.cpus || a.memory_mb - b.memory_mb);
  if (ctx.flags.json) {
    const sorted = Object.fromEntries([...presets].sort(([a], [b]) => (a < b ? -1 : 1)));
    return ctx.json(sorted);
  }
  const rows = (kind) => presets.filter(([, g]) => g.cpu_kind === kind).map(([name, g]) => [name, String(g.cpus), `${g.memory_mb} MB`]);
  ctx.out(table('Machines platform', rows('shared'), ['Name', 'CPU Cores', 'Memory']));
  ctx.out(table('', rows('performance'), ['Name', 'CPU Cores', 'Memory']));
}
