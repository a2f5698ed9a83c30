/**
 * The entry point and the single error boundary: every error becomes one clear sentence (a stack
 * only with --verbose) and an exit code. Commands return codes or throw; nothing else exits.
 */
import * as nodeModule from 'node:module';
import { definitionsFor } from './commands/by-name.js';
import type { AnyCommand, RawInput } from './commands/define.js';
import type { Ctx, Env, GlobalFlags } from './context.js';
import { ExitCode, GpuctlError, InterruptedError, isGpuctlError, stopExitCode, UsageError } from './errors.js';
import type { RuntimeIO } from './runtime.js';
import { errorJson, errorText, jsonLine, jsonText } from './ui/output.js';
import { VERSION, versionInfo } from './version.js';

export interface CliIO extends RuntimeIO {
  argv: readonly string[];
  /** Tests inject a ready context factory; the real one builds from the process. */
  makeContext?: (flags: GlobalFlags) => Ctx;
}

function flagsFrom(opts: Record<string, unknown>, env: Env): GlobalFlags {
  return { json: opts.json === true, verbose: opts.verbose === true || env.GPUCTL_VERBOSE === '1', color: opts.color !== false };
}

export function renderError(
  error: unknown,
  flags: GlobalFlags,
  ctx: Pick<Ctx, 'style' | 'redact'>,
  stream: { ndjson?: boolean } = {},
): { stdout: string; stderr: string; exitCode: number } {
  const known = isGpuctlError(error)
    ? error
    : new GpuctlError(
        `gpuctl hit an unexpected error: ${error instanceof Error ? error.message : String(error)}`,
        'internal',
        ExitCode.failed,
        {
          hint: 'This is a bug in gpuctl; please report it with the output of the same command run with --verbose.',
        },
      );
  let stderr = '';
  let stdout = '';
  // A result the command printed already carries a reported error: --json gets no second document.
  if (!flags.json) stderr = errorText(ctx.style, known);
  else if (!known.reported) stdout = (stream.ndjson ? jsonLine : jsonText)({ error: errorJson(known, ctx.redact) });
  if (flags.verbose && error instanceof Error) {
    let current: unknown = error;
    while (current instanceof Error) {
      stderr += `${ctx.style.dim(current.stack ?? current.message)}\n`;
      current = current.cause;
    }
  }
  return { stdout: ctx.redact(stdout), stderr: ctx.redact(stderr), exitCode: known.exitCode };
}

/** commander's "error: unknown option '--nope'\n(Did you mean --now?)" → one sentence, and a hint that names the command's help. */
export function usageErrorFrom(message: string, commandPath: string): UsageError {
  const [first = '', ...rest] = message
    .replace(/^error: /, '')
    .trim()
    .split('\n');
  const sentence = `${first.charAt(0).toUpperCase()}${first.slice(1)}`.replace(/\.?$/, '.');
  const suggestion = rest
    .join(' ')
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  return new UsageError(sentence, { hint: `${suggestion ? `${suggestion} ` : ''}Run '${commandPath} --help' for usage.` });
}

/**
 * A value that is one of the command's own long options is a value left out (`init --dir --force`): commander takes
 * "--force" as the directory, and init would write into a new directory named "--force". A usage error instead. Only
 * a value given as the next argument: `--group=--help` says explicitly what the value is, and stays as given.
 */
function assertNoOptionAsValue(spec: AnyCommand, raw: RawInput, argv: readonly string[]): void {
  const flagOf = (flags: string) => /--[\w-]+/.exec(flags)?.[0];
  const options = spec.options ?? [];
  const longs = new Set(['--json', '--verbose', '--no-color', '--help', '--version', ...options.map((o) => flagOf(o.flags))]);
  for (const [key, value] of Object.entries(raw.opts)) {
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const names = (options.find((o) => flagOf(o.flags) === flag)?.flags ?? flag).match(/-{1,2}[\w-]+/g) ?? [flag];
    const separate = (v: string) => argv.some((a, i) => a === v && i > 0 && names.includes(argv[i - 1] ?? ''));
    const taken = [value].flat().find((v): v is string => typeof v === 'string' && longs.has(v.split('=')[0]) && separate(v));
    if (taken === undefined) continue;
    throw new UsageError(`${flag} took "${taken}" as its value, and ${taken.split('=')[0]} is an option of this command.`, {
      hint: `Give ${flag} its value (${flag} VALUE ${taken}), or write ${flag}=${taken} if that is the value.`,
    });
  }
}

/**
 * SIGTERM began the interruption: main() aborts with the signal as the reason's cause. Its exit status is 143, and so
 * is the error object's `exitCode` under --json (it said 130 while gpuctl exited 143).
 */
const byTerm = (signal: AbortSignal) => signal.aborted && stopExitCode(signal) === ExitCode.terminated;

function asTerminated(error: unknown): unknown {
  if (!isGpuctlError(error) || error.exitCode !== ExitCode.interrupted) return error;
  const terminated = new GpuctlError(error.message, error.code, ExitCode.terminated, { hint: error.hint, cause: error.cause });
  terminated.stack = error.stack;
  return error.reported ? terminated.asReported() : terminated;
}

/** Arguments `gpuctl --version` may come with and still be answered before commander loads. */
const VERSION_ONLY = new Set(['--version', '-V', '--json', '--verbose', '--no-color']);

export async function runCli(io: CliIO): Promise<number> {
  // What --version prints: the version, or with --json the document (before or after it; commander prints at --version).
  const version = io.argv.includes('--json') ? jsonText(versionInfo(io.host)).trimEnd() : VERSION;
  // The one answer that needs nothing else loaded: keeps `gpuctl --version` at Node's own start-up cost. `gpuctl version`
  // (how flyctl, gh and kubectl spell it) is the same question; it was an unknown command.
  const asked = io.argv[0] === 'version' ? ['--version', ...io.argv.slice(1)] : io.argv;
  if (asked.some((a) => a === '--version' || a === '-V') && asked.every((a) => VERSION_ONLY.has(a))) {
    io.stdout.write(`${version}\n`);
    return ExitCode.ok;
  }
  // The real context (styles, spinners, prompts) loads beside commander, except when only help is asked for: help
  // prints from commander alone, and a command or an error that needs the context after all loads it then.
  const helpOnly = io.argv.length === 0 || io.argv[0] === 'help' || io.argv.includes('--help') || io.argv.includes('-h');
  let runtime = helpOnly ? undefined : import('./runtime.js');
  const createContext = async (flags: GlobalFlags): Promise<Ctx> => (await (runtime ??= import('./runtime.js'))).createContext(io, flags);
  const [{ buildProgram, CommanderError }, registry] = await Promise.all([import('./program.js'), definitionsFor(io.argv)]);
  let exitCode: number = ExitCode.ok;
  let ctx: Ctx | undefined;
  let flags: GlobalFlags = flagsFrom({}, io.env);
  let ndjson = false;
  const handler = async (spec: AnyCommand, raw: RawInput) => {
    flags = flagsFrom(raw.opts, io.env);
    ndjson = spec.ndjson === true;
    ctx = io.makeContext ? io.makeContext(flags) : await createContext(flags);
    assertNoOptionAsValue(spec, raw, io.argv);
    const options: unknown = spec.parse ? spec.parse(raw, ctx.env) : raw;
    const code = await spec.run?.(options, ctx);
    exitCode = code ?? ExitCode.ok;
  };
  let usage: UsageError | undefined;
  const program = buildProgram(registry, handler, {
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
    version,
    usageError: (message, path) => {
      usage = usageErrorFrom(message, path);
    },
  });
  try {
    await program.parseAsync([...io.argv], { from: 'user' });
    if (io.signal.aborted && exitCode === ExitCode.ok) return byTerm(io.signal) ? ExitCode.terminated : ExitCode.interrupted;
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError && !usage) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')
        return ExitCode.ok;
      usage = usageErrorFrom(error.message, 'gpuctl');
    }
    // Commander stops at the first bad flag or argument, before any command ran: the flags are read from argv.
    if (usage)
      flags = flagsFrom(
        { json: io.argv.includes('--json'), verbose: io.argv.includes('--verbose'), color: !io.argv.includes('--no-color') },
        io.env,
      );
    const aborted = io.signal.aborted && !isGpuctlError(error) ? new InterruptedError() : error;
    const failure = usage ?? (byTerm(io.signal) ? asTerminated(aborted) : aborted);
    const errorCtx = ctx ?? (await createContext(flags));
    const rendered = renderError(failure, flags, errorCtx, { ndjson });
    if (rendered.stdout) io.stdout.write(rendered.stdout);
    // through the context's stderr: it keeps colour only where stderr may have it (a file behind `2>` gets none)
    if (rendered.stderr) errorCtx.stderr.write(rendered.stderr);
    return rendered.exitCode;
  }
}

/**
 * Node 22.1+ keeps V8's compiled code of the modules loaded from here on (commander, the command's own) in
 * $XDG_CACHE_HOME/gpuctl/node-compile-cache (start-up, issue 19 item 11); NODE_COMPILE_CACHE, when set, has already
 * chosen a directory. Node 20 has no such cache and loads nothing for it. A directory that cannot be written means
 * no cache (Node says so only in the status it returns), never an error.
 */
async function enableCompileCache(): Promise<void> {
  const enable = (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof enable !== 'function' || process.env.NODE_COMPILE_CACHE) return;
  try {
    const [{ gpuctlDir }, { makeDirs }] = await Promise.all([import('./shared/paths.js'), import('./shared/make-dirs.js')]);
    const dir = gpuctlDir(process.env, 'cache', 'node-compile-cache');
    // made here first: Node's own recursive mkdir (which enableCompileCache uses) never returns under /proc
    makeDirs(dir);
    enable(dir);
  } catch {
    // no home directory to put it in, or it cannot be made: start without a cache
  }
}

/**
 * Used by bin/gpuctl.js. Ctrl-C (SIGINT) or SIGTERM aborts the running command; its children's process
 * groups are ended (exec.ts), and gpuctl exits 130 (SIGINT) or 143 (SIGTERM). A second one exits at once
 * (exec.ts's exit hook still kills every group gpuctl started).
 */
export async function main(): Promise<void> {
  await enableCompileCache();
  // A reader that goes away (`gpuctl status | head -1`) ends gpuctl at once, quietly, with 141 whatever the command
  // was doing or had decided: as git, gh and kubectl, which die of SIGPIPE (Node ignores SIGPIPE, so the write fails
  // with EPIPE instead). Not the code so far: a failing command cut short read 0 under `set -o pipefail`. The exit
  // hook in exec.ts still ends the children's process groups.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(ExitCode.brokenPipe);
      throw error;
    });
  }
  const controller = new AbortController();
  let first: NodeJS.Signals | undefined;
  // The shell's convention, 128 + the signal's number: a supervisor sees which signal ended gpuctl.
  const signalled = (code: number) => (code === ExitCode.interrupted && first === 'SIGTERM' ? ExitCode.terminated : code);
  // SIGTERM (a supervisor, `docker stop`, Fly stopping a machine) stops a command the way Ctrl-C does.
  const interrupt = (signal: NodeJS.Signals) => {
    if (first !== undefined) process.exit(signalled(ExitCode.interrupted));
    first = signal;
    controller.abort(new InterruptedError(undefined, { cause: signal }));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  process.exitCode = await runCli({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    stdinTTY: process.stdin.isTTY === true,
    signal: controller.signal,
    terminal: process.stderr,
    host: { nodeVersion: process.versions.node, platform: process.platform, arch: process.arch, pid: process.pid },
  }).then(signalled);
}

export { GpuctlError };
