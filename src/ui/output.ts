/**
 * The one printer: every `--json` document, every serialized error and every "Error:/Hint:" pair
 * gpuctl prints is made here. Commands print through `ctx.print` (context.ts), the boundary
 * (cli.ts) through `errorJson` and `errorText`; streams of records (NDJSON: the agent's events, monitor's
 * samples, autoscale's steps) through `streamWriter` (`jsonLine`). Nothing else calls JSON.stringify for output.
 */
import { printable, printableValue } from './printable.js';
import type { Style } from './style.js';

// JSON.stringify escapes U+0000-U+001F but leaves DEL and the C1 controls raw (a terminal may act on them):
// they are escaped too (\u009b), the same value, so the final filter (printable.ts) never touches a document.
const RAW_IN_JSON = /[\u007f-\u009f]/g;
const json = (value: unknown, indent?: number) =>
  `${JSON.stringify(value, null, indent)}`.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A JSON document as gpuctl prints it: two-space indent, one trailing newline. */
export function jsonText(value: unknown): string {
  return `${json(value, 2)}\n`;
}

/** One record of an NDJSON stream: compact, one line. */
export function jsonLine(value: unknown): string {
  return `${json(value)}\n`;
}

/** What an error is made of, as the boundary and the commands' reports show it. */
export interface ErrorLike {
  readonly code: string;
  readonly message: string;
  readonly hint?: string | null | undefined;
  readonly exitCode: number;
}

/** The documented error object (README: `{"error": {"code", "message", "hint", "exitCode"}}`), redacted. */
export interface ErrorJson {
  code: string;
  message: string;
  hint: string | null;
  exitCode: number;
}

export function errorJson(error: ErrorLike, redact: (text: string) => string = (text) => text): ErrorJson {
  return { code: error.code, message: redact(error.message), hint: error.hint ? redact(error.hint) : null, exitCode: error.exitCode };
}

/** "Error: <sentence>" and, when there is one, "Hint: <what to do>", for stderr. */
export function errorText(style: Style, error: Pick<ErrorLike, 'message' | 'hint'>): string {
  return `${style.red('Error:')} ${printable(error.message)}\n${error.hint ? `${style.dim(`Hint: ${printable(error.hint)}`)}\n` : ''}`;
}

/**
 * What `ctx.print` does: the value as JSON with --json (escaped by JSON), else the renderer's text of the value
 * with every string in it made printable first (ui/printable.ts), so no renderer prints a tool's or a server's
 * control characters; the renderer's own colours are added after.
 */
export type Print = <T>(result: T, render: (result: T, style: Style) => string) => void;

export function makePrint(json: boolean, out: { write(text: string): void }, style: Style): Print {
  return (result, render) => out.write(json ? jsonText(result) : render(printableValue(result), style));
}

/**
 * The one writer of a stream: records a command prints as they come rather than one result at the end (the
 * agent's listening line and log lines, monitor's samples, autoscale run's decisions). `record` writes the
 * value as one NDJSON line with --json (`jsonLine`), else what `render` returns, every string in the value made
 * printable first (as `ctx.print` does). `text` is for people only, nothing with --json: a plan shown before its
 * action (the --json result has it), a screen's own control codes.
 */
export interface StreamWriter {
  record<T>(value: T, render: (value: T, style: Style) => string): void;
  text(text: string): void;
}

export function streamWriter(json: boolean, out: { write(text: string): void }, style: Style): StreamWriter {
  return {
    record: (value, render) => out.write(json ? jsonLine(value) : render(printableValue(value), style)),
    text: (text) => void (json || text === '' ? undefined : out.write(text)),
  };
}
