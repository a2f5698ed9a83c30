/**
 * Nothing from outside reaches a terminal raw. Two layers, both here:
 *
 * 1. Values (`printable`, `printableValue`): every string a result, an error or an event carries (a GPU
 *    name from nvidia-smi, a machine's name or region from flyctl, a server's body) has its control
 *    characters shown escaped (`\x1b`, `\x07`) before a renderer sees it. `ctx.print`'s text path and the
 *    error text do this for every command, so no renderer can forget; gpuctl's own colours are added by the
 *    renderers afterwards, so they still work. --json keeps the value (JSON.stringify escapes it).
 * 2. The final text (`terminalText`, in runtime.ts's writers for stdout and stderr): whatever else reaches
 *    the terminal keeps only newlines, tabs and colour (SGR, `ESC[…m`); every other control character or
 *    sequence (clear screen, cursor moves, OSC 52 clipboard writes, titles, bells) is shown escaped. Only a
 *    write that begins with one of gpuctl's own screen codes (monitor's alternate screen, status --watch's
 *    clear) keeps those leading codes: they are constants of gpuctl, and what follows them is filtered.
 */

// C0 controls except tab and newline, DEL, and C1 controls (0x80-0x9f: a terminal may act on them too).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// A colour (SGR) sequence, kept whole, or any one control character.
// eslint-disable-next-line no-control-regex
const SGR_OR_CONTROL = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const escape = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** gpuctl's own screen codes: the alternate screen (monitor), home and clear (monitor, status --watch). */
export const SCREEN = {
  enter: '\u001b[?1049h\u001b[?25l',
  leave: '\u001b[?25h\u001b[?1049l',
  homeClear: '\u001b[H\u001b[2J',
  clearHome: '\u001b[2J\u001b[H',
} as const;
const LEADING_SCREEN = new RegExp(
  `^(?:${Object.values(SCREEN)
    .map((code) => code.replace(/[[?]/g, '\\$&'))
    .join('|')})+`,
);

/** Every control character but newline and tab shown as `\xNN`: "ESC]52;c;…BEL" becomes "\x1b]52;c;…\x07". */
export function printable(text: string): string {
  return text.replace(CONTROL, escape);
}

/** A value with every string in it made printable (plain objects and arrays, deeply); other values as they are. */
export function printableValue<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => printableValue(item)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, printableValue(item)])) as T;
  }
  return value;
}

/**
 * Text as it may reach a terminal: newlines, tabs and colour kept, every other control shown escaped. `colour: false`
 * drops the colour too: for a stream that is not a terminal (stderr sent to a file while stdout is one).
 */
export function terminalText(text: string, colour = true): string {
  const lead = LEADING_SCREEN.exec(text)?.[0] ?? '';
  return lead + text.slice(lead.length).replace(SGR_OR_CONTROL, (match) => (match.length > 1 ? (colour ? match : '') : escape(match)));
}
