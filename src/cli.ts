/**
 * The entry point and the single error boundary: every error becomes one clear sentence (a stack
 * only with --verbose) and an exit code. Commands return codes or throw; nothing else exits.
 */
import type { CommandSpec, RawInput } from './commands/define.js';
import type { Ctx, Env, GlobalFlags } from './context.js';
import { ExitCode, GpuctlError, InterruptedError, isGpuctlError } from './errors.js';
import type { RuntimeIO } from './runtime.js';
import { VERSION } from './version.js';

export interface CliIO extends RuntimeIO {
  argv: readonly string[];
  /** Tests inject a ready context factory; the real one builds from the process. */
  makeContext?: (flags: GlobalFlags) => Ctx;
}

function flagsFrom(opts: Record<string, unknown>, env: Env): GlobalFlags {
  return { json: opts.json === true, verbose: opts.verbose === true || env.GPUCTL_VERBOSE === '1', color: opts.color !== false };
}

export function renderError(error: unknown, flags: GlobalFlags, ctx: Pick<Ctx, 'style' | 'redact'>): { stdout: string; stderr: string; exitCode: number } {
  const known = isGpuctlError(error) ? error : undefined;
  const message = known ? known.message : `gpuctl hit an unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  const hint = known ? known.hint : 'This is a bug in gpuctl; please report it with the output of the same command run with --verbose.';
  const exitCode = known ? known.exitCode : ExitCode.failed;
  const code = known ? known.code : 'internal';
  let stderr = '';
  let stdout = '';
  if (flags.json) {
    stdout = `${JSON.stringify({ error: { code, message: ctx.redact(message), hint: hint ? ctx.redact(hint) : null, exitCode } }, null, 2)}\n`;
  } else {
    stderr = `${ctx.style.red('Error:')} ${message}\n${hint ? `${ctx.style.dim(`Hint: ${hint}`)}\n` : ''}`;
  }
  if (flags.verbose && error instanceof Error) {
    let current: unknown = error;
    while (current instanceof Error) {
      stderr += `${ctx.style.dim(current.stack ?? current.message)}\n`;
      current = current.cause;
    }
  }
  return { stdout: ctx.redact(stdout), stderr: ctx.redact(stderr), exitCode };
}

export async function runCli(io: CliIO): Promise<number> {
  // The one answer that needs nothing else loaded: keeps `gpuctl --version` at Node's own start-up cost.
  if (io.argv.length === 1 && (io.argv[0] === '--version' || io.argv[0] === '-V')) {
    io.stdout.write(`${VERSION}\n`);
    return ExitCode.ok;
  }
  const [{ buildProgram, CommanderError }, { createContext }, { registry }] = await Promise.all([
    import('./program.js'),
    import('./runtime.js'),
    import('./commands/index.js'),
  ]);
  let exitCode: number = ExitCode.ok;
  let ctx: Ctx | undefined;
  let flags: GlobalFlags = flagsFrom({}, io.env);
  const handler = async (spec: CommandSpec<unknown>, raw: RawInput) => {
    flags = flagsFrom(raw.opts, io.env);
    ctx = io.makeContext ? io.makeContext(flags) : createContext(io, flags);
    const options = spec.parse ? spec.parse(raw) : (raw as unknown);
    const code = await spec.run?.(options, ctx);
    exitCode = code ?? ExitCode.ok;
  };
  const program = buildProgram(registry, handler, {
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
  });
  try {
    await program.parseAsync([...io.argv], { from: 'user' });
    if (io.signal.aborted && exitCode === ExitCode.ok) return ExitCode.interrupted;
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.ok;
      // commander has told a person on stderr; --json callers also get the documented error object.
      if (io.argv.includes('--json')) {
        const message = error.message.replace(/^error: /, '');
        io.stdout.write(`${JSON.stringify({ error: { code: 'usage', message: `${message.charAt(0).toUpperCase()}${message.slice(1)}.`, hint: 'Run with --help for usage.', exitCode: ExitCode.usage } }, null, 2)}\n`);
      }
      return ExitCode.usage;
    }
    const failure = io.signal.aborted && !isGpuctlError(error) ? new InterruptedError() : error;
    const rendered = renderError(failure, flags, ctx ?? createContext(io, flags));
    if (rendered.stdout) io.stdout.write(rendered.stdout);
    if (rendered.stderr) io.stderr.write(rendered.stderr);
    return rendered.exitCode;
  }
}

/** Used by bin/gpuctl.js. Ctrl-C aborts the running command (children are killed); twice exits at once. */
export async function main(): Promise<void> {
  // A reader that goes away (`gpuctl status | head -1`) is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const controller = new AbortController();
  let interrupts = 0;
  // SIGTERM (a supervisor, `docker stop`, Fly stopping a machine) stops a command the way Ctrl-C does.
  const interrupt = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    controller.abort(new InterruptedError());
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
  });
}

export { GpuctlError };
