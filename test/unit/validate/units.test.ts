import { expect, test } from 'vitest';
import { durationMs, formatDuration, killTimeoutSeconds, memoryMb } from '../../../src/flyio/fly-units.js';

test.each([
  ['10s', 10_000],
  ['1m21s', 81_000],
  ['1h', 3_600_000],
  ['500ms', 500],
  ['1.5s', 1500],
  [30000, 30_000],
  ['0', 0],
  ['ten seconds', null],
  ['10', null],
  [true, null],
])('durationMs(%j) = %j', (value, ms) => expect(durationMs(value)).toBe(ms));

test('kill_timeout: integers are seconds, strings durations', () => {
  expect(killTimeoutSeconds(30)).toBe(30);
  expect(killTimeoutSeconds('3s')).toBe(3);
  expect(killTimeoutSeconds('10m')).toBe(600);
});

test.each([
  [90_000, '1m30s'],
  [300_000, '5m0s'],
  [500, '500ms'],
  [0, '0s'],
  [3_661_000, '1h1m1s'],
])('formatDuration(%d) = %s (Go style)', (ms, text) => expect(formatDuration(ms)).toBe(text));

test.each([
  [512, 512],
  ['512mb', 512],
  ['2gb', 2048],
  ['2GB', 2048],
  ['1GiB', 1024],
  ['16g', 16384],
  ['1.5gb', 1536],
  ['512', 512],
  ['lots', null],
])('memoryMb(%j) = %j', (value, mb) => expect(memoryMb(value)).toBe(mb));
