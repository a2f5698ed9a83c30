/**
 * Reading commander's raw values: every command's `parse` and every feature's option parser uses
 * these, so they sit on the shared floor (not in commands/, which features may not import).
 */
import { UsageError } from '../errors.js';
import { parseDuration } from './duration.js';

/** What commander parsed: positional args and option values, global flags merged in. */
export interface RawInput {
  args: string[];
  opts: Record<string, unknown>;
}

/** Reads a string option; undefined when absent. */
export function str(raw: RawInput, name: string): string | undefined {
  const value = raw.opts[name];
  return typeof value === 'string' ? value : undefined;
}

export function bool(raw: RawInput, name: string): boolean {
  return raw.opts[name] === true;
}

/** A duration option ("90s", "5m", "1m30s") in milliseconds; a missing one takes `fallback`, a bad or non-positive one is a UsageError. */
export function durationOption(raw: RawInput, name: string, flag: string, fallback: string): number {
  const text = str(raw, name) ?? fallback;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new UsageError(`${flag} "${text}" is not a duration.`, { hint: 'Write it like 90s, 5m or 1m30s.' });
  return ms;
}
