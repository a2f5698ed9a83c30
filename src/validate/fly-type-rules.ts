/**
 * Values of the wrong type or out of range (fly-types.ts): `app = 42`, `primary_region = true`,
 * `[[vm]] memory = "lots"`, `cpus = -4`, `internal_port = "eighty"`. An error: flyctl stops on each
 * (its JSON decode of the config fails, or its validation rejects the value).
 */
import { finding, type Finding } from '../shared/findings.js';
import type { TomlPath } from '../shared/toml-scan.js';
import type { RuleContext } from './fly-gpu-rules.js';
import { FLY_TOML_TYPES, typeKey, type ValueSpec } from './fly-types.js';
import { durationMs, memoryMb } from '../flyio/fly-units.js';

const isTable = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

const isNumber = (v: unknown): v is number | bigint => typeof v === 'number' || typeof v === 'bigint';

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Date) return 'a date';
  if (Array.isArray(value)) return 'an array';
  if (isTable(value)) return 'a table';
  return String(value);
}

function integer(spec: { min?: number; max?: number }): string {
  if (spec.min !== undefined && spec.max !== undefined) return `an integer from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return spec.min === 0 ? 'an integer of 0 or more' : `an integer of at least ${spec.min}`;
  return 'an integer';
}

/** What the value should have been, or null when it is fine. */
export function typeProblem(value: unknown, spec: ValueSpec): string | null {
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') return 'a string';
      return spec.nonEmpty && value.trim() === '' ? 'a non-empty string' : null;
    case 'int': {
      const digits = spec.numericString && typeof value === 'string' && /^[+-]?\d+$/.test(value);
      const n = isNumber(value) || digits ? Number(value) : Number.NaN;
      const fits = Number.isInteger(n) && n >= (spec.min ?? -Infinity) && n <= (spec.max ?? Infinity);
      return fits ? null : integer(spec);
    }
    case 'float':
      if (!isNumber(value)) return 'a number';
      return spec.min !== undefined && (spec.exclusiveMin ? Number(value) <= spec.min : Number(value) < spec.min)
        ? `a number above ${spec.min}`
        : null;
    case 'bool':
      return typeof value === 'boolean' ? null : 'true or false';
    case 'strings':
      if (spec.orString && typeof value === 'string') return null;
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? null
        : spec.orString
          ? 'a string or an array of strings'
          : 'an array of strings';
    case 'duration': {
      const what =
        spec.unit === 's' ? 'a duration ("30s", "5m") or an integer of seconds' : 'a duration ("10s", "1m") or an integer of milliseconds';
      if (isNumber(value)) return Number(value) >= 0 ? null : what;
      return typeof value === 'string' && durationMs(value) !== null ? null : what;
    }
    case 'size': {
      // initial_size goes through castToString, then a bare number is GB (helpers.ParseSize).
      const ok = spec.orNumber && isNumber(value) ? Number(value) > 0 : typeof value === 'string' && (memoryMb(value) ?? 0) > 0;
      return ok ? null : spec.orNumber ? 'a size ("10gb") or an integer of GB' : 'a size string ("10gb", "500mb")';
    }
    case 'memory': {
      const mb = isNumber(value) || typeof value === 'string' ? memoryMb(value) : null;
      return mb !== null && mb > 0 ? null : 'a positive memory size: an integer of MB or a string ("2gb", "512mb")';
    }
    case 'scalar':
      return typeof value === 'string' || isNumber(value) || typeof value === 'boolean' ? null : 'a string, number or boolean';
    case 'autostop':
      return typeof value === 'boolean' || value === 'off' || value === 'stop' || value === 'suspend'
        ? null
        : 'true, false, "off", "stop" or "suspend"';
    case 'any':
      return null;
  }
}

interface Bad {
  path: TomlPath;
  key: string;
  value: unknown;
  want: string;
}

function walk(table: Record<string, unknown>, path: TomlPath, out: Bad[]): void {
  for (const [key, value] of Object.entries(table)) {
    const at = [...path, key];
    const spec = FLY_TOML_TYPES[typeKey(at)];
    if (spec) {
      const want = typeProblem(value, spec);
      if (want)
        out.push({
          path: at,
          key: typeKey(at).replace(/^(checks|env|processes)\.\*/, (_, s: string) => `${s}.${String(at[1])}`),
          value,
          want,
        });
    } else if (isTable(value)) walk(value, at, out);
    else if (Array.isArray(value)) value.forEach((el, i) => isTable(el) && walk(el, [...at, i], out));
  }
}

/** `raw` is fly.toml as parsed, before any of flyctl's rewrites. */
export function typeRules(raw: Record<string, unknown>, { file, at }: Pick<RuleContext, 'file' | 'at'>): Finding[] {
  const bad: Bad[] = [];
  walk(raw, [], bad);
  return bad.map((b) =>
    finding(
      'fly-value-type',
      file,
      at(b.path),
      `${b.key} = ${shown(b.value)}: flyctl needs ${b.want} here, so \`flyctl deploy\` stops on this file.`,
      `Set ${b.key.split('.').at(-1)!} to ${b.want}.`,
    ),
  );
}
