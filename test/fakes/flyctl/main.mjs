/**
 * The fake flyctl's entry: find the command, parse its flags, apply faults, run it, and turn any
 * error into flyctl's stderr text and exit code (internal/cli/cli.go). Returns the exit code;
 * test/bin/flyctl sets process.exitCode from it so buffered output is flushed before exit.
 */
import { basename } from 'node:path';
import { checkArgs, findCommand, GLOBAL_FLAGS, parseFlags } from './argv.mjs';
import { ROOT } from './commands.mjs';
import { makeContext } from './context.mjs';
import { FlyError, renderError } from './errors.mjs';
import { faultsFor, genericFaults } from './faults.mjs';
import { stateDirFrom } from './state.mjs';

/** Real top-level flyctl commands this fake does not model (so the error can say so). */
const NOT_MODELLED = new Set([
  'agent',
  'certs',
  'console',
  'consul',
  'dashboard',
  'destroy',
  'dig',
  'docs',
  'doctor',
  'extensions',
  'history',
  'image',
  'incidents',
  'ips',
  'jobs',
  'launch',
  'logs',
  'mcp',
  'mpg',
  'open',
  'orgs',
  'ping',
  'postgres',
  'proxy',
  'redis',
  'regions',
  'restart',
  'resume',
  'secrets',
  'services',
  'settings',
  'sftp',
  'storage',
  'suspend',
  'synthetics',
  'tokens',
  'wireguard',
]);

function levenshtein(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** cobra's `unknown command` error, with its "Did you mean this?" suggestions. */
function unknownCommand(word, node, commandPath) {
  if (NOT_MODELLED.has(word) && node === ROOT) {
    return new FlyError(`fake flyctl: "${word}" is a flyctl command this fake does not model (see test/fakes/flyctl/README.md)`);
  }
  const lower = word.toLowerCase();
  const suggestions = (node.children ?? [])
    .map((c) => c.name)
    .filter((name) => levenshtein(lower, name.toLowerCase()) <= 2 || name.toLowerCase().startsWith(lower));
  const hint = suggestions.length > 0 ? `\n\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}` : '';
  return new FlyError(`unknown command "${word}" for "${commandPath}"${hint}`, { usageHint: commandPath });
}

function help(node, commandPath) {
  if (node.children) {
    const names = node.children.map((c) => `  ${c.name}`).join('\n');
    return `Usage:\n  ${commandPath} [command]\n\nAvailable Commands:\n${names}\n\nUse "${commandPath} [command] --help" for more information about a command.\n`;
  }
  const flags = [...node.flags, ...GLOBAL_FLAGS].map((f) => `  ${f.short ? `-${f.short}, ` : '    '}--${f.name}`).join('\n');
  return `Usage:\n  ${commandPath} [flags]\n\nFlags:\n${flags}\n`;
}

export async function main(argv, io = {}) {
  const env = io.env ?? process.env;
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const exe = io.exe ?? basename(process.argv[1] ?? 'flyctl');
  try {
    stateDirFrom(env);
    const { node, names, rest } = findCommand(ROOT, argv);
    const commandPath = [exe, ...names].join(' ');
    if (!node.run) {
      // A group: cobra runs no command, so it prints help (exit 0), except for an unknown word at the root.
      const { args } = parseFlags(rest, GLOBAL_FLAGS);
      if (args.length > 0 && node === ROOT) throw unknownCommand(args[0], node, commandPath);
      stdout.write(help(node, commandPath));
      return 0;
    }
    const parsed = parseFlags(rest, [...GLOBAL_FLAGS, ...node.flags]);
    if (parsed.flags.help) {
      stdout.write(help(node, commandPath));
      return 0;
    }
    checkArgs(node, parsed.args, commandPath);
    const faults = faultsFor(env, node.path);
    await genericFaults(faults);
    const ctx = makeContext({
      exe,
      env,
      cwd: io.cwd ?? process.cwd(),
      stdout,
      stderr,
      stdinIsTty: io.stdinIsTty ?? process.stdin.isTTY,
      path: node.path,
      parsed,
      faults,
    });
    await node.run(ctx);
    return 0;
  } catch (error) {
    const { stderr: errText, stdout: outText, exitCode } = renderError(error);
    stderr.write(errText);
    stdout.write(outText);
    return exitCode;
  }
}
