/** spinnerSlot: how a command shows a feature's progress events, one step at a time, with no spinner outliving it. */
import { expect, test } from 'vitest';
import { spinnerSlot, type Spinner } from '../../../src/ui/spinner.js';

function recorder() {
  const calls: string[] = [];
  const spinner = (text: string): Spinner => {
    calls.push(`start ${text}`);
    return {
      update: (t) => void calls.push(`update ${t}`),
      succeed: (t) => void calls.push(`succeed ${t}`),
      fail: (t) => void calls.push(`fail ${t}`),
      warn: (t) => void calls.push(`warn ${t}`),
      stop: () => void calls.push(`stop ${text}`),
    };
  };
  return { calls, slot: spinnerSlot({ spinner }) };
}

test('begin starts a spinner, update and end act on it, and end empties the slot', () => {
  const { calls, slot } = recorder();
  slot.begin('Building image');
  slot.update('Building image: step 2');
  slot.end('succeed', 'Built image (3 s)');
  slot.end('fail', 'never shown'); // nothing running: no line
  slot.update('nor this');
  slot.begin('Releasing');
  slot.end('fail', 'Releasing failed (1 s)');
  expect(calls).toEqual([
    'start Building image',
    'update Building image: step 2',
    'succeed Built image (3 s)',
    'start Releasing',
    'fail Releasing failed (1 s)',
  ]);
});

test('a new step stops the one still running; a final end("stop") stops the last, once', () => {
  const { calls, slot } = recorder();
  slot.begin('Preflight');
  slot.begin('Verifying app config');
  slot.end('stop');
  slot.end('stop');
  expect(calls).toEqual(['start Preflight', 'stop Preflight', 'start Verifying app config', 'stop Verifying app config']);
});
