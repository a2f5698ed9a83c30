/** The words of a deploy's progress events (the command shows them on a spinner; issue 22 moved them out of the deploy). */
import { expect, test } from 'vitest';
import { phaseText, rolloutText, type PhaseEvent, type RolloutEvent } from '../../../src/deploy/progress.js';

test.each<[PhaseEvent, string]>([
  [{ kind: 'begin', label: '', phase: 'preparing' }, 'Verifying app config'],
  [
    { kind: 'end', label: '', phase: 'building', outcome: 'done', elapsedMs: 61_000, image: 'registry.fly.io/a:deployment-1' },
    'Built image registry.fly.io/a:deployment-1 (1 min 1 s)',
  ],
  [{ kind: 'end', label: 'Rollback to v3: ', phase: 'releasing', outcome: 'done', elapsedMs: 2_000 }, 'Rollback to v3: Released (2.0 s)'],
  [{ kind: 'end', label: '', phase: 'checks', outcome: 'failed', elapsedMs: 5_000 }, 'Waiting for health checks (flyctl) failed (5.0 s)'],
])('phase %o', (event, text) => expect(phaseText(event)).toBe(text));

test.each<[RolloutEvent, string]>([
  [{ kind: 'begin', label: '', release: 4 }, 'Waiting for the machines of v4 to be started with passing checks'],
  [{ kind: 'begin', label: '', release: undefined }, 'Waiting for the machines of v? to be started with passing checks'],
  [
    { kind: 'poll', label: '', release: 4, machines: 2, checks: { passing: 1, total: 2 } },
    'Waiting for v4: 2 machine(s), checks 1/2 passing',
  ],
  [
    { kind: 'ready', label: '', release: 4, machines: 1, regions: ['ams', 'ord'], checks: { passing: 1, total: 1 }, elapsedMs: 3_000 },
    '1 machine of v4 started in ams, ord, checks 1/1 passing (3.0 s)',
  ],
  [
    { kind: 'ready', label: '', release: 4, machines: 2, regions: ['ord'], checks: { passing: 2, total: 2 }, idle: 1, elapsedMs: 3_000 },
    '2 machines of v4 started in ord, checks 2/2 passing; 1 of them idle since, after passing its checks (stopped by autostop, or exited cleanly for the proxy to start again) (3.0 s)',
  ],
  [
    { kind: 'unhealthy', label: 'Rollback to v3: ', elapsedMs: 300_000, problems: 2 },
    'Rollback to v3: Machines not healthy after 5 min: 2 problems',
  ],
])('rollout %o', (event, text) => expect(rolloutText(event)).toBe(text));
