/** [[vm]] memory over what its preset's CPUs can have: the Machines API refuses such a guest at deploy. */
import { expect, test } from 'vitest';
import { validateFiles } from '../../../src/validate/index.js';

const found = (vm: string) =>
  validateFiles({ flyToml: { path: 'fly.toml', text: `app = "api"\n[[vm]]\n${vm}\n` } })
    .filter((f) => f.id === 'vm-memory-too-large')
    .map((f) => [f.line, f.message]);

test('over 2048 MB per shared CPU or 8192 MB per performance CPU', () => {
  expect(found('  size = "shared-cpu-1x"\n  memory = "4gb"')).toEqual([
    [
      4,
      'memory = "4gb" is 4096 MB, more than shared-cpu-1x can have (at most 2048 MB: 2048 MB per shared CPU); the Machines API refuses the machine at deploy.',
    ],
  ]);
  expect(found('  size = "performance-2x"\n  memory_mb = 20480')).toEqual([
    [
      4,
      'memory_mb = 20480 is 20480 MB, more than performance-2x can have (at most 16384 MB: 8192 MB per performance CPU); the Machines API refuses the machine at deploy.',
    ],
  ]);
});

test('memory_mb is read over memory, as flyctl does; [compute] and [[computes]] are [[vm]] too', () => {
  expect(found('  size = "shared-cpu-1x"\n  memory = "1gb"\n  memory_mb = 4096')).toEqual([
    [5, expect.stringContaining('memory_mb = 4096')],
  ]);
  expect(found('  size = "shared-cpu-1x"\n  memory = "4gb"\n  memory_mb = 1024')).toEqual([]);
  const compute = validateFiles({
    flyToml: { path: 'fly.toml', text: 'app = "api"\n[[compute]]\n  size = "shared-cpu-1x"\n  memory = "4gb"\n' },
  });
  expect(compute.filter((f) => f.id === 'vm-memory-too-large').map((f) => f.line)).toEqual([4]);
});

test('the fix names the way up for the kind of CPU', () => {
  const fixOf = (vm: string) =>
    validateFiles({ flyToml: { path: 'fly.toml', text: `app = "api"\n[[vm]]\n${vm}\n` } }).find((f) => f.id === 'vm-memory-too-large')?.fix;
  expect(fixOf('  size = "shared-cpu-1x"\n  memory = "4gb"')).toBe(
    'Use at most 2048 MB, or a larger size (more shared CPUs, or performance-Nx with up to 8192 MB per CPU).',
  );
  expect(fixOf('  size = "performance-1x"\n  memory = "16gb"')).toBe('Use at most 8192 MB, or a larger size (more performance CPUs).');
});

test('within the limit, or CPUs the [[vm]] sets itself, is not this rule', () => {
  expect(found('  size = "shared-cpu-1x"\n  memory = "2gb"')).toEqual([]);
  expect(found('  size = "performance-8x"\n  memory = "64gb"')).toEqual([]);
  expect(found('  size = "shared-cpu-1x"\n  cpus = 4\n  memory = "4gb"')).toEqual([]);
  expect(found('  size = "shared-cpu-1x"\n  cpu_kind = "performance"\n  memory = "4gb"')).toEqual([]);
  // a GPU on the [[vm]] is fly-gpu-retired's
  expect(found('  size = "shared-cpu-1x"\n  gpu_kind = "l40s"\n  memory = "4gb"')).toEqual([]);
});
