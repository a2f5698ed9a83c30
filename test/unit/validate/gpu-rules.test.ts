/**
 * The retired-GPU gate in validate (fly-gpu-retired and the kind, gpus, size and volume findings beside it) and the
 * memory a [[vm]] gets as the workload rule reads it.
 */
import { expect, test } from 'vitest';
import { validateFiles } from '../../../src/validate/index.js';
import { vmMemoryMb } from '../../../src/validate/fly-gpu-rules.js';

const check = (vm: string, env = '', options = {}) =>
  validateFiles({ flyToml: { path: 'fly.toml', text: `app = "api"\n${env}[[vm]]\n${vm}\n` } }, options);
const ids = (vm: string) =>
  check(vm)
    .map((f) => f.id)
    .filter((id) => /gpu|size-unknown/.test(id));
const one = (vm: string, id: string) => check(vm).find((f) => f.id === id);

test('a GPU kind Fly offered is only retired; a preset name as gpu_kind, or no kind Fly had, is said as well', () => {
  expect(ids('  gpu_kind = "l40s"')).toEqual(['fly-gpu-retired', 'gpu-without-volume']);
  expect(one('  gpu_kind = "l40s"', 'fly-gpu-retired')?.line).toBe(3);
  expect(one('  gpu_kind = "l40s"', 'fly-gpu-retired')?.message).toContain('(gpu_kind "l40s")');
  // the kind as written, not the one it stands for
  expect(one('  gpu_kind = "a100-80gb"', 'fly-gpu-retired')?.message).toContain('(gpu_kind "a100-80gb")');
  expect(ids('  gpu_kind = "h100"')).toEqual(['fly-gpu-retired', 'gpu-without-volume', 'gpu-kind-unknown']);
});

test("a GPU size preset is retired under its kind's name, and is not an unknown size", () => {
  expect(ids('  size = "a10"')).toEqual(['fly-gpu-retired', 'gpu-without-volume']);
  expect(one('  size = "a10"', 'fly-gpu-retired')?.message).toContain('(gpu_kind "a10")');
  expect(ids('  size = "a10"\n  gpus = 2')).toEqual(['fly-gpu-retired', 'gpu-without-volume']);
  expect(ids('  size = "huge-cpu"')).toEqual(['vm-size-unknown']);
});

test('gpus without a kind: a GPU guest all the same (at the gpus line, no kind named); gpus = 0 is only a stray key', () => {
  const retired = one('  size = "performance-8x"\n  gpus = 1', 'fly-gpu-retired');
  expect(retired).toMatchObject({ line: 4 });
  expect(retired?.message).not.toContain('gpu_kind "');
  expect(one('  size = "performance-8x"\n  gpus = 1', 'gpus-without-gpu-kind')?.fix).toBe(
    'Correcting it would not deploy it: Fly.io runs no GPU guest (fly-gpu-retired has the CPU layout). Remove gpus (the CPU layout has none).',
  );
  expect(ids('  size = "performance-8x"\n  gpus = 0')).toEqual(['gpus-without-gpu-kind']);
  expect(one('  size = "performance-8x"\n  gpus = 0', 'gpus-without-gpu-kind')?.fix).toBe('Remove gpus.');
});

const memoryFindings = (vm: string, workload = 'training') =>
  check(vm, `[env]\n  GPUCTL_WORKLOAD = "${workload}"\n`).filter((f) => f.id === 'memory-below-workload');

test("the memory a [[vm]] gets: memory_mb over memory, a GPU preset its kind's, gpu_kind alone performance-8x's", () => {
  expect(vmMemoryMb({ path: [], processes: [], size: 'performance-1x', memory: '32gb', memoryMb: 2048 })).toBe(2048);
  expect(vmMemoryMb({ path: [], processes: [], size: 'a100-40gb' })).toBe(32_768);
  expect(vmMemoryMb({ path: [], processes: [], gpuKind: 'l40s' })).toBe(16_384);
  expect(vmMemoryMb({ path: [], processes: [] })).toBe(256);
  // a preset name as gpu_kind on a GPU preset still reads its kind's memory (it does not break validate)
  expect(memoryFindings('  size = "a100-40gb"\n  gpu_kind = "a100-40gb"')).toEqual([]);
  expect(memoryFindings('  gpu_kind = "l40s"')).toEqual([]);
});

test('memory-below-workload: at the memory line, with the memory to set; no [[vm]] is shared-cpu-1x', () => {
  expect(memoryFindings('  size = "performance-1x"\n  memory = "4gb"').map((f) => [f.line, f.message, f.fix])).toEqual([
    [
      6,
      'This [[vm]] gets 4096 MB; the training profile needs at least 16384 MB.',
      "Set memory = '16gb' in [[vm]] (or choose a larger size).",
    ],
  ]);
  const bare = validateFiles({ flyToml: { path: 'fly.toml', text: 'app = "api"\n[env]\n  GPUCTL_WORKLOAD = "training"\n' } });
  expect(bare.filter((f) => f.id === 'memory-below-workload').map((f) => f.message)).toEqual([
    'fly.toml sizes no machine, so new ones get shared-cpu-1x with 256 MB; the training profile needs at least 16384 MB.',
  ]);
  // fly.toml's GPUCTL_WORKLOAD wins over --workload
  const declared = check('  size = "performance-2x"', '[env]\n  GPUCTL_WORKLOAD = "training"\n', { workload: 'inference' });
  expect(declared.filter((f) => f.id === 'memory-below-workload').map((f) => f.message)).toEqual([
    'This [[vm]] gets 4096 MB; the training profile needs at least 16384 MB.',
  ]);
});
