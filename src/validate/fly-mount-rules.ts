/**
 * [[mounts]] sizes as flyctl's `validateMounts` checks them (superfly/flyctl internal/appconfig/validation.go): sizes are
 * read by helpers.ParseSize with go-units' FromHumanSize in whole GB (decimal units: "500mb" is 0 GB); initial_size and
 * the auto-extend sizes must be 1 GB or more; the three auto-extend keys go together, with the threshold 50-99, the
 * increment 1-100 GB and the limit 1-500 GB. `flyctl deploy` stops on any of these. A value that is not a size at all
 * is fly-value-type's; the threshold's own range too.
 */
import { tables } from '../flyio/fly-model.js';
import { finding, type Finding } from '../shared/findings.js';
import type { RuleContext } from './fly-gpu-rules.js';

const DECIMAL: Readonly<Record<string, number>> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 };

/** Whole GB as flyctl reads a size: an integer is GB, else FromHumanSize's bytes / 1e9, truncated; null when unreadable. */
export function sizeGb(value: unknown): number | null {
  if (typeof value === 'number' || typeof value === 'bigint') return Number.isInteger(Number(value)) ? Number(value) : null;
  if (typeof value !== 'string') return null;
  if (/^[+-]?\d+$/.test(value)) return Number(value);
  const match = /^(\d+(?:\.\d+)*) ?([kmgtp])?i?b?$/i.exec(value);
  if (!match?.[1]) return null;
  return Math.trunc((Number.parseFloat(match[1]) * (DECIMAL[(match[2] ?? '').toLowerCase()] ?? Number.NaN)) / 1e9);
}

/** `raw` is fly.toml as parsed. */
export function mountRules(raw: Record<string, unknown>, { file, at }: Pick<RuleContext, 'file' | 'at'>): Finding[] {
  const out: Finding[] = [];
  const mounts = [...tables(raw.mounts, ['mounts']), ...tables(raw.mount, ['mount'])];
  for (const { table, path } of mounts) {
    const name = typeof table.source === 'string' ? table.source : '(no source)';
    const add = (key: string, message: string, fix: string) =>
      out.push(
        finding('mount-size-invalid', file, at(table[key] === undefined ? path : [...path, key]), `mount '${name}' ${message}.`, fix),
      );
    const gb = (key: string) => (table[key] === undefined ? 0 : sizeGb(table[key]));
    for (const key of ['initial_size', 'auto_extend_size_increment', 'auto_extend_size_limit']) {
      const size = gb(key);
      if (table[key] !== undefined && size !== null && size < 1)
        add(
          key,
          `has ${key} ${JSON.stringify(table[key])}, which is smaller than 1GB (flyctl counts whole GB, 1GB = 1000MB)`,
          `Set ${key} to '1gb' or more.`,
        );
    }
    const threshold = typeof table.auto_extend_size_threshold === 'number' ? table.auto_extend_size_threshold : 0;
    const increment = gb('auto_extend_size_increment');
    const limit = gb('auto_extend_size_limit');
    if (increment === null || limit === null || (threshold === 0 && increment === 0 && limit === 0)) continue;
    const together =
      'Set auto_extend_size_threshold (50-99), auto_extend_size_increment (1gb-100gb) and auto_extend_size_limit (up to 500gb) together.';
    if (threshold !== 0 && table.auto_extend_size_increment === undefined && table.auto_extend_size_limit === undefined) {
      add(
        'auto_extend_size_threshold',
        'auto_extend_size_threshold, auto_extend_size_increment and auto_extend_size_limit must be all defined or none',
        together,
      );
      continue;
    }
    if (threshold === 0) add('auto_extend_size_threshold', 'auto_extend_size_threshold must be between 50 and 99', together);
    // one under 1GB is reported above
    if (table.auto_extend_size_increment === undefined || increment > 100)
      add('auto_extend_size_increment', 'auto_extend_size_increment must be between 1GB and 100GB', together);
    if (limit > 500) add('auto_extend_size_limit', 'auto_extend_size_limit must be between 1GB and 500GB', together);
  }
  return out;
}
