/** Without a terminal, a long step prints where it is at least every 30 s, and never more often (issue 13). */
import { expect, test } from 'vitest';
import { createLineSpinner, PROGRESS_EVERY_MS, spinnerMode } from '../../../src/ui/spinner.js';

function capture() {
  const lines: string[] = [];
  return { lines, writer: { isTTY: false, write: (text: string) => void lines.push(text) } };
}

test('CI logs get the step text at most every 30 s while it runs, then its outcome', () => {
  const { lines, writer } = capture();
  let clock = 0;
  const spinner = createLineSpinner(writer, 'waiting for v3', 'lines', () => clock);
  for (clock = 0; clock <= 95_000; clock += 5_000) spinner.update(`waiting for v3: ${Math.floor(clock / 10_000)}/2 started`);
  spinner.succeed('2 machines of v3 started');
  expect(PROGRESS_EVERY_MS).toBe(30_000);
  expect(lines).toEqual([
    '… waiting for v3: 3/2 started (30 s)\n',
    '… waiting for v3: 6/2 started (60 s)\n',
    '… waiting for v3: 9/2 started (90 s)\n',
    '✓ 2 machines of v3 started\n',
  ]);
});

test('--json is silent; a terminal animates; CI or a pipe gets lines', () => {
  const { lines, writer } = capture();
  let clock = 0;
  const spinner = createLineSpinner(writer, 'x', 'silent', () => clock);
  clock = 120_000;
  spinner.update('y');
  spinner.succeed('done');
  expect(lines).toEqual([]);
  expect(spinnerMode({ json: true, stderrTTY: true, ci: false })).toBe('silent');
  expect(spinnerMode({ json: false, stderrTTY: true, ci: false })).toBe('animated');
  expect(spinnerMode({ json: false, stderrTTY: true, ci: true })).toBe('lines');
  expect(spinnerMode({ json: false, stderrTTY: false, ci: false })).toBe('lines');
});
