/**
 * Reading commander's raw values, tied to the declared flags by the types: a command declares its
 * options `as const` (commands/define.ts), `OptionKeys` turns their flags into the keys commander
 * gives them ('-a, --app <name>' → 'app', '--dry-run' → 'dryRun', '--no-probe' → 'probe'), and the
 * readers below accept only those keys, so a misspelt key fails to compile. They sit on the shared
 * floor (not in commands/, which features may not import).
 */
import { UsageError } from '../errors.js';
import { parseDuration } from './duration.js';

/** The global flags every command's raw values carry (program.ts). */
export type GlobalKey = 'json' | 'verbose' | 'color';

type LongName<F extends string> = F extends `${string}--${infer Rest}` ? (Rest extends `${infer Name} ${string}` ? Name : Rest) : never;
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
type Negated<S extends string> = S extends `no-${infer Rest}` ? Rest : S;

/** The key commander stores a flag's value under. */
export type FlagKey<F extends string> = Camel<Negated<LongName<F>>>;

/** The keys of a declared options list (`as const`), global flags included. */
export type OptionKeys<Options extends readonly { readonly flags: string }[]> = FlagKey<Options[number]['flags']> | GlobalKey;

/**
 * What commander parsed for a command whose option keys are K: positional args and option values,
 * global flags merged in. `keys` is never set: it makes RawInput<K> usable only where K is known,
 * so a parser that reads any string (RawInput<string>) cannot be handed to a command.
 */
export interface RawInput<K extends string = string> {
  args: string[];
  opts: { readonly [P in K]?: unknown };
  readonly keys?: (key: K) => void;
}

/** Reads a string option; undefined when absent. */
export function str<K extends string>(raw: RawInput<K>, name: NoInfer<K>): string | undefined {
  const value = (raw.opts as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

export function bool<K extends string>(raw: RawInput<K>, name: NoInfer<K>): boolean {
  return (raw.opts as Record<string, unknown>)[name] === true;
}

/** A negatable flag (`--no-probe`): true unless it was given. */
export function notNegated<K extends string>(raw: RawInput<K>, name: NoInfer<K>): boolean {
  return (raw.opts as Record<string, unknown>)[name] !== false;
}

/** A repeatable option's values (commander collects them), in order; [] when absent. */
export function list<K extends string>(raw: RawInput<K>, name: NoInfer<K>): string[] {
  const value = (raw.opts as Record<string, unknown>)[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
}

/** A duration option ("90s", "5m", "1m30s") in milliseconds; a missing one takes `fallback`, a bad or non-positive one is a UsageError. */
export function durationOption<K extends string>(raw: RawInput<K>, name: NoInfer<K>, flag: string, fallback: string): number {
  const text = str(raw, name) ?? fallback;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new UsageError(`${flag} "${text}" is not a duration.`, { hint: 'Write it like 90s, 5m or 1m30s.' });
  return ms;
}
