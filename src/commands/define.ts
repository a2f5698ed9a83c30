/**
 * The shape of a command definition: data for commander, a pure option parser, and run().
 *
 * One rule for parsing: a command declares its options in its own file `as const` (shared ones:
 * appOption, configOption), and its `parse` (in the same file, exported for tests) reads commander's
 * values with the typed readers of shared/options.ts (`str(raw, 'app')`), which accept only the keys
 * those flags produce: a misspelt key fails to compile. Domain checks the parse calls stay with the
 * feature (e.g. bench/options.ts). `run` prints its result with `ctx.print` and returns an exit code.
 */
import type { Ctx, Env } from '../context.js';
import type { OptionKeys, RawInput } from '../shared/options.js';

export type { OptionKeys, RawInput } from '../shared/options.js';

export interface OptionSpec {
  /** commander flags, e.g. '-a, --app <name>' or '--json'. */
  readonly flags: string;
  readonly description: string;
  readonly default?: string | boolean | readonly string[];
  readonly choices?: readonly string[];
  /** Repeatable option: values are collected into an array. */
  readonly repeatable?: boolean;
  readonly hidden?: boolean;
}

export interface ArgSpec {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
}

export interface CommandSpec<O = unknown, Options extends readonly OptionSpec[] = readonly OptionSpec[]> {
  name: string;
  summary: string;
  description?: string;
  args?: readonly ArgSpec[];
  options?: Options;
  examples?: ReadonlyArray<readonly [command: string, what: string]>;
  subcommands?: readonly AnyCommand[];
  /** With --json the command prints a stream of NDJSON records, not one document: an error that ends it is one more line. */
  ndjson?: boolean;
  /**
   * Turns raw values into typed options; throws UsageError. Pure and tested on its own. `env` is for the
   * options that also read a variable (the agent's GPUCTL_AGENT_*); flags win.
   */
  parse?: (raw: RawInput<OptionKeys<Options>>, env?: Env) => O;
  /** Returns the exit code (0 when omitted). Never calls process.exit. */
  run?: (options: O, ctx: Ctx) => Promise<number | void>;
}

/** A definition of any command, as the registry and program.ts hold them. */
export type AnyCommand = CommandSpec<any, readonly OptionSpec[]>;

/** Infers the option keys from the `flags` of `options` (declare them `as const`) and the options type from `parse`. */
export function defineCommand<O, const Options extends readonly OptionSpec[] = readonly []>(spec: CommandSpec<O, Options>): AnyCommand {
  return spec;
}

export const appOption = {
  flags: '-a, --app <name>',
  description: 'Fly app name (default: FLY_APP, then `app` in fly.toml)',
} as const satisfies OptionSpec;

export const configOption = {
  flags: '-c, --config <path>',
  description: 'path to fly.toml',
  default: 'fly.toml',
} as const satisfies OptionSpec;
