import { describe, expect, test } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { appNameFrom, checkGpuKind, checkVmSize, checkWorkload, resolveInputs } from '../../../src/init/inputs.js';
import { parseRecorded, recordOf, renderRecord } from '../../../src/init/record.js';
import { precisionFor, profileForKind } from '../../../src/init/target.js';
import { profileById } from '../../../src/gpu/catalogue.js';

function hintOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error.hint;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('resolution', () => {
  test('defaults: the deployable CPU layout, inference, the directory as the app name', () => {
    expect(resolveInputs([], 'My Model_v2')).toEqual({
      app: 'my-model-v2',
      region: 'ord',
      target: { kind: 'cpu', vmSize: 'performance-8x' },
      workload: 'inference',
      port: 8080,
      volumeGb: 20,
      cmd: ['python3', '-m', 'app'],
      forLocalGpu: false,
      memoryMb: null,
    });
  });

  test('the first source with a value wins', () => {
    const inputs = resolveInputs(
      [{ workload: 'batch' }, { workload: 'training', app: 'recorded' }, { app: 'from-fly', region: 'fra' }],
      'x',
    );
    expect(inputs).toMatchObject({ workload: 'batch', app: 'recorded', region: 'fra' });
  });

  test('a GPU kind brings its region and volume; an old region gives way unless it was a flag', () => {
    expect(resolveInputs([{ target: { kind: 'gpu', gpuKind: 'a100-sxm4-80gb' } }, {}, { region: 'ord' }], 'x')).toMatchObject({
      region: 'iad',
      volumeGb: 100,
    });
    expect(() => resolveInputs([{ target: { kind: 'gpu', gpuKind: 'a10' }, region: 'iad' }], 'x')).toThrow(
      'Fly offered a10 only in ord, not in iad.',
    );
  });

  test('a size too small for the workload is refused with a size that fits', () => {
    expect(() => resolveInputs([{ target: { kind: 'cpu', vmSize: 'shared-cpu-1x' }, workload: 'training' }], 'x')).toThrow(
      'shared-cpu-1x holds at most 2048 MB; the training profile needs 16384 MB.',
    );
  });

  test('size aliases are caught with the right kind in the hint', () => {
    expect(hintOf(() => checkGpuKind('a100-40gb'))).toBe(
      '"a100-40gb" is the size preset; the gpu_kind is "a100-pcie-40gb": pass --gpu-kind a100-pcie-40gb.',
    );
  });

  test.each([
    ['a10', 'a10'],
    ['l40s', 'l40s'],
    ['a100-40gb', 'a100-pcie-40gb'],
    ['a100-80gb', 'a100-sxm4-80gb'],
  ])('--vm-size %s (a Fly GPU size preset) is the GPU layout of %s, as flyctl mapped it', (preset, kind) => {
    expect(checkVmSize(preset)).toEqual({ kind: 'gpu', gpuKind: kind });
  });

  test('an unknown workload is refused with the four names; a known one passes', () => {
    expect(() => checkWorkload('inferance')).toThrow('Unknown workload "inferance".');
    expect(hintOf(() => checkWorkload('inferance'))).toBe('Choose one of inference, batch, backtest, training.');
    expect(checkWorkload('backtest')).toBe('backtest');
  });

  test('an unknown size names the CPU and GPU presets', () => {
    expect(hintOf(() => checkVmSize('a100-81gb'))).toBe(
      'Use a Fly preset such as shared-cpu-2x or performance-8x (fly platform vm-sizes), or a GPU preset: a10, l40s, a100-40gb, a100-80gb.',
    );
  });

  test.each([
    ['Hello World', 'hello-world'],
    ['--x--', 'x'],
    ['日本', 'gpu-app'],
    ['2fast', 'app-2fast'],
  ])('appNameFrom(%j) = %j', (dir, app) => expect(appNameFrom(dir)).toBe(app));

  test('precision comes from the GPU profile: bf16 from Ampere on, fp16 before, fp32 on a CPU', () => {
    expect(precisionFor(profileForKind('a10'))).toBe('bf16');
    expect(precisionFor(profileById('t4') ?? null)).toBe('fp16');
    expect(precisionFor(profileById('v100-sxm2-32gb') ?? null)).toBe('fp16');
    expect(precisionFor(null)).toBe('fp32');
  });
});

describe('the record', () => {
  test('holds non-default inputs only', () => {
    expect(recordOf(resolveInputs([], 'demo'), 'demo')).toEqual({});
    const inputs = resolveInputs([{ target: { kind: 'gpu', gpuKind: 'a10' }, port: 9000, app: 'other' }], 'demo');
    expect(recordOf(inputs, 'demo')).toEqual({ app: 'other', gpuKind: 'a10', port: 9000 });
  });

  test('read back, it reproduces the inputs', () => {
    const inputs = resolveInputs(
      [
        {
          target: { kind: 'cpu', vmSize: 'performance-2x' },
          workload: 'backtest',
          region: 'syd',
          volumeGb: 7,
          cmd: ['uv', 'run', 'serve'],
        },
      ],
      'demo',
    );
    const again = resolveInputs([parseRecorded(renderRecord(recordOf(inputs, 'demo')), '.gpuctl.json')], 'demo');
    expect(again).toEqual(inputs);
  });

  test.each([
    ['{', 'is not a valid gpuctl record'],
    ['{"init": {"gpuKind": "a100-80gb"}}', 'Unknown GPU kind "a100-80gb"'],
    ['{"init": {"colour": "red"}}', 'unknown field "colour"'],
    ['{"init": {"port": "80"}}', '"port" must be a number'],
    ['{"init": {"gpuKind": "a10", "vmSize": "performance-2x"}}', 'it names both gpuKind and vmSize'],
  ])('a bad record (%s) is refused', (text, message) => {
    expect(() => parseRecorded(text, '.gpuctl.json')).toThrow(message);
  });
});
