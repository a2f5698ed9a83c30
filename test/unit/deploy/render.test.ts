import { describe, expect, it } from 'vitest';
import { renderDeploy } from '../../../src/deploy/render.js';
import { emptyReport } from '../../../src/deploy/report.js';
import { createStyle } from '../../../src/ui/style.js';

describe('renderDeploy', () => {
  // issue 13: "Checks 3/3 passing" next to "(not healthy)" without saying why both hold.
  it('an unhealthy rollout whose checks all pass says why it is unhealthy', () => {
    const report = {
      ...emptyReport('q'),
      outcome: 'unhealthy' as const,
      release: { version: 3, image: null },
      checks: { passing: 3, total: 3 },
      problems: [{ machineId: 'm1', reason: 'is on release v2, not v3' }],
    } as unknown as Parameters<typeof renderDeploy>[0];
    const text = renderDeploy(report, createStyle(false));
    expect(text).toContain('3/3 passing; not healthy because machine m1 is on release v2, not v3');
  });
});
