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

/**
 * The one reader of durations: "90s", "5m", "1m30s", or a bare number of seconds ("5", kept for the
 * options that once took seconds). A missing one takes `fallback`; a bad or non-positive one is a UsageError.
 * Bounds (`minMs`, `maxMs`) are the command's domain rule and its own message stays with it.
 */
export function durationOption<K extends string>(raw: RawInput<K>, name: NoInfer<K>, flag: string, fallback: string): number {
  const text = str(raw, name) ?? fallback;
  const ms = parseDuration(text);
  // A run of digits too long for a number (Infinity) is no duration either.
  if (ms === undefined || !Number.isFinite(ms))
    throw new UsageError(`${flag} "${text}" is not a duration.`, { hint: 'Write it like 90s, 5m or 1m30s.' });
  if (ms <= 0) throw new UsageError(`${flag} "${text}" must be longer than 0.`, { hint: 'Write it like 90s, 5m or 1m30s.' });
  return ms;
}

/** An optional duration option: undefined when absent, else as durationOption reads it. */
export function optionalDuration<K extends string>(raw: RawInput<K>, name: NoInfer<K>, flag: string): number | undefined {
  const text = str(raw, name);
  return text === undefined ? undefined : durationOption(raw, name, flag, text);
}

export interface NumberBounds {
  min: number;
  max: number;
  /** Digits only: no fraction, no sign. */
  whole?: boolean;
  /** The error's text for this command (default: `FLAG "TEXT" is not a number from MIN to MAX.`). */
  message?: (text: string) => string;
  hint?: string;
}

/**
 * The one reader of numbers: a decimal ("12", "0.5"; `whole` allows only digits) from `min` to `max`;
 * undefined when absent. `message` words the error for the command (default: `FLAG "TEXT" is not a number from MIN to MAX.`).
 */
export function numberOption<K extends string>(raw: RawInput<K>, name: NoInfer<K>, flag: string, bounds: NumberBounds): number | undefined {
  const text = str(raw, name);
  if (text === undefined) return undefined;
  return readNumber(text, flag, bounds);
}

/** numberOption's rule on a text already in hand (a positional argument, a variable). */
export function readNumber(text: string, flag: string, bounds: NumberBounds): number {
  const pattern = bounds.whole ? /^\d+$/ : /^-?\d+(\.\d+)?$/;
  const n = pattern.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n) || n < bounds.min || n > bounds.max)
    throw new UsageError(bounds.message ? bounds.message(text) : `${flag} "${text}" is not a number from ${bounds.min} to ${bounds.max}.`, {
      ...(bounds.hint ? { hint: bounds.hint } : {}),
    });
  return n;
}
