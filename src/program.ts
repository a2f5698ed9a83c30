/** Turns the registry's definitions into a commander program. Wiring only: no behaviour here. */
import { Command, CommanderError, Option } from 'commander';
import type { CommandSpec, RawInput } from './commands/define.js';
import { VERSION } from './version.js';

export type ActionHandler = (spec: CommandSpec<unknown>, raw: RawInput, path: string[]) => Promise<void>;

export interface ProgramOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
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

function examplesText(spec: CommandSpec<unknown>): string {
  if (!spec.examples?.length) return '';
  const lines = spec.examples.map(([command, what]) => `  $ ${command}\n      ${what}`);
  return `\nExamples:\n${lines.join('\n')}\n`;
}

function addCommand(parent: Command, spec: CommandSpec<unknown>, handler: ActionHandler, path: string[]): void {
  const command = parent.command(spec.name).summary(spec.summary).description(reflow(spec.description ?? spec.summary));
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
  for (const sub of spec.subcommands ?? []) addCommand(command, sub, handler, [...path, spec.name]);
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

export function buildProgram(
  registry: readonly CommandSpec<unknown>[],
  handler: ActionHandler,
  output: ProgramOutput,
): Command {
  const program = new Command('gpuctl')
    .description('Operations toolkit for GPU applications on Fly.io: detect, bench, init, validate, deploy, status, scale.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--json', 'machine-readable output on stdout (implies non-interactive, no colour)')
    .option('--verbose', 'show the commands gpuctl runs, and stack traces on errors')
    .option('--no-color', 'disable colour (NO_COLOR is honoured too)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => output.writeOut(text), writeErr: (text) => output.writeErr(text) })
    .exitOverride();
  program.addHelpText(
    'after',
    `\nExit codes: 0 ok, 1 failed, 2 usage error, 3 missing tool or GPU, 130 interrupted.\nRun 'gpuctl <command> --help' for a command's options and examples.\n`,
  );
  for (const spec of registry) addCommand(program, spec, handler, []);
  return program;
}

export { CommanderError };
