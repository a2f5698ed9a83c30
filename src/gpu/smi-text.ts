/**
 * Text from nvidia-smi, made safe to quote in an error: control bytes (escape sequences, bells,
 * NULs) are shown as `\xNN` and never reach the terminal, and of a crash's output only the first
 * meaningful lines are kept: the error itself, not a Python traceback's header and frames nor the
 * tail of a Node crash (its stack, the error's properties, "Node.js v20…").
 */
import { printable } from '../ui/printable.js';

/**
 * One line, every control byte spelled out: ui/printable.ts's rule (the one sanitiser of outside text), and the line
 * feed too, so "\x1b[31m<html>\n" stays readable, inert and on one line; cut at `max` characters.
 */
export function printableLine(text: string, max = 80): string {
  const shown = printable(text).replace(/\n/g, '\\x0a');
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
 * dropped; what is left (the error first) is quoted with printableLine().
 */
export function meaningfulLines(output: string, count = 2): string {
  const all = output.split(/\r?\n/);
  const lines = all
    .filter((line, i) => line.trim() !== '' && !/^\s/.test(line) && !/^\s*\^+\s*$/.test(all[i + 1] ?? ''))
    .map((line) => line.trim())
    .filter((line) => !NOISE.some((pattern) => pattern.test(line)));
  return lines
    .slice(0, count)
    .map((line) => printableLine(line, 200))
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
