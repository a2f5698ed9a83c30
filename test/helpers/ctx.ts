/**
 * A Ctx for unit tests: captured output, a pinned environment, and a table-driven exec fake that
 * FAILS on any command it was not given (so a test can never reach a real tool by accident).
 */
import type { CliIO } from '../../src/cli.js';
import type { Ctx, Env } from '../../src/context.js';
import { makeRedactor, secretsFrom } from '../../src/context.js';
import type { ExecRequest, ExecResult, StreamHandle, StreamRequest } from '../../src/exec.js';
import { pinnedClock, realClock, type Clock } from '../../src/shared/clock.js';
import { nonInteractivePrompter, type Prompter } from '../../src/ui/prompt.js';
import { createLineSpinner } from '../../src/ui/spinner.js';
import { makePrint } from '../../src/ui/output.js';
import { createStyle } from '../../src/ui/style.js';

export type ExecRule = {
  /** Matches file and args exactly, or a predicate over the request. */
  match: readonly string[] | ((request: ExecRequest) => boolean);
  result: ExecResult | ((request: ExecRequest) => ExecResult);
};

export function exited(stdout: string, exitCode = 0, stderr = ''): ExecResult {
  return { kind: 'exited', exitCode, stdout, stderr, durationMs: 1 };
}

export interface TestCtx extends Ctx {
  out(): string;
  err(): string;
  calls: ExecRequest[];
}

export function makeTestCtx(
  options: {
    rules?: readonly ExecRule[];
    env?: Env;
    json?: boolean;
    verbose?: boolean;
    interactive?: boolean;
    prompt?: Prompter;
    /** The wall time (default 2026-11-22T12:00:00Z) on the real clock: sleeps and timers are real. */
    now?: Date;
    /** Or a whole clock: test/helpers/clock.ts's fake, for a test about time. */
    clock?: Clock;
    /** The long-running tools (ctx.stream); without it, starting one fails the test. */
    stream?: (request: StreamRequest) => StreamHandle;
  } = {},
): TestCtx {
  let out = '';
  let err = '';
  const calls: ExecRequest[] = [];
  const env = options.env ?? {};
  const redact = makeRedactor(secretsFrom(env));
  const stderr = { isTTY: false, write: (text: string) => void (err += redact(text)) };
  const flags = { json: options.json ?? false, verbose: options.verbose ?? false, color: false };
  const stdout = { isTTY: false, write: (text: string) => void (out += redact(text)) };
  const style = createStyle(false);
  const clock = options.clock ?? pinnedClock(realClock, options.now ?? new Date('2026-11-22T12:00:00Z'));
  return {
    env,
    cwd: process.cwd(),
    flags,
    interactive: options.interactive ?? false,
    stdout,
    stderr,
    style,
    print: makePrint(flags.json, stdout, style),
    signal: new AbortController().signal,
    log: {
      info: (m) => void (flags.json ? undefined : stderr.write(`${m}\n`)),
      warn: (m) => stderr.write(`Warning: ${m}\n`),
      debug: (m) => void (flags.verbose ? stderr.write(`${m}\n`) : undefined),
    },
    exec: async (request) => {
      calls.push(request);
      const rule = (options.rules ?? []).find((r) =>
        typeof r.match === 'function' ? r.match(request) : JSON.stringify(r.match) === JSON.stringify([request.file, ...request.args]),
      );
      if (!rule) throw new Error(`unexpected command in test: ${[request.file, ...request.args].join(' ')}`);
      return typeof rule.result === 'function' ? rule.result(request) : rule.result;
    },
    stream: async (request) => {
      if (!options.stream) throw new Error(`unexpected stream in test: ${[request.file, ...request.args].join(' ')}`);
      return options.stream(request);
    },
    spinner: (text) => createLineSpinner(stderr, text, flags.json ? 'silent' : 'lines', clock),
    prompt: options.prompt ?? nonInteractivePrompter(),
    redact,
    clock,
    host: { nodeVersion: process.versions.node, platform: process.platform, arch: process.arch, pid: process.pid },
    out: () => out,
    err: () => err,
    calls,
  };
}

/** runCli's io for an in-process run on a test context: its streams and host, no environment, cwd `/`. */
export function cliIO(argv: string[], ctx: TestCtx, options: { signal?: AbortSignal; host?: Partial<CliIO['host']> } = {}): CliIO {
  return {
    argv,
    env: {},
    cwd: '/',
    stdout: ctx.stdout,
    stderr: ctx.stderr,
    stdinTTY: false,
    signal: options.signal ?? new AbortController().signal,
    host: { ...ctx.host, ...options.host },
    makeContext: () => ctx,
  };
}
