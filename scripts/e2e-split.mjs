// Splits the e2e files (not the [slow] ones, nor those named by --skip) into N parts of about equal running time,
// for CI's passes on newer Node majors (.ci/run): `node scripts/e2e-split.mjs 1/2 --skip test/e2e/a.test.ts ...`
// prints part 1's files, one a line. Times come from the vitest results cache that `npm test` has just written
// (node_modules/.vite/vitest/*/results.json); a file without one counts as the median. Greedy, longest first, onto
// the lightest part, ties by path: every file in exactly one part, and the same split for every part asked, as
// long as the cache does not change in between (.ci/run computes both parts before running either).
// With the parts as explicit file lists, each Node runs its core and its part in one vitest run (vitest's --shard
// would split the core too), which saves the starts and the idle tail of a second run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** FILES in N parts by DURATIONS (ms by path; missing: the median of those known). */
export function split(files, durations, n) {
  const known = files
    .map((f) => durations.get(f))
    .filter((d) => d !== undefined)
    .sort((a, b) => a - b);
  const fallback = known.length ? known[Math.floor(known.length / 2)] : 1;
  const cost = (f) => durations.get(f) ?? fallback;
  const parts = Array.from({ length: n }, () => ({ files: [], total: 0 }));
  const order = [...files].sort((a, b) => cost(b) - cost(a) || (a < b ? -1 : a > b ? 1 : 0));
  for (const file of order) {
    const lightest = parts.reduce((best, part) => (part.total < best.total ? part : best));
    lightest.files.push(file);
    lightest.total += cost(file);
  }
  return parts.map((part) => part.files.sort());
}

/** The e2e project's durations (ms) by file, from every results.json under the vitest cache. */
export function cachedDurations(root) {
  const durations = new Map();
  const cache = join(root, 'node_modules/.vite/vitest');
  if (!existsSync(cache)) return durations;
  for (const dir of readdirSync(cache)) {
    const file = join(cache, dir, 'results.json');
    if (!existsSync(file)) continue;
    for (const [key, result] of JSON.parse(readFileSync(file, 'utf8')).results ?? []) {
      if (key.startsWith('e2e:') && typeof result?.duration === 'number') durations.set(key.slice(4), result.duration);
    }
  }
  return durations;
}

function e2eFiles(root, skip) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.ts') && !entry.name.endsWith('.slow.test.ts')) out.push(relative(root, path));
    }
  };
  walk(join(root, 'test/e2e'));
  return out.filter((f) => !skip.has(f));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [which = '', ...rest] = process.argv.slice(2);
  const m = /^(\d+)\/(\d+)$/.exec(which);
  const skip = new Set(rest.flatMap((arg, i) => (rest[i - 1] === '--skip' ? [arg] : [])));
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) {
    console.error('usage: node scripts/e2e-split.mjs I/N [--skip FILE]...');
    process.exit(2);
  }
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const file of split(e2eFiles(root, skip), cachedDurations(root), Number(m[2]))[Number(m[1]) - 1]) console.log(file);
}
