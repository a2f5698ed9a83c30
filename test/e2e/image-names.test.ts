/**
 * Image names from outside pass the one reference check (shared/image-ref.ts) before flyctl sees them:
 * deploy --image, fly.toml's [build] image (validate and deploy's preflight), and the previous
 * release's image that --rollback deploys again.
 */
import { describe, expect, it } from 'vitest';
import type { DeployReport } from '../../src/deploy/report.js';
import { flyState } from '../fakes/flyctl/seed.mjs';
import { deployedWorld, FLY_TOML } from './fly-world.js';

describe('image names', () => {
  it('deploy --image that is not a reference is bad input (exit 2); flyctl never sees it', async () => {
    const w = await deployedWorld();
    for (const image of ['--config=/etc/passwd', 'My-App:latest', 'app name']) {
      const run = await w.gpuctl(['deploy', `--image=${image}`, '--dry-run']);
      expect(run.exitCode, run.stderr).toBe(2);
      expect(run.stderr).toContain(`--image ${JSON.stringify(image)} is not a container image reference`);
      expect(run.stdout).not.toContain('flyctl deploy');
    }
    const good = await w.gpuctl(['deploy', '--image=registry.fly.io/quant-signals:v7', '--dry-run']);
    expect(good.exitCode, good.stderr).toBe(0);
    expect(good.stdout).toContain('--image=registry.fly.io/quant-signals:v7');
  });

  it("fly.toml's [build] image that is not a reference stops the preflight at its line", async () => {
    const toml = `${FLY_TOML}\n[build]\n  image = "--help"\n`;
    const w = await deployedWorld(toml);
    const line = toml.split('\n').indexOf('  image = "--help"') + 1;
    const run = await w.gpuctl(['deploy', '--dry-run']);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toContain(`fly.toml:${line}: [build] image = "--help" is not a container image reference`);
    const validate = await w.gpuctl(['validate', '--json']);
    expect(validate.exitCode).toBe(1);
    expect((JSON.parse(validate.stdout) as { findings: unknown[] }).findings).toContainEqual(
      expect.objectContaining({ id: 'build-image-invalid', line }),
    );
  });

  it('--rollback does not deploy a previous image that is not a reference', async () => {
    const w = await deployedWorld();
    flyState(w.state).update((s: { apps: Record<string, { releases: Array<{ imageRef: string }> }> }) => {
      for (const r of s.apps['quant-signals']!.releases) r.imageRef = '--config=/tmp/evil.toml';
    });
    const run = await w.gpuctl(['deploy', '--rollback', '--json', '--wait-timeout', '5s'], { FAKE_FLYCTL_FAULT: 'unhealthy' });
    expect(run.exitCode).toBe(1);
    const r = JSON.parse(run.stdout) as DeployReport;
    expect(r.rollback).toBeNull();
    expect(r.commands.join('\n')).not.toContain('evil');
    expect(run.stderr).toContain('Not rolling back: v1\'s image "--config=/tmp/evil.toml" is not an image reference');
  });
});
