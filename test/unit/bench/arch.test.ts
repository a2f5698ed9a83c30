import { describe, expect, it } from 'vitest';
import { assertBuildable, parseArch, prebuiltCovers } from '../../../src/bench/arch.js';
import { MissingError, UsageError } from '../../../src/errors.js';

describe('parseArch', () => {
  it.each([
    ['sm_90', 'sm_90'],
    ['SM_86', 'sm_86'],
    ['90a', 'sm_90a'],
    ['8.9', 'sm_89'],
    ['sm_120', 'sm_120'],
    ['10.0', 'sm_100'],
    ['11.0', 'sm_110'],
    ['12.1', 'sm_121'],
    ['120f', 'sm_120f'],
  ])('%s → %s', (text, arch) => expect(parseArch(text)).toBe(arch));

  it.each(['sm_70', 'sm_72', '7.0', 'sm_61'])('%s: gpuctl-bench needs Turing or newer', (text) => {
    expect(() => parseArch(text)).toThrow(UsageError);
    expect(() => parseArch(text)).toThrow(/does not support sm_\d+ \(Volta or older\): it needs Turing \(sm_75\) or newer/);
  });

  it.each(['compute_90', 'hopper', 'sm_', ''])('%s is not an architecture', (text) => expect(() => parseArch(text)).toThrow(/expects a GPU architecture/));
});

describe('a detected GPU', () => {
  it('Volta is refused with exit 3 and its name', () => {
    expect(() => assertBuildable('sm_70', 'Tesla V100-SXM2-16GB')).toThrow(MissingError);
    expect(() => assertBuildable('sm_70', 'Tesla V100-SXM2-16GB')).toThrow(/Tesla V100-SXM2-16GB is sm_70/);
    expect(() => assertBuildable('sm_75', 'Tesla T4')).not.toThrow();
  });

  it('the prebuilt fat binary covers Turing and newer (SASS to sm_90, PTX beyond)', () => {
    expect(['sm_75', 'sm_80', 'sm_87', 'sm_89', 'sm_90', 'sm_100', 'sm_120'].every(prebuiltCovers)).toBe(true);
    expect(prebuiltCovers('sm_70')).toBe(false);
  });
});
