/**
 * The CPU sizes and their memory rule (what `gpuctl scale vm`, init and validate accept) and the hourly price
 * `scale vm` and `scale show` print for a guest.
 */
import { expect, test } from 'vitest';
import { hourlyPriceUsd, isGpuPreset, memoryFits, memoryRange, vmSize, VM_SIZES } from '../../../src/flyio/vm-sizes.js';

const size = (name: string) => {
  const found = vmSize(name);
  if (!found) throw new Error(`no size ${name}`);
  return found;
};

test('the presets: 256 MB per shared CPU up to 2048, 2048 MB per performance CPU up to 8192', () => {
  expect(VM_SIZES.map((s) => s.name)).toEqual([
    ...['1', '2', '4', '6', '8'].map((n) => `shared-cpu-${n}x`),
    ...['1', '2', '4', '6', '8', '10', '12', '14', '16'].map((n) => `performance-${n}x`),
  ]);
  expect(size('shared-cpu-2x')).toEqual({ name: 'shared-cpu-2x', cpuKind: 'shared', cpus: 2, memoryMb: 512, maxMemoryMb: 4096 });
  expect(size('performance-8x')).toEqual({
    name: 'performance-8x',
    cpuKind: 'performance',
    cpus: 8,
    memoryMb: 16_384,
    maxMemoryMb: 65_536,
  });
  expect(vmSize('a100-40gb')).toBeUndefined();
});

test('memory fits a size from its own to its maximum, in steps of 256 MB', () => {
  const p8 = size('performance-8x');
  expect([16_384, 16_640, 65_536].map((mb) => memoryFits(p8, mb))).toEqual([true, true, true]);
  expect([16_128, 65_792, 16_500, 16_384.5].map((mb) => memoryFits(p8, mb))).toEqual([false, false, false, false]);
  expect(memoryRange(p8)).toBe('Use a multiple of 256 from 16384 to 65536 MB.');
});

test('the retired GPU presets', () => {
  expect(['a10', 'l40s', 'a100-40gb', 'a100-80gb', 'performance-8x', undefined].map(isGpuPreset)).toEqual([
    true,
    true,
    true,
    true,
    false,
    false,
  ]);
});

test('the hourly price: the preset per CPU, plus $5 per 30 days for each GB over it', () => {
  const perHour = (guest: Parameters<typeof hourlyPriceUsd>[0]) => hourlyPriceUsd(guest)?.toFixed(6);
  expect(perHour({ cpuKind: 'shared', cpus: 1, memoryMb: 256 })).toBe((1.94 / 720).toFixed(6));
  expect(perHour({ cpuKind: 'performance', cpus: 2, memoryMb: null })).toBe((62 / 720).toFixed(6));
  expect(perHour({ cpuKind: 'performance', cpus: 2, memoryMb: 6144 })).toBe(((62 + 2 * 5) / 720).toFixed(6));
  // memory under the preset's is not a discount
  expect(perHour({ cpuKind: 'performance', cpus: 2, memoryMb: 1024 })).toBe((62 / 720).toFixed(6));
  expect([
    hourlyPriceUsd({ cpuKind: 'gpu', cpus: 8, memoryMb: 32_768 }),
    hourlyPriceUsd({ cpuKind: null, cpus: 8, memoryMb: null }),
    hourlyPriceUsd({ cpuKind: 'shared', cpus: null, memoryMb: 256 }),
    hourlyPriceUsd({ cpuKind: 'shared', cpus: 0, memoryMb: 256 }),
    hourlyPriceUsd({ cpuKind: 'shared', cpus: -1, memoryMb: 256 }),
  ]).toEqual([undefined, undefined, undefined, undefined, undefined]);
});
