/** The one look of a check's status across commands: ✓ pass, ! warn, ✗ fail, - skip. */
import type { Style } from './style.js';

export type Status = 'pass' | 'warn' | 'fail' | 'skip';

const MARKS: Record<Status, [symbol: string, colour: 'green' | 'yellow' | 'red' | 'dim']> = {
  pass: ['✓', 'green'],
  warn: ['!', 'yellow'],
  fail: ['✗', 'red'],
  skip: ['-', 'dim'],
};

/** The symbol alone, or with the status word (`withWord`). */
export function statusMark(status: Status, style: Style, withWord = false): string {
  const [symbol, colour] = MARKS[status];
  return style[colour](withWord ? `${symbol} ${status}` : symbol);
}
