import { Chalk, type ChalkInstance } from 'chalk';

export type Style = ChalkInstance;

/** A chalk instance that colours only when enabled (never in --json, piped output, or NO_COLOR). */
export function createStyle(enabled: boolean): Style {
  return new Chalk({ level: enabled ? 1 : 0 });
}
