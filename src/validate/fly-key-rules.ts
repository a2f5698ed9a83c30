/**
 * Keys fly.toml does not have (flyctl's config model, fly-keys.ts): each one reported where it is,
 * with the nearest known key as a suggestion. A warning, not an error: flyctl ignores such keys on
 * deploy (only `config validate --strict` rejects them), and a newer flyctl may know a key this list
 * does not yet. An [[autoscaling]] block is no fly.toml section at all: its policy belongs to
 * `gpuctl autoscale`.
 */
import { finding, type Finding } from '../shared/findings.js';
import { FLY_TOML_SCHEMA, type KeySchema } from './fly-keys.js';
import type { RuleContext } from './fly-gpu-rules.js';
import type { TomlPath } from '../shared/toml-scan.js';

const isTable = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
export function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) d[0]![j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known key a misspelt one most likely meant: case, dashes and up to a third of the letters apart. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/-/g, '_');
  const limit = Math.max(1, Math.floor(key.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    if (name === '*') continue;
    const d = distance(norm(key), norm(name));
    if (d <= limit && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

interface Unknown {
  path: TomlPath;
  key: string;
  section: string;
  known: string[];
  table: boolean;
}

function sectionName(path: TomlPath): string {
  return path.filter((p) => typeof p === 'string').join('.');
}

function walk(value: Record<string, unknown>, schema: KeySchema, path: TomlPath, out: Unknown[]): void {
  const any = schema['*'];
  for (const [key, child] of Object.entries(value)) {
    const sub = any !== undefined ? any : schema[key];
    if (any === undefined && !(key in schema)) {
      // An array of tables is found at its first element's header.
      const tables = Array.isArray(child) && isTable(child[0]);
      out.push({
        path: tables ? [...path, key, 0] : [...path, key],
        key,
        section: sectionName(path),
        known: Object.keys(schema),
        table: isTable(child) || tables,
      });
      continue;
    }
    if (!sub) continue;
    if (Array.isArray(child)) child.forEach((el, i) => isTable(el) && walk(el, sub, [...path, key, i], out));
    else if (isTable(child)) walk(child, sub, [...path, key], out);
  }
}

/** `raw` is fly.toml as parsed, before any of flyctl's rewrites. */
export function unknownKeyRules(raw: Record<string, unknown>, { file, at }: Pick<RuleContext, 'file' | 'at'>): Finding[] {
  const unknown: Unknown[] = [];
  walk(raw, FLY_TOML_SCHEMA, [], unknown);
  return unknown.map((u) => {
    if (u.key === 'autoscaling' && u.section === '') {
      return finding(
        'fly-autoscaling-block',
        file,
        at(u.path),
        `[${Array.isArray(raw.autoscaling) ? '[autoscaling]' : 'autoscaling'}] is not a fly.toml section: flyctl ignores it, so nothing scales on it.`,
        'Move the policy to `gpuctl autoscale` (its TOML policy file; see `gpuctl autoscale --help`) and delete the block here.',
      );
    }
    const where = u.section ? `[${u.section}]` : 'the top level';
    const guess = didYouMean(u.key, u.known);
    const what = u.table && !u.section ? `section [${u.key}]` : `key ${u.key} in ${where}`;
    return finding(
      'fly-unknown-key',
      file,
      at(u.path),
      `Unknown ${what}: flyctl's config model has no such ${u.table && !u.section ? 'section' : 'key'}, so flyctl ignores it (\`flyctl config validate --strict\` rejects it).`,
      guess
        ? `Did you mean ${guess}? Rename it.`
        : `Remove it, or check the spelling against flyctl's keys for ${where} (https://fly.io/docs/reference/configuration/).`,
    );
  });
}
