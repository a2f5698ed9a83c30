/**
 * The order test files start in: vitest's own (files that failed first, then the longest, or the largest when
 * it has no timings, as on a clean CI clone), except smoke.slow, which starts after every other e2e file (the
 * unit files still run beside it). It builds the same CPU inference layout image.slow builds first, from the
 * same inputs; started at the same time, both built it cold (~2 min of package downloads and installs each on
 * 2 cores, and the stand-ins made under one lock while the other worker waited). After, its builds come from the
 * layers image.slow leaves (rmi --no-prune).
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Files that start after the rest of their project. */
export const LAST = ['test/e2e/smoke.slow.test.ts'];

/** SORTED with each LAST file moved behind the other files of its project, keeping every other position. */
export function lastInProject<T extends { moduleId: string; project: { name: string } }>(sorted: readonly T[]): T[] {
  const isLast = (spec: T) => LAST.some((path) => spec.moduleId.endsWith(`/${path}`));
  const order = sorted.filter((spec) => !isLast(spec));
  for (const spec of sorted.filter(isLast)) {
    const after = order.findLastIndex((other) => other.project.name === spec.project.name);
    order.splice(after + 1, 0, spec);
  }
  return order;
}

export default class Sequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return lastInProject(await super.sort(files));
  }
}
