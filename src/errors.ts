/**
 * The error taxonomy. Commands throw these (or return an exit code); exactly one boundary,
 * `runCli` in cli.ts, turns them into output and an exit code.
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  missing: 3,
  interrupted: 130,
  /**
   * The reader of stdout or stderr went away (`gpuctl status | head -1`): 128 + SIGPIPE's 13, the status git, gh and
   * kubectl end with there (they die of SIGPIPE), with no error text. Set only by cli.ts's main.
   */
  brokenPipe: 141,
  /** SIGTERM (128 + 15): the same stop as Ctrl-C, told apart for a supervisor. Set only by cli.ts's main. */
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode =
  | 'failed'
  | 'usage'
  | 'tool_missing'
  | 'device_missing'
  | 'tool_failed'
  | 'tool_timeout'
  | 'bad_output'
  | 'interrupted'
  | 'conflicts'
  | 'internal';

export interface ErrorOptions {
  hint?: string;
  cause?: unknown;
  /**
   * The command has printed a result that carries this error (its --json document has it under
   * `error`): the boundary adds the "Error:/Hint:" lines for people and, with --json, nothing.
   */
  reported?: boolean;
}

/** An expected failure: one sentence for the user, a hint, and an exit code. */
export class GpuctlError extends Error {
  readonly hint: string | undefined;
  readonly reported: boolean;
  constructor(
    message: string,
    readonly code: ErrorCode,
    readonly exitCode: ExitCode,
    options: ErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'GpuctlError';
    this.hint = options.hint;
    this.reported = options.reported === true;
  }

  /** The same error, marked as carried by the result the command printed (see ErrorOptions.reported). */
  asReported(): GpuctlError {
    const copy = new GpuctlError(this.message, this.code, this.exitCode, { hint: this.hint, cause: this.cause, reported: true });
    copy.stack = this.stack;
    return copy;
  }
}

/** The operation ran and failed (unhealthy, regression, validation errors). Exit 1. */
export class FailedError extends GpuctlError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'failed', ExitCode.failed, options);
  }
}

/** Bad flags or arguments. Exit 2. */
export class UsageError extends GpuctlError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'usage', ExitCode.usage, options);
  }
}

/** A required tool (nvidia-smi, flyctl, nvcc) or device (a GPU) is missing. Exit 3. */
export class MissingError extends GpuctlError {
  constructor(
    message: string,
    readonly what: string,
    options?: ErrorOptions & { code?: 'tool_missing' | 'device_missing' },
  ) {
    super(message, options?.code ?? 'tool_missing', ExitCode.missing, options);
  }
}

/** An external tool ran but failed, hung or printed something unreadable. Exit 1. */
export class ToolError extends GpuctlError {
  constructor(
    message: string,
    readonly tool: string,
    code: 'tool_failed' | 'tool_timeout' | 'bad_output',
    options?: ErrorOptions,
  ) {
    super(message, code, ExitCode.failed, options);
  }
}

/** Ctrl-C, or a cancelled prompt. Exit 130. */
export class InterruptedError extends GpuctlError {
  constructor(message = 'Interrupted.', options?: ErrorOptions) {
    super(message, 'interrupted', ExitCode.interrupted, options);
  }
}

/**
 * The exit status of a stop: 143 when SIGTERM began it (cli.ts's main aborts with the signal as the reason's cause),
 * 130 for Ctrl-C. For a command whose result document carries its own exit code (loadtest).
 */
export function stopExitCode(signal: AbortSignal): typeof ExitCode.interrupted | typeof ExitCode.terminated {
  return (signal.reason as { cause?: unknown } | undefined)?.cause === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
}

export function isGpuctlError(error: unknown): error is GpuctlError {
  return error instanceof GpuctlError;
}
