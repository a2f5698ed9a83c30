/** Pure option parsing, and the native program's argv built from it (string tables). */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { parseBenchOptions, parseCount, parsePercent, parseSizes, programArgs, type RawBenchInput } from '../../../src/bench/options.js';

const raw = (over: Partial<RawBenchInput> = {}): RawBenchInput => ({ suite: [], kernel: [], size: [], quick: false, cpu: false, list: false, buildOnly: false, force: false, ...over });

describe('parseCount', () => {
  it.each([
    ['65536', 65536],
    ['1e6', 1_000_000],
    ['4M', 4_000_000],
    ['64Mi', 64 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['2k', 2000],
  ])('%s → %d', (text, value) => expect(parseCount(text)).toBe(value));

  it.each(['0', '-5', '1.5', 'lots', '1Ti', '', '1e400'])('%s is refused', (text) => expect(parseCount(text)).toBeUndefined());
});

describe('parseSizes', () => {
  it('splits commas, keeps order, lets a later value win', () => {
    expect(parseSizes(['n=4096,paths=1e6', 'bytes=256Mi', 'n=2048'])).toEqual([
      ['n', 2048],
      ['paths', 1_000_000],
      ['bytes', 256 * 2 ** 20],
    ]);
  });
  it.each(['n', 'n=', '=5', 'n=big', 'n=0'])('%s is a usage error', (item) => expect(() => parseSizes([item])).toThrow(UsageError));
});

describe('parsePercent', () => {
  it.each([
    ['5', 5],
    ['7.5%', 7.5],
  ])('%s → %d', (text, value) => expect(parsePercent('--max-regression', text)).toBe(value));
  it.each(['0', '-1', 'ten', ''])('%s is refused', (text) => expect(() => parsePercent('--max-regression', text)).toThrow(UsageError));
});

describe('parseBenchOptions', () => {
  it('defaults to a full GPU run of every suite', () => {
    expect(parseBenchOptions(raw())).toEqual({
      action: 'run', suites: [], kernels: [], quick: false, sizes: [], repeat: null, cpu: false, out: null, force: false, baseline: null, maxRegressionPct: null, arch: null,
      gpus: [0], outlierPct: 10,
    });
  });

  it('--gpus: "all", a sorted unique list, or a usage error; --outlier a percentage', () => {
    expect(parseBenchOptions(raw({ gpus: 'all' })).gpus).toBe('all');
    expect(parseBenchOptions(raw({ gpus: '3,1,1' })).gpus).toEqual([1, 3]);
    expect(() => parseBenchOptions(raw({ gpus: '0,x' }))).toThrow('--gpus expects "all" or device indices such as 0,1,3, got "0,x".');
    expect(() => parseBenchOptions(raw({ gpus: 'all', baseline: 'a.json' }))).toThrow('--baseline compares runs on one GPU.');
    expect(parseBenchOptions(raw({ outlier: '5%' })).outlierPct).toBe(5);
    expect(() => parseBenchOptions(raw({ outlier: 'ten' }))).toThrow('--outlier expects a percentage');
  });

  it('a baseline gets the default threshold of 10%', () => {
    expect(parseBenchOptions(raw({ baseline: 'main.json' })).maxRegressionPct).toBe(10);
    expect(parseBenchOptions(raw({ baseline: 'main.json', maxRegression: '3' })).maxRegressionPct).toBe(3);
  });

  it.each<[string, Partial<RawBenchInput>, RegExp]>([
    ['unknown suite', { suite: ['memory,gpu'] }, /Unknown suite: gpu/],
    ['--list with --build-only', { list: true, buildOnly: true }, /cannot be combined/],
    ['--arch without --build-only', { arch: 'sm_90' }, /--arch goes with --build-only/],
    ['--max-regression alone', { maxRegression: '5' }, /needs --baseline/],
    ['--force without --out', { force: true }, /--force goes with --out FILE/],
    ['--out with --list', { list: true, out: 'x.json' }, /not with --list/],
    ['--repeat 0', { repeat: '0' }, /--repeat expects/],
    ['Volta', { buildOnly: true, arch: 'sm_70' }, /does not support sm_70 \(Volta or older\)/],
  ])('%s is a usage error', (_what, over, message) => {
    expect(() => parseBenchOptions(raw(over))).toThrow(UsageError);
    expect(() => parseBenchOptions(raw(over))).toThrow(message);
  });
});

describe('programArgs', () => {
  const base: Parameters<typeof programArgs>[0] = { suites: [], kernels: [], quick: false, sizes: [], repeat: null, cpu: false };
  it.each<[string, Parameters<typeof programArgs>[0], 'run' | 'list', string]>([
    ['everything', base, 'run', ''],
    ['a listing', base, 'list', '--list'],
    ['a filtered listing ignores run options', { ...base, suites: ['finance'], quick: true, cpu: true }, 'list', '--list --suite finance'],
    ['CI smoke test', { ...base, quick: true, cpu: true }, 'run', '--quick --cpu'],
    [
      'every option',
      { suites: ['memory', 'compute'], kernels: ['gemm_bf16', 'triad'], quick: true, sizes: [['n', 4096], ['bytes', 1 << 28]], repeat: 7, cpu: false },
      'run',
      '--suite memory,compute --kernel gemm_bf16,triad --quick --repeat 7 --size n=4096 --size bytes=268435456',
    ],
  ])('%s', (_what, options, mode, expected) => expect(programArgs(options, mode).join(' ')).toBe(expected));
});
