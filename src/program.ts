/** Turns the registry's definitions into a commander program. Wiring only: no behaviour here. */
import { Command, CommanderError, Option, type HelpContext } from 'commander';
import type { AnyCommand, RawInput } from './commands/define.js';
import { ExitCode } from './errors.js';
import { VERSION } from './version.js';

export type ActionHandler = (spec: AnyCommand, raw: RawInput, path: string[]) => Promise<void>;

export interface ProgramOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
  /**
   * A usage error commander found (unknown option, missing argument), and the command it was in
   * ('gpuctl scale count'): the boundary (cli.ts) prints it in the one error style. Without this,
   * commander's own line goes to writeErr.
   */
  usageError?(message: string, commandPath: string): void;
  /** What `--version` prints (cli.ts: a JSON document under --json); VERSION when not given. */
  version?: string;
}

/**
 * Help asked for or needed (bare `gpuctl`, `gpuctl scale`) goes to stdout with exit 0, as kubectl
 * and gh do; commander's default sends a missing subcommand's help to stderr with exit 1.
 *
 * With --json, stdout carries JSON or nothing, for every command and group alike: help is text for a person, so
 * asked-for help goes to stderr (exit 0), and a group given without its subcommand (`gpuctl scale --json`, bare
 * `gpuctl --json`) is a usage error, which the boundary prints as the documented JSON error (exit 2).
 */
class GpuctlCommand extends Command {
  override createCommand(name?: string): Command {
    return new GpuctlCommand(name);
  }

  /** Read once commander has parsed the options (help is decided after that, and global flags are read anywhere). */
  private get json(): boolean {
    return this.optsWithGlobals().json === true;
  }

  override outputHelp(context?: HelpContext | ((text: string) => string)): void {
    if (typeof context === 'function') return super.outputHelp(context);
    super.outputHelp(this.json ? { ...context, error: true } : context);
  }

  override help(context?: HelpContext | ((text: string) => string)): never {
    if (typeof context === 'function') return super.help(context);
    // commander asks for help with `error: true` only when a group was given no subcommand
    if (context?.error && this.json) {
      const names = this.commands.map((c) => c.name());
      const what = this.parent ? 'subcommand' : 'command';
      const choice = names.length === 1 ? `its ${what} ${names.join('')}` : `one of ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
      this.error(`error: missing ${what}: ${commandPath(this)} needs ${choice}`, {
        code: 'commander.missingSubcommand',
        exitCode: ExitCode.usage,
      });
    }
    return super.help({ ...context, error: false });
  }

  /**
   * `gpuctl help nope`: commander answers an unknown name with the whole help (which help() above makes exit 0), so a
   * misspelt command looked answered. It is the usage error `gpuctl nope` is. (commander 14 calls this for `help X`.)
   */
  _dispatchHelpCommand(name?: string): unknown {
    // `gpuctl help scale count`: commander passes the first name only and showed scale's help; gh and kubectl show
    // the named subcommand's. Every name is followed; one that is not there is the usage error.
    const named = this.args.slice(1).filter((arg) => !arg.startsWith('-'));
    if (named.length > 0) named.reduce<Command>((command, word) => subcommandOrError(command, word), this).help();
    return (Command.prototype as unknown as { _dispatchHelpCommand(this: Command, name?: string): unknown })._dispatchHelpCommand.call(
      this,
      name,
    );
  }
}

function subcommandOrError(command: Command, name: string): Command {
  const sub = command.commands.find((c) => c.name() === name || c.aliases().includes(name));
  return sub ?? command.error(`error: unknown command '${name}'`, { code: 'commander.unknownCommand', exitCode: ExitCode.usage });
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Descriptions are written with hard line breaks for the source's sake: commander re-wraps them, so join lines and keep paragraphs. */
export function reflow(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, ' ').trim())
    .join('\n\n');
}

function examplesText(spec: AnyCommand): string {
  if (!spec.examples?.length) return '';
  const lines = spec.examples.map(([command, what]) => `  $ ${command}\n      ${what}`);
  return `\nExamples:\n${lines.join('\n')}\n`;
}

function addCommand(parent: Command, spec: AnyCommand, handler: ActionHandler, path: string[], output: ProgramOutput): void {
  const command = parent
    .command(spec.name)
    .summary(spec.summary)
    .description(reflow(spec.description ?? spec.summary));
  withOutput(command, output);
  for (const arg of spec.args ?? []) {
    const name = `${arg.name}${arg.variadic ? '...' : ''}`;
    command.argument(arg.required ? `<${name}>` : `[${name}]`, arg.description);
  }
  for (const spec_ of spec.options ?? []) {
    const option = new Option(spec_.flags, spec_.description);
    if (spec_.default !== undefined) option.default(spec_.default);
    if (spec_.choices) option.choices(spec_.choices);
    if (spec_.repeatable) option.argParser(collect);
    if (spec_.hidden) option.hideHelp();
    command.addOption(option);
  }
  const help = examplesText(spec);
  if (help) command.addHelpText('after', help);
  for (const sub of spec.subcommands ?? []) addCommand(command, sub, handler, [...path, spec.name], output);
  if (spec.run) {
    command.action(async (...received: unknown[]) => {
      const self = received.at(-1) as Command;
      const args = (self.processedArgs as Array<string | string[] | undefined>).flatMap((value) =>
        value === undefined ? [] : Array.isArray(value) ? value : [value],
      );
      await handler(spec, { args, opts: self.optsWithGlobals() }, [...path, spec.name]);
    });
  }
}

function withOutput(command: Command, output: ProgramOutput): void {
  command.configureOutput({
    writeOut: (text) => output.writeOut(text),
    writeErr: (text) => output.writeErr(text),
    outputError: (text, write) => (output.usageError ? output.usageError(text.trim(), commandPath(command)) : write(text)),
  });
}

/** What `gpuctl --help` says first, naming every command in the registry (package.json's "description" is this text). */
export function programDescription(registry: readonly Pick<AnyCommand, 'name'>[]): string {
  return `Operations toolkit for GPU applications on Fly.io: ${registry.map((c) => c.name).join(', ')}.`;
}

export function buildProgram(registry: readonly AnyCommand[], handler: ActionHandler, output: ProgramOutput): Command {
  const program = new GpuctlCommand('gpuctl')
    .description(programDescription(registry))
    .version(output.version ?? VERSION, '-V, --version', 'print the version (a JSON document with --json)')
    .option('--json', 'machine-readable output on stdout (implies non-interactive, no colour)')
    .option('--verbose', 'show the commands gpuctl runs, and stack traces on errors')
    .option('--no-color', 'disable colour (NO_COLOR is honoured too)')
    .configureHelp({ showGlobalOptions: true })
    .exitOverride();
  withOutput(program, output);
  if (!output.usageError) program.showHelpAfterError('(run with --help for usage)');
  program.addHelpText(
    'after',
    `\nExit codes: 0 ok, 1 failed, 2 usage error, 3 missing tool or GPU, 130 interrupted (143 on SIGTERM).\nRun 'gpuctl <command> --help' for a command's options and examples.\n`,
  );
  for (const spec of registry) addCommand(program, spec, handler, [], output);
  return program;
}

export { CommanderError };
