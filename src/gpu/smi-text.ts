/**
 * Text from nvidia-smi, made safe to quote in an error: control bytes (escape sequences, bells,
 * NULs) are shown as `\xNN` and never reach the terminal, and of a crash's output only the last
 * meaningful lines are kept (a Python traceback's header and frames say nothing to the user).
 */

// C0 controls except tab, DEL, and C1 controls (0x80-0x9f: a terminal may act on them too).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** One line, every control byte spelled out: "\x1b[31m<html>" stays readable and inert. */
export function printable(text: string, max = 80): string {
  const shown = text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return shown.length > max ? `${shown.slice(0, max)}…` : shown;
}

const NOISE = [
  /^Traceback \(most recent call last\):$/,
  /^During handling of the above exception/,
  /^The above exception was the direct cause/,
  /^\^+$/,
];

/**
 * The last `count` lines that say something: blank lines, a traceback's header and its indented
 * frames and source lines are dropped; what is left is quoted with printable().
 */
export function meaningfulLines(output: string, count = 2): string {
  const lines = output
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !/^\s/.test(line))
    .map((line) => line.trim())
    .filter((line) => !NOISE.some((pattern) => pattern.test(line)));
  return lines
    .slice(-count)
    .map((line) => printable(line, 200))
    .join(' ');
}

/**
 * The one "[N/A]" rule: a cell nvidia-smi fills with "[N/A]", "[Not Supported]", "[Unknown Error]",
 * "[Insufficient Permissions]" (any bracketed word), "N/A" or nothing reads as null; else the trimmed text.
 */
export function smiValue(raw: string | undefined): string | null {
  const v = raw?.trim() ?? '';
  return v === '' || v === 'N/A' || /^\[.*\]$/.test(v) ? null : v;
}
