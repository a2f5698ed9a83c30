import { describe, expect, it } from 'vitest';
import { advance, imageOfLine, interruptedNote, phaseOfLine, type Phase } from '../../../src/deploy/phases.js';

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
    const seen: string[] = [];
    const lines = reorderByStream((line) => seen.push(line), 10);
    lines.push('Watch your deployment at https://fly.io/apps/q/monitoring', 'stdout');
    lines.push('==> Building image', 'stderr');
    lines.push('image: registry.fly.io/q:deployment-1', 'stderr');
    expect(seen).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    lines.push('Visit your newly deployed app at https://q.fly.dev/', 'stdout');
    lines.flush();
    expect(seen).toEqual([
      '==> Building image',
      'image: registry.fly.io/q:deployment-1',
      'Watch your deployment at https://fly.io/apps/q/monitoring',
      'Visit your newly deployed app at https://q.fly.dev/',
    ]);
  });
});
