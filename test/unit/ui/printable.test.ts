/** The sanitiser's two layers (ui/printable.ts): values fully escaped; the final text keeps colour and gpuctl's screen codes only. */
import { describe, expect, it } from 'vitest';
import { jsonLine, jsonText } from '../../../src/ui/output.js';
import { printable, printableValue, SCREEN, terminalText } from '../../../src/ui/printable.js';
import { createStyle } from '../../../src/ui/style.js';

const OSC52 = '\u001b]52;c;aGk=\u0007';

describe('printable', () => {
  it('shows every control character but newline and tab escaped, colour included', () => {
    expect(printable(`a${OSC52}\u001b[2J\u001b[31mred\r\u009b\u0000\tb\nc`)).toBe(
      'a\\x1b]52;c;aGk=\\x07\\x1b[2J\\x1b[31mred\\x0d\\x9b\\x00\tb\nc',
    );
  });

  it('maps every string of a plain value, deeply, and leaves the rest', () => {
    const at = new Date(0);
    expect(printableValue({ name: `x${OSC52}`, n: 3, ok: true, at, list: [{ region: 'ord\u001b[2J' }, null] })).toEqual({
      name: 'x\\x1b]52;c;aGk=\\x07',
      n: 3,
      ok: true,
      at,
      list: [{ region: 'ord\\x1b[2J' }, null],
    });
  });
});

describe('terminalText', () => {
  it("keeps gpuctl's colours (chalk's SGR) and escapes every other sequence", () => {
    const style = createStyle(true);
    const text = `${style.red('Error:')} ${style.dim('hint')} ${OSC52}\u001b[2J\u001b[H\u0007\n`;
    expect(terminalText(text)).toBe(`${style.red('Error:')} ${style.dim('hint')} \\x1b]52;c;aGk=\\x07\\x1b[2J\\x1b[H\\x07\n`);
  });

  it("keeps gpuctl's own screen codes only at the start of a write", () => {
    expect(terminalText(`${SCREEN.homeClear}frame`)).toBe(`${SCREEN.homeClear}frame`);
    expect(terminalText(`${SCREEN.enter}`)).toBe(SCREEN.enter);
    expect(terminalText(`frame${SCREEN.homeClear}`)).toBe('frame\\x1b[H\\x1b[2J');
  });
});

describe('JSON through the final filter', () => {
  it('a document with DEL and C1 controls stays valid JSON with the same value (they are \\u-escaped)', () => {
    const value = { name: `a\u009b2Jb\u007fc${OSC52}` };
    for (const text of [jsonText(value), jsonLine(value)]) {
      expect(terminalText(text)).toBe(text);
      expect(JSON.parse(terminalText(text))).toEqual(value);
    }
  });
});
