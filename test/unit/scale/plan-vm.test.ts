import { describe, expect, it } from 'vitest';
import { FailedError, UsageError } from '../../../src/errors.js';
import { FLY_GPU_KINDS } from '../../../src/flyio/gpu-kinds.js';
import { hourlyPriceUsd, vmSize } from '../../../src/flyio/vm-sizes.js';
import { checkVmRequest, planVm, vmMismatches } from '../../../src/scale/plan-vm.js';

const groups = [{ group: 'app', count: 2, cpuKind: 'shared', cpus: 1, memoryMb: 256, regions: { ord: 2 } }];

describe('scale vm plan', () => {
  it('refuses GPU sizes with the retirement message and the CPU command', () => {
    expect(() => checkVmRequest({ size: 'a100-40gb', memoryMb: undefined, group: undefined })).toThrow(FailedError);
    try {
      checkVmRequest({ size: 'l40s', memoryMb: undefined, group: undefined });
    } catch (error) {
      expect((error as FailedError).message).toContain('retired GPU Machines on 2026-08-01');
      expect((error as FailedError).hint).toContain('gpuctl scale vm performance-8x --memory 32768');
    }
  });

  it("the hint's command gives the GPU preset's CPUs and memory (performance-8x alone has 16 GB, the GPU presets had 32 GB)", () => {
    let hint = '';
    try {
      checkVmRequest({ size: 'a100-40gb', memoryMb: undefined, group: undefined });
    } catch (error) {
      hint = (error as FailedError).hint ?? '';
    }
    const [, size, memory] = /gpuctl scale vm (\S+) --memory (\d+)/.exec(hint) ?? [];
    expect(vmSize(size ?? '')?.memoryMb).toBe(16384);
    const plan = planVm(groups, { size: size ?? '', memoryMb: Number(memory), group: undefined });
    const { cpuKind, cpus, memoryMb } = FLY_GPU_KINDS['a100-pcie-40gb'].guest;
    expect(plan.groups[0]?.to).toMatchObject({ cpuKind, cpus, memoryMb });
    expect(hint).toContain(`${cpus} CPUs and 32 GB`);
  });

  it('refuses unknown sizes and memory outside the preset', () => {
    expect(() => checkVmRequest({ size: 'huge', memoryMb: undefined, group: undefined })).toThrow(UsageError);
    expect(() => checkVmRequest({ size: 'performance-1x', memoryMb: 1024, group: undefined })).toThrow(/does not fit performance-1x/);
    expect(() => checkVmRequest({ size: 'performance-1x', memoryMb: 9000, group: undefined })).toThrow(UsageError);
    expect(checkVmRequest({ size: 'performance-1x', memoryMb: 8192, group: undefined }).memoryMb).toBe(8192);
  });

  it('prices before and after from the catalogue', () => {
    const plan = planVm(groups, { size: 'performance-8x', memoryMb: undefined, group: undefined });
    expect(plan.groups[0]?.to).toMatchObject({ cpuKind: 'performance', cpus: 8, memoryMb: 16384 });
    expect(plan.hourlyBefore).toBeCloseTo((2 * 1.94) / 720, 6);
    expect(plan.hourlyAfter).toBeCloseTo((2 * 8 * 31) / 720, 6);
  });

  it('needs --group when there are several', () => {
    expect(() =>
      planVm([...groups, { ...groups[0]!, group: 'worker' }], { size: 'shared-cpu-2x', memoryMb: undefined, group: undefined }),
    ).toThrow(/has 2 process groups/);
  });

  it('finds groups that did not land on the new size', () => {
    const plan = planVm(groups, { size: 'performance-2x', memoryMb: undefined, group: undefined });
    expect(vmMismatches(plan, [{ ...groups[0]!, cpuKind: 'performance', cpus: 2, memoryMb: 4096 }])).toEqual([]);
    expect(vmMismatches(plan, groups)).toEqual(['group app is shared 1 CPU 256 MB, not performance 2 CPU 4096 MB']);
  });

  it('prices extra memory at $5 per GB per 30 days', () => {
    expect(hourlyPriceUsd({ cpuKind: 'performance', cpus: 1, memoryMb: 4096 })).toBeCloseTo((31 + 2 * 5) / 720, 8);
    expect(hourlyPriceUsd({ cpuKind: 'gpu', cpus: 1, memoryMb: 4096 })).toBeUndefined();
  });
});

it('an app without machines has nothing to resize: said before flyctl runs, not an empty $0 plan', () => {
  expect(() => planVm([], { size: 'performance-2x', memoryMb: undefined, group: undefined })).toThrow(
    'The app has no machines: there is nothing to resize.',
  );
});

it('a group with no machines but in the deployed configuration has nothing to resize; it is not called unknown', () => {
  const worker = () => planVm(groups, { size: 'performance-2x', memoryMb: undefined, group: 'worker' }, ['app', 'worker']);
  expect(worker).toThrow(FailedError);
  expect(worker).toThrow('Process group "worker" has no machines: there is nothing to resize.');
  const typo = () => planVm(groups, { size: 'performance-2x', memoryMb: undefined, group: 'wokrer' }, ['app', 'worker']);
  expect(typo).toThrow(UsageError);
  expect(typo).toThrow('The app has no process group "wokrer".');
});
