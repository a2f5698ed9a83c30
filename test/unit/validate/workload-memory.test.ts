/** memory-below-workload: a [[vm]] smaller than the profile GPUCTL_WORKLOAD names (src/shared/profiles.ts) needs. */
import { expect, test } from 'vitest';
import { validateFiles } from '../../../src/validate/index.js';

const found = (workload: string, vm: string) =>
  validateFiles({ flyToml: { path: 'fly.toml', text: `app = "api"\n[env]\n  GPUCTL_WORKLOAD = "${workload}"\n[[vm]]\n${vm}\n` } })
    .filter((f) => f.id === 'memory-below-workload')
    .map((f) => f.message);

test('a machine under the declared profile minimum is flagged with what the profile needs', () => {
  expect(found('training', '  size = "performance-1x"')).toEqual([
    'This [[vm]] gets 2048 MB; the training profile needs at least 16384 MB.',
  ]);
  expect(found('training', '  size = "performance-2x"\n  memory = "16gb"')).toEqual([]);
});

test('a GPUCTL_WORKLOAD that names no profile is not judged (and does not break validate)', () => {
  expect(found('inferance', '  size = "shared-cpu-1x"')).toEqual([]);
});
