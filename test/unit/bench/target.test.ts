/** --gpus against the GPUs nvidia-smi lists (bench/target.ts resolveGpus; bench and diag). */
import { expect, it } from 'vitest';
import { resolveGpus } from '../../../src/bench/target.js';
import type { DetectedGpu } from '../../../src/detect/detect.js';

const gpus = (...indices: number[]) => indices.map((index) => ({ index }) as DetectedGpu);

it('"all" is every index; a list is kept as given', () => {
  expect(resolveGpus('all', gpus(0, 1))).toEqual([0, 1]);
  expect(resolveGpus([1], gpus(0, 1))).toEqual([1]);
});

it('an index the host lacks names the GPUs it has as GPUs: "this host has 0" read as a count of none', () => {
  expect(() => resolveGpus([3], gpus(0))).toThrow('--gpus 3: no such GPU (this host has GPU 0).');
  expect(() => resolveGpus([5, 6], gpus(0, 1))).toThrow('--gpus 5,6: no such GPU (this host has GPUs 0, 1).');
  expect(() => resolveGpus([0], gpus())).toThrow('--gpus 0: no such GPU (this host has no GPU).');
});
