/**
 * Text from nvidia-smi, made safe to quote in an error: control bytes (escape sequences, bells,
 * NULs) are shown as `\xNN` and never reach the terminal, and of a crash's output only the first
 * meaningful lines are kept: the error itself, not a Python traceback's header and frames nor the
 * tail of a Node crash (its stack, the error's properties, "Node.js v20…").
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
  /^Node\.js v\d/,
  /^[{}[\]]+$/,
  // Where a Node crash happened ("/usr/bin/nvidia-smi:12", "node:internal/…:1228"): the error follows.
  /^\S+:\d+$/,
];

/**
 * The first `count` lines that say something: blank lines, a traceback's header, indented frames and
 * source lines, the source line a Node crash echoes above its caret, and Node's closing lines are
 * dropped; what is left (the error first) is quoted with printable().
 */
export function meaningfulLines(output: string, count = 2): string {
  const all = output.split(/\r?\n/);
  const lines = all
    .filter((line, i) => line.trim() !== '' && !/^\s/.test(line) && !/^\s*\^+\s*$/.test(all[i + 1] ?? ''))
    .map((line) => line.trim())
    .filter((line) => !NOISE.some((pattern) => pattern.test(line)));
  return lines
    .slice(0, count)
    .map((line) => printable(line, 200))
    .join(' ');
}
