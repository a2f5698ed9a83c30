/** Without a terminal, a long step prints where it is at least every 30 s, and never more often (issues 13, 19). */
import { expect, test } from 'vitest';
import { createLineSpinner, PROGRESS_EVERY_MS, spinnerMode } from '../../../src/ui/spinner.js';
import { fakeClock } from '../../helpers/clock.js';

function capture() {
  const lines: string[] = [];
  return { lines, writer: { isTTY: false, write: (text: string) => void lines.push(text) } };
}

test('CI logs get the step text every 30 s while it runs, then its outcome', async () => {
  const { lines, writer } = capture();
  const clock = fakeClock();
  const spinner = createLineSpinner(writer, 'waiting for v3', 'lines', clock);
  for (let t = 0; t < 95_000; t += 5_000) {
    spinner.update(`waiting for v3: ${Math.floor(t / 10_000)}/2 started`);
    await clock.advance(5_000);
  }
  spinner.succeed('2 machines of v3 started');
  expect(PROGRESS_EVERY_MS).toBe(30_000);
  expect(lines).toEqual([
    '… waiting for v3: 2/2 started (30 s)\n',
    '… waiting for v3: 5/2 started (60 s)\n',
    '… waiting for v3: 8/2 started (90 s)\n',
    '✓ 2 machines of v3 started\n',
  ]);
  expect(clock.pending()).toBe(0);
});

test('a silent step still prints a line every 30 s (a timer, not only updates), and none after its outcome', async () => {
  const { lines, writer } = capture();
  const clock = fakeClock();
  const spinner = createLineSpinner(writer, 'compiling the kernels', 'lines', clock);
  await clock.advance(29_999);
  expect(lines).toEqual([]);
  await clock.advance(1);
  await clock.advance(65_000);
  expect(lines).toEqual(['… compiling the kernels (30 s)\n', '… compiling the kernels (60 s)\n', '… compiling the kernels (90 s)\n']);
  // An update 5 s after a timer line (at 95 s) waits for the next 30 s: never more often.
  spinner.update('compiling the kernels: 3 of 6');
  await clock.advance(24_000);
  expect(lines).toHaveLength(3);
  await clock.advance(1_000);
  expect(lines.at(-1)).toBe('… compiling the kernels: 3 of 6 (120 s)\n');
  spinner.fail('the compiler failed');
  await clock.advance(120_000);
  expect(lines.slice(4)).toEqual(['✗ the compiler failed\n']);
  expect(clock.pending()).toBe(0);
});

test('stop ends the timer too', async () => {
  const { lines, writer } = capture();
  const clock = fakeClock();
  createLineSpinner(writer, 'x', 'lines', clock).stop();
  await clock.advance(300_000);
  expect(lines).toEqual([]);
});

test('--json is silent; a terminal animates; CI or a pipe gets lines', async () => {
  const { lines, writer } = capture();
  const clock = fakeClock();
  const spinner = createLineSpinner(writer, 'x', 'silent', clock);
  await clock.advance(120_000);
  spinner.update('y');
  spinner.succeed('done');
  expect(lines).toEqual([]);
  expect(clock.pending()).toBe(0);
  expect(spinnerMode({ json: true, stderrTTY: true, ci: false })).toBe('silent');
  expect(spinnerMode({ json: false, stderrTTY: true, ci: false })).toBe('animated');
  expect(spinnerMode({ json: false, stderrTTY: true, ci: true })).toBe('lines');
  expect(spinnerMode({ json: false, stderrTTY: false, ci: false })).toBe('lines');
});
