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

  it('a problem of the app, not of one machine, is said without a machine id (was "- (-): the app has no machines")', () => {
    const report = {
      ...emptyReport('q'),
      outcome: 'unhealthy' as const,
      problems: [{ machineId: '-', region: '-', reason: 'the app has no machines' }],
    } as unknown as Parameters<typeof renderDeploy>[0];
    expect(renderDeploy(report, createStyle(false))).toContain('\nProblems:\n  the app has no machines\n');
  });

  it("a machine Fly's proxy stopped after it passed reads 'stopped (autostop)' and the summary says why it counts", () => {
    const machine = { id: 'm1', region: 'ord', processGroup: 'app', release: 3, checks: { passing: 1, total: 1 } };
    const report = {
      ...emptyReport('q'),
      ok: true,
      outcome: 'deployed' as const,
      release: { version: 3, image: null },
      machines: [
        { ...machine, state: 'stopped', atRest: 'autostop' as const },
        { ...machine, id: 'm2', state: 'started', atRest: null },
      ],
      regions: ['ord'],
    };
    const text = renderDeploy(report, createStyle(false));
    expect(text).toContain(
      '2 in ord (1 idle since, after passing its checks: stopped by autostop, or exited cleanly for the proxy to start again)',
    );
    expect(text).toMatch(/m1 +ord +app +stopped \(autostop\) +v3/);
    expect(text).toMatch(/m2 +ord +app +started +v3/);
  });
});
