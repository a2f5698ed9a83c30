/**
 * flyctl's error surface (superfly/flyctl internal/cli/cli.go `printError` and `Run`): stderr gets
 * `Error: <msg>[ (Request ID: …)]`, then the description and the suggestion, each followed by a
 * blank line. Exit codes: 1 for errors, 126 for context deadline exceeded, 127 for interrupted
 * (printed nothing). An unknown command also prints `Run '<cmd> --help' for usage.` on stdout.
 */

export class FlyError extends Error {
  /**
   * @param {string} message
   * @param {{ description?: string, suggestion?: string, requestId?: string, exitCode?: number, usageHint?: string }} [details]
   */
  constructor(message, details = {}) {
    super(message);
    this.name = 'FlyError';
    this.description = details.description ?? '';
    this.suggestion = details.suggestion ?? '';
    this.requestId = details.requestId ?? '';
    this.exitCode = details.exitCode ?? 1;
    /** command path for `Run '<path> --help' for usage.` (unknown commands only) */
    this.usageHint = details.usageHint ?? '';
  }
}

/** A Go context.Canceled / terminal.InterruptErr: exit 127, nothing printed. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

export const NO_TOKEN = "no access token available. Please login with 'flyctl auth login'";

export const deadlineExceeded = () => new FlyError('context deadline exceeded', { exitCode: 126 });

/** The text flyctl writes for an error; returns { stderr, stdout, exitCode }. */
export function renderError(error) {
  if (error instanceof Interrupted) return { stderr: '', stdout: '', exitCode: 127 };
  if (!(error instanceof FlyError)) {
    // A bug in the fake itself: say so plainly, like a Go panic would (exit 3 in production builds).
    return { stderr: `fake flyctl internal error: ${error?.stack ?? String(error)}\n`, stdout: '', exitCode: 3 };
  }
  const requestId = error.requestId ? ` (Request ID: ${error.requestId})` : '';
  let stderr = `Error: ${error.message}${requestId}\n`;
  if (error.description && error.description !== error.message) stderr += `${error.description}\n\n`;
  if (error.suggestion) stderr += `${error.suggestion}\n\n`;
  const stdout = error.usageHint ? `Run '${error.usageHint} --help' for usage.\n\n` : '';
  return { stderr, stdout, exitCode: error.exitCode };
}
