/** The durations people write (--wait-timeout, --interval, ...) and the ones deploy prints ("Deployed in 1 min 30 s"). */
import { expect, test } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/shared/duration.js';

test.each([
  ['90', 90_000],
  ['1.5', 1500],
  [' 2m ', 120_000],
  ['1m30s', 90_000],
  ['1h', 3_600_000],
  ['250ms', 250],
  ['0.5s', 500],
  ['', undefined],
  ['1m30', undefined],
  ['5 m', undefined],
  ['soon', undefined],
])('parseDuration(%j) = %j', (text, ms) => expect(parseDuration(text)).toBe(ms));

test.each([
  [0, '0 ms'],
  [999.4, '999 ms'],
  [999.6, '1.0 s'],
  [1000, '1.0 s'],
  [12_345, '12.3 s'],
  [59_940, '59.9 s'],
  // rounded once: never "60.0 s" or "1 min 60 s"
  [59_960, '1 min'],
  [60_000, '1 min'],
  [89_400, '1 min 29 s'],
  [89_600, '1 min 30 s'],
  [90_000, '1 min 30 s'],
  [119_600, '2 min'],
  [3_600_000, '60 min'],
])('formatDuration(%d) = %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
