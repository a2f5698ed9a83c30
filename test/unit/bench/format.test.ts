import { describe, expect, it } from 'vitest';
import { quantity, sig, small } from '../../../src/bench/format.js';

describe('number formats', () => {
  it.each([
    [2950.1, '2950'],
    [755.4, '755'],
    [47, '47.0'],
    [9, '9.00'],
    [0.7134, '0.713'],
    [0.00484, '4.84e-3'],
  ])('sig(%d) = %s', (value, text) => expect(sig(value)).toBe(text));

  it.each([
    [1.2e-7, '1.2e-7'],
    [1e-5, '1e-5'],
    [0.84, '0.84'],
    [4, '4'],
    [0, '0'],
  ])('small(%d) = %s', (value, text) => expect(small(value)).toBe(text));

  it.each([
    [459499, 'Mpaths/s', '459 Gpaths/s'],
    [51989, 'Mpaths/s', '52.0 Gpaths/s'],
    [1100, 'Mpaths/s', '1100 Mpaths/s'],
    [2949, 'GB/s', '2949 GB/s'],
    [0.9, 'TFLOP/s', '900 GFLOP/s'],
    [4.2, 'Gsteps/s', '4.20 Gsteps/s'],
    [1.46, 'us', '1.46 us'],
    [0, 'GB/s', '0.00 GB/s'],
  ])('quantity(%d, %s) = %s (issue 10: scaled units)', (value, unit, text) => expect(quantity(value, unit)).toBe(text));
});
