import { describe, expect, it } from 'vitest';
import { seedFlyState } from '../fakes/flyctl/seed.mjs';
import type { HealthJson } from '../../src/health/assess.js';
import { world } from './fly-world.js';

/** An app left from before the GPU retirement: an A100 machine in ord, a CPU machine stopped in iad. */
function legacyApp() {
  const seeded = seedFlyState({
    apps: [
      {
        name: 'quant-signals',
        releases: 3,
        machines: [
          { region: 'ord', size: 'a100-40gb', internalPort: 8080 },
          { region: 'iad', size: 'performance-8x', internalPort: 8080, state: 'stopped', checks: 'critical' },
        ],
      },
    ],
  });
  return world(undefined, seeded.dir);
}

describe('status, health and scale on a seeded legacy GPU app', () => {
  it('status shows the GPU guest and the machine autostop stopped, as health reads it', async () => {
    const w = legacyApp();
    const run = await w.gpuctl(['status']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ord +started +app +performance-8x 32768 MB \+ a100-pcie-40gb/);
    expect(run.stdout).toMatch(/iad +stopped \(autostop\) +app +performance-8x/);
  });

  it('health: the iad machine was stopped by autostop (the seeded services stop idle machines): idle, not a failure', async () => {
    const w = legacyApp();
    const run = await w.gpuctl(['health', '--no-probe', '--json']);
    expect(run.exitCode, run.stdout).toBe(0);
    const health = JSON.parse(run.stdout) as HealthJson;
    expect(health.machines.find((m) => m.region === 'iad')).toMatchObject({ state: 'stopped', atRest: 'autostop', healthy: true });
    expect(health.machines.find((m) => m.region === 'ord')).toMatchObject({ state: 'started', atRest: null, healthy: true });
    // --require-started: the old, strict reading names it (a stopped machine runs no checks).
    const strict = await w.gpuctl(['health', '--no-probe', '--json', '--require-started']);
    expect(strict.exitCode).toBe(1);
    expect((JSON.parse(strict.stdout) as HealthJson).reasons).toEqual([expect.stringMatching(/^machine \w+ \(iad\) is stopped$/)]);
  });

  it('scale show sizes and prices every machine of a group: a GPU guest and a CPU one, not twice the first without its GPU', async () => {
    const w = legacyApp();
    const run = await w.gpuctl(['scale', 'show']);
    expect(run.exitCode, run.stderr).toBe(0);
    // the A100 machine's CPU and memory plus the A100 40G's $2.50/h list price, and the other machine's own size; before, twice the
    // first machine's CPU guest without its GPU
    expect(run.stdout).toMatch(/app +2 +performance-8x 32768 MB \+ a100-pcie-40gb, performance-8x +iad\(1\),ord\(1\) +\$3\.30/);
    const json = JSON.parse((await w.gpuctl(['scale', 'show', '--json'])).stdout) as { groups: Array<{ hourlyUsd: number }> };
    expect(json.groups[0]?.hourlyUsd).toBeCloseTo(3.3, 6);
  });

  it('scale show prices a group of mixed sizes by its machines', async () => {
    const seeded = seedFlyState({
      apps: [
        {
          name: 'quant-signals',
          machines: [
            { region: 'ord', size: 'performance-2x', internalPort: 8080 },
            { region: 'iad', size: 'shared-cpu-1x', internalPort: 8080 },
          ],
        },
      ],
    });
    const run = await world(undefined, seeded.dir).gpuctl(['scale', 'show']);
    expect(run.exitCode, run.stderr).toBe(0);
    // $62 and $1.94 a month (720 h): 0.0861 + 0.0027, where flyctl's first machine alone said 2 × performance-2x = $0.1722
    expect(run.stdout).toMatch(/app +2 +performance-2x, shared-cpu-1x +iad\(1\),ord\(1\) +\$0\.0888/);
  });

  it('scale count refuses to clone the GPU guest; scale vm moves it to the CPU layout', async () => {
    const w = legacyApp();
    const more = await w.gpuctl(['scale', 'count', '3', '--yes']);
    expect(more.exitCode).toBe(1);
    expect(more.stderr).toContain('would copy its GPU guest (a100-pcie-40gb)');
    expect(more.stderr).toContain('gpuctl scale vm performance-8x --memory 32768 --group app');
  });
});
