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
    [4, expect.stringContaining('more than performance-2x can have (at most 16384 MB')],
  ]);
});

test('within the limit, or CPUs the [[vm]] sets itself, is not this rule', () => {
  expect(found('  size = "shared-cpu-1x"\n  memory = "2gb"')).toEqual([]);
  expect(found('  size = "performance-8x"\n  memory = "64gb"')).toEqual([]);
  expect(found('  size = "shared-cpu-1x"\n  cpus = 4\n  memory = "4gb"')).toEqual([]);
});
