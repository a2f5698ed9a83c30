/**
 * Commands fly.toml holds as one string ([deploy] release_command, [processes] values, console_command), which flyctl
 * splits with github.com/google/shlex before deploying (internal/appconfig/validation.go `validateDeploySection`,
 * `validateProcessesSection`, `validateConsoleCommand`): a quote left open or a trailing backslash is an error there,
 * and `flyctl deploy` stops.
 */
import { splitCommand } from '../flyio/fly-command.js';
import { isTable } from '../flyio/fly-model.js';
import { finding, type Finding } from '../shared/findings.js';
import type { TomlPath } from '../shared/toml-scan.js';
import type { RuleContext } from './fly-gpu-rules.js';

/** google/shlex's verdict on a string: null when it splits, else its error (flyio/fly-command.ts splits it). */
export function shlexError(text: string): string | null {
  const split = splitCommand(text);
  return split.ok ? null : split.error;
}

/** `raw` is fly.toml as parsed. */
export function commandRules(raw: Record<string, unknown>, { file, at }: Pick<RuleContext, 'file' | 'at'>): Finding[] {
  const commands: Array<{ path: TomlPath; what: string }> = [{ path: ['console_command'], what: 'console_command' }];
  if (isTable(raw.deploy)) commands.push({ path: ['deploy', 'release_command'], what: '[deploy] release_command' });
  if (isTable(raw.processes))
    for (const name of Object.keys(raw.processes)) commands.push({ path: ['processes', name], what: `the process group '${name}'` });
  const out: Finding[] = [];
  for (const { path, what } of commands) {
    const value = path.reduce<unknown>((table, key) => (isTable(table) ? table[key as string] : undefined), raw);
    const error = typeof value === 'string' ? shlexError(value) : null;
    if (error === null) continue;
    out.push(
      finding(
        'command-unsplittable',
        file,
        at(path),
        `flyctl cannot split the command of ${what} into words (${error}), so \`flyctl deploy\` stops: the configuration is not valid.`,
        'Close the quote (or escape it with a backslash), or drop the trailing backslash.',
      ),
    );
  }
  return out;
}
