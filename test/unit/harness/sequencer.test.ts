/** test/sequencer.ts: smoke.slow starts after the other e2e files (so it builds from image.slow's layers), the rest as vitest sorts. */
import { describe, expect, it } from 'vitest';
import { lastInProject } from '../../sequencer.js';

const spec = (project: string, path: string) => ({ moduleId: `/repo/${path}`, project: { name: project } });
const names = (specs: ReadonlyArray<ReturnType<typeof spec>>) => specs.map((s) => `${s.project.name}:${s.moduleId.slice(6)}`);

describe('lastInProject', () => {
  it("moves smoke.slow behind the other e2e files, before the unit files, and keeps everyone else's order", () => {
    const sorted = [
      spec('e2e', 'test/e2e/image.slow.test.ts'),
      spec('e2e', 'test/e2e/smoke.slow.test.ts'),
      spec('e2e', 'test/e2e/deploy.test.ts'),
      spec('e2e', 'test/e2e/detect.test.ts'),
      spec('unit', 'test/unit/a.test.ts'),
      spec('unit', 'test/unit/b.test.ts'),
    ];
    expect(names(lastInProject(sorted))).toEqual([
      'e2e:test/e2e/image.slow.test.ts',
      'e2e:test/e2e/deploy.test.ts',
      'e2e:test/e2e/detect.test.ts',
      'e2e:test/e2e/smoke.slow.test.ts',
      'unit:test/unit/a.test.ts',
      'unit:test/unit/b.test.ts',
    ]);
  });

  it('changes nothing when smoke.slow is not in the run, or is its project alone', () => {
    const without = [spec('e2e', 'test/e2e/deploy.test.ts'), spec('unit', 'test/unit/a.test.ts')];
    expect(lastInProject(without)).toEqual(without);
    const alone = [spec('e2e', 'test/e2e/smoke.slow.test.ts')];
    expect(lastInProject(alone)).toEqual(alone);
  });

  it('matches the whole file name: another file whose name ends the same way stays where it is', () => {
    const sorted = [spec('e2e', 'test/e2e/notsmoke.slow.test.ts'), spec('e2e', 'test/e2e/x.test.ts')];
    expect(lastInProject(sorted)).toEqual(sorted);
  });
});
