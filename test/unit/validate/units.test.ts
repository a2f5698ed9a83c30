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
  // padded text is trimmed; text that is not all duration is not one
  [' 10s ', 10_000],
  ['', null],
  ['x10s', null],
  ['1m30', null],
])('durationMs(%j) = %j', (value, ms) => expect(durationMs(value)).toBe(ms));

test('kill_timeout: integers are seconds, strings durations', () => {
  expect(killTimeoutSeconds(30)).toBe(30);
  expect(killTimeoutSeconds('3s')).toBe(3);
  expect(killTimeoutSeconds('10m')).toBe(600);
  // a TOML integer may come as a bigint: still a number
  expect(killTimeoutSeconds(30n)).toBe(30);
  expect(durationMs(30000n)).toBe(30_000);
});

test.each([
  [90_000, '1m30s'],
  [300_000, '5m0s'],
  [500, '500ms'],
  [0, '0s'],
  [3_661_000, '1h1m1s'],
  [999, '999ms'],
  [1000, '1s'],
  [1500, '1.5s'],
  [3_605_000, '1h0m5s'],
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
  ['1.1gb', 1126],
  ['2tb', 2_097_152],
  ['lots', null],
])('memoryMb(%j) = %j', (value, mb) => expect(memoryMb(value)).toBe(mb));
