/** Builds the real Ctx for a process: streams, styling, runner, prompts, spinners, Ctrl-C. */
import {
  colorEnabled,
  isCI,
  makeRedactor,
  secretsFrom,
  type Ctx,
  type Env,
  type GlobalFlags,
  type HostFacts,
  type Writer,
} from './context.js';
import { UsageError } from './errors.js';
import type { ExecRequest } from './exec.js';
import { pinnedClock, realClock, type Clock } from './shared/clock.js';
import { mayBeOnPath } from './shared/on-path.js';
import { inquirerPrompter, nonInteractivePrompter } from './ui/prompt.js';
import { createLineSpinner, createOraSpinner, spinnerMode, type Spinner } from './ui/spinner.js';
import { makePrint } from './ui/output.js';
import { terminalText } from './ui/printable.js';
import { createStyle } from './ui/style.js';

export interface RuntimeIO {
  env: Env;
  cwd: string;
  stdout: Writer;
  stderr: Writer;
  stdinTTY: boolean;
  signal: AbortSignal;
  /** Node's version, the platform and this process's id: cli.ts reads them from `process`, tests pin them. */
  host: HostFacts;
  /** The terminal stream behind stderr, for an animated spinner (ora moves the cursor); without it, spinners print lines. */
  terminal?: NodeJS.WritableStream;
}

export function createContext(io: RuntimeIO, flags: GlobalFlags): Ctx {
  const redact = makeRedactor(secretsFrom(io.env));
  const color = colorEnabled(io.env, flags, io.stdout.isTTY);
  // Colour follows stdout: piped output never carries escape codes, whatever stderr is.
  const style = createStyle(color);
  const ci = isCI(io.env);
  const interactive = io.stdinTTY && io.stdout.isTTY && !ci && !flags.json;
  // Every byte for the terminal passes here: redacted, then with no control sequence but colour (ui/printable.ts).
  const forTerminal = (text: string) => terminalText(redact(text));
  // The styles follow stdout; stderr keeps their colour only when it may have its own (`gpuctl deploy 2> deploy.log`
  // from a terminal writes a log without escape codes).
  const errColour = colorEnabled(io.env, flags, io.stderr.isTTY);
  const forStderr = (text: string) => terminalText(redact(text), errColour);
  const err = (text: string) => io.stderr.write(forStderr(text));
  const stdout: Writer = { isTTY: io.stdout.isTTY, write: (text) => io.stdout.write(forTerminal(text)) };
  const clock = clockFor(io.env);
  const mode = spinnerMode({
    json: flags.json,
    stderrTTY: io.stderr.isTTY && (io.stderr.columns ?? 0) > 0 && io.terminal !== undefined,
    ci,
  });
  return {
    env: io.env,
    cwd: io.cwd,
    flags,
    interactive,
    stdout,
    stderr: { isTTY: io.stderr.isTTY, write: err },
    style,
    print: makePrint(flags.json, stdout, style),
    signal: io.signal,
    log: {
      info: (message) => {
        if (!flags.json) err(`${message}\n`);
      },
      warn: (message) => err(`${style.yellow('Warning:')} ${message}\n`),
      debug: (message) => {
        if (flags.verbose) err(`${style.dim(message)}\n`);
      },
    },
    exec: async (request: ExecRequest) => {
      if (flags.verbose) err(style.dim(`$ ${[request.file, ...request.args].join(' ')}\n`));
      const env = { ...io.env, ...request.env };
      // A tool that is not on PATH is answered here, as the spawn would answer it: execa is loaded only to run something.
      if (!mayBeOnPath(request.file, env.PATH, request.cwd ?? io.cwd, io.host.platform)) return { kind: 'not-found', file: request.file };
      const { execTool } = await import('./exec.js');
      return execTool({ signal: io.signal, ...request, env });
    },
    // execa is loaded only when a stream starts, as for exec.
    stream: async (request) => (await import('./exec.js')).startStream(request),
    spinner: (text) =>
      redacting(
        mode === 'animated' && io.terminal
          ? deferredOra(forStderr(text), style.level > 0, io.terminal)
          : createLineSpinner(io.stderr, forStderr(text), mode === 'silent' ? 'silent' : 'lines', clock),
        forStderr,
      ),
    prompt: interactive ? inquirerPrompter() : nonInteractivePrompter(),
    redact,
    clock,
    host: io.host,
  };
}

/**
 * The one test hook on time: GPUCTL_NOW (an ISO time) pins the wall clock, `ctx.clock.now()`, for the
 * end-to-end tests that run the CLI as a process (autoscale's schedules and cooldowns) and for rehearsing
 * a schedule. Only this function reads it. Monotonic time, sleeps, timers and `present()` stay real.
 * A value that is not a time is a usage error where the time is first asked for.
 */
const NOW_ENV = 'GPUCTL_NOW';

export function clockFor(env: Env): Clock {
  const fixed = env[NOW_ENV];
  if (!fixed) return realClock;
  const t = Date.parse(fixed);
  if (!Number.isFinite(t))
    return pinnedClock(realClock, () => {
      throw new UsageError(`${NOW_ENV}="${fixed}" is not a time; use ISO 8601, e.g. 2026-11-24T14:20:00Z.`);
    });
  return pinnedClock(realClock, new Date(t));
}

/** ora writes to the terminal itself: every text it gets is redacted and filtered (ui/printable.ts) first. */
function redacting(spinner: Spinner, redact: (text: string) => string): Spinner {
  const r = (text?: string) => (text === undefined ? undefined : redact(text));
  return {
    update: (t) => spinner.update(redact(t)),
    succeed: (t) => spinner.succeed(r(t)),
    fail: (t) => spinner.fail(r(t)),
    warn: (t) => spinner.warn(r(t)),
    stop: () => spinner.stop(),
  };
}

/** ora loads asynchronously; calls made before it is ready are replayed in order. */
function deferredOra(text: string, colour: boolean, stream: NodeJS.WritableStream): Spinner {
  const queue: Array<(s: Spinner) => void> = [];
  let real: Spinner | undefined;
  void createOraSpinner(text, colour, stream).then((s) => {
    real = s;
    for (const call of queue.splice(0)) call(s);
  });
  const via = (call: (s: Spinner) => void) => (real ? call(real) : queue.push(call));
  return {
    update: (t) => via((s) => s.update(t)),
    succeed: (t) => via((s) => s.succeed(t)),
    fail: (t) => via((s) => s.fail(t)),
    warn: (t) => via((s) => s.warn(t)),
    stop: () => via((s) => s.stop()),
  };
}
