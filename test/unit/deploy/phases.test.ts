import { describe, expect, it } from 'vitest';
import { advance, imageOfLine, interruptedNote, phaseOfLine, type Phase } from '../../../src/deploy/phases.js';
import { fakeClock } from '../../helpers/clock.js';

describe('flyctl deploy output → phases', () => {
  const lines: Array<[string, Phase | undefined]> = [
    ['==> Verifying app config', undefined],
    ['==> Building image', 'building'],
    ['Waiting for depot builder...', 'building'],
    ['==> Pushing image to fly', 'pushing'],
    ['image: registry.fly.io/q:deployment-01J', undefined],
    ['Watch your deployment at https://fly.io/apps/q/monitoring', 'releasing'],
    ["Updating existing machines in 'q' with rolling strategy", 'releasing'],
    ['Running q release_command: python migrate.py', 'releasing'],
    ['  > [1/2] Waiting for 1a7b92c21388e0 [app] to become healthy: 1/1', 'checks'],
    ['✔ Machine 9080524f610e87 is now in a good state', 'checks'],
    ['Visit your newly deployed app at https://q.fly.dev/', 'done'],
    ['Provisioning ips for q', undefined],
  ];
  it.each(lines)('%s → %s', (line, phase) => {
    expect(phaseOfLine(line)).toBe(phase);
  });

  it('only moves forward', () => {
    let phase: Phase = 'preparing';
    for (const line of [
      '==> Building image',
      'Watch your deployment at x',
      'Waiting for m to become healthy',
      '  > [2/2] Updating b80 [app]',
    ])
      phase = advance(phase, line);
    expect(phase).toBe('checks');
  });

  it('reads the image', () => {
    expect(imageOfLine('image: registry.fly.io/q:deployment-01J')).toBe('registry.fly.io/q:deployment-01J');
    expect(imageOfLine('image size: 48 MB')).toBeUndefined();
  });

  it('says what an interruption may have left', () => {
    expect(interruptedNote('building', 'q', 7)).toBe('No release had started: q should still run v7. Check with `gpuctl status -a q`.');
    expect(interruptedNote('checks', 'q', 7)).toContain('some may run the new release and others v7');
  });
});

describe('reorderByStream', () => {
  it('puts stderr lines (the build) before stdout lines (the release) that arrived in the same window', async () => {
    const { reorderByStream } = await import('../../../src/deploy/stream.js');
    const clock = fakeClock();
    const seen: string[] = [];
    const lines = reorderByStream((line) => seen.push(line), clock, 10);
    lines.push('Watch your deployment at https://fly.io/apps/q/monitoring', 'stdout');
    lines.push('==> Building image', 'stderr');
    lines.push('image: registry.fly.io/q:deployment-1', 'stderr');
    // The window is the clock's: nothing is let out before it has passed, and all of it when it has.
    await clock.advance(9);
    expect(seen).toEqual([]);
    await clock.advance(1);
    expect(seen).toEqual([
      '==> Building image',
      'image: registry.fly.io/q:deployment-1',
      'Watch your deployment at https://fly.io/apps/q/monitoring',
    ]);
    lines.push('Visit your newly deployed app at https://q.fly.dev/', 'stdout');
    lines.flush();
    expect(seen.at(-1)).toBe('Visit your newly deployed app at https://q.fly.dev/');
    expect(clock.pending()).toBe(0);
  });
});

describe('streamDeploy times each phase and the whole deploy on the context clock', () => {
  it("says how long each phase took, as the clock saw it, and the deploy's duration", async () => {
    const { streamDeploy } = await import('../../../src/deploy/stream.js');
    const { makeTestCtx } = await import('../../helpers/ctx.js');
    const clock = fakeClock();
    const ctx = makeTestCtx({ clock });
    // flyctl as the client hands it on: a line, then time passing (the reorder window included), then the next.
    const fly = {
      show: (args: readonly string[]) => `flyctl ${args.join(' ')}`,
      deploy: async (_input: unknown, options: { onLine?: (line: string, stream: 'stdout' | 'stderr') => void }) => {
        options.onLine?.('==> Building image', 'stderr');
        await clock.advance(12_000);
        options.onLine?.('image: registry.fly.io/q:deployment-1', 'stderr');
        options.onLine?.('==> Pushing image to fly', 'stderr');
        await clock.advance(3_000);
        options.onLine?.('Watch your deployment at https://fly.io/apps/q/monitoring', 'stdout');
        await clock.advance(65_000);
      },
    } as unknown as Parameters<typeof streamDeploy>[1];
    const { phaseText } = await import('../../../src/deploy/progress.js');
    // The deploy emits each phase's end (issue 22, the screen); the command shows its words on the spinner.
    const ended: string[] = [];
    const onPhase = (e: Parameters<typeof phaseText>[0]) => void (e.kind === 'end' && e.outcome === 'done' && ended.push(phaseText(e)));
    const done = await streamDeploy(
      ctx,
      fly,
      { app: 'q', config: 'fly.toml' },
      { timeoutMs: 600_000, log: [], previousVersion: 6, onPhase },
    );
    expect(done).toMatchObject({ error: undefined, phase: 'releasing', image: 'registry.fly.io/q:deployment-1', durationMs: 80_000 });
    expect(ended).toEqual([
      'Verified app config (50 ms)',
      'Built image (12.0 s)',
      'Pushed image registry.fly.io/q:deployment-1 (3.0 s)',
      'Released (1 min 5 s)',
    ]);
    expect(ctx.err()).toBe(''); // the deploy itself writes nothing
  });

  it('Ctrl-C ends the phase quietly, not as failed (a CI log showed "✗ Verifying app config failed" above "Interrupted")', async () => {
    const { streamDeploy } = await import('../../../src/deploy/stream.js');
    const { makeTestCtx } = await import('../../helpers/ctx.js');
    const { InterruptedError } = await import('../../../src/errors.js');
    const ctx = makeTestCtx({ clock: fakeClock() });
    const fly = {
      show: (args: readonly string[]) => `flyctl ${args.join(' ')}`,
      deploy: () => Promise.reject(new InterruptedError('Interrupted while `flyctl deploy` was running.')),
    } as unknown as Parameters<typeof streamDeploy>[1];
    const { phaseText } = await import('../../../src/deploy/progress.js');
    const ends: string[] = [];
    const onPhase = (e: Parameters<typeof phaseText>[0]) => void (e.kind === 'end' && ends.push(`${e.outcome}: ${phaseText(e)}`));
    const run = streamDeploy(ctx, fly, { app: 'q', config: 'fly.toml' }, { timeoutMs: 600_000, log: [], previousVersion: 6, onPhase });
    await expect(run).rejects.toThrow(/^Interrupted during `flyctl deploy` \(verifying app config\)\. No release had started/);
    expect(ends).toEqual(['quiet: Verified app config (0 ms)']);
  });
});
