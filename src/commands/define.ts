/** The shape of a command definition: data for commander, a pure option parser, and run(). */
import type { Ctx } from '../context.js';
import type { RawInput } from '../shared/options.js';

export type { RawInput } from '../shared/options.js';

export interface OptionSpec {
  /** commander flags, e.g. '-a, --app <name>' or '--json'. */
  flags: string;
  description: string;
  default?: string | boolean | string[];
  choices?: readonly string[];
  /** Repeatable option: values are collected into an array. */
  repeatable?: boolean;
  hidden?: boolean;
}

export interface ArgSpec {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
}

export interface CommandSpec<O = unknown> {
  name: string;
  summary: string;
  description?: string;
  args?: readonly ArgSpec[];
  options?: readonly OptionSpec[];
  examples?: ReadonlyArray<readonly [command: string, what: string]>;
  subcommands?: readonly CommandSpec<any>[];
  /** Turns raw values into typed options; throws UsageError. Pure and tested on its own. */
  parse?: (raw: RawInput) => O;
  /** Returns the exit code (0 when omitted). Never calls process.exit. */
  run?: (options: O, ctx: Ctx) => Promise<number | void>;
}

export function defineCommand<O>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

export const appOption: OptionSpec = {
  flags: '-a, --app <name>',
  description: 'Fly app name (default: FLY_APP, then `app` in fly.toml)',
};

export const configOption: OptionSpec = {
  flags: '-c, --config <path>',
  description: 'path to fly.toml',
  default: 'fly.toml',
};
