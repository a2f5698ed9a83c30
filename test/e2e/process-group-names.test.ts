/**
 * Process group names follow flyctl's rule (src/flyio/app-name.ts): any non-empty name, since flyctl has
 * none of its own; flyctl, given `--process-group=NAME`, says whether the app has that group.
 */
import { describe, expect, it } from 'vitest';
import { scaleCountArgs } from '../../src/flyio/args.js';
import { deployedWorld, FLY_TOML } from './fly-world.js';

const WITH_GROUPS = FLY_TOML.replace(
  '[http_service]',
  '[processes]\n  "web.v2" = "python3 -m app"\n  worker = "python3 -m worker"\n\n[http_service]\n  processes = ["web.v2"]',
);

describe('process group names', () => {
  it('a group flyctl accepts (web.v2, a quoted [processes] key) is scaled, not refused', async () => {
    const w = await deployedWorld(WITH_GROUPS);
    const run = await w.gpuctl(['scale', 'count', '3', '--group=web.v2', '--dry-run']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('flyctl scale count 3 --app=quant-signals --region=ord --process-group=web.v2 --yes');
    const applied = await w.gpuctl(['scale', 'count', '2', '--group=web.v2', '--yes', '--json']);
    expect(applied.exitCode, applied.stderr).toBe(0);
  });

  it('a name that is a flag is only ever the value of --process-group: gpuctl refuses the unknown group first, as flyctl would', async () => {
    expect(scaleCountArgs({ app: 'a', count: 1, regions: [], group: '--help' })).toEqual([
      'scale',
      'count',
      '1',
      '--app=a',
      '--process-group=--help',
      '--yes',
    ]);
    const w = await deployedWorld(WITH_GROUPS);
    const run = await w.gpuctl(['scale', 'count', '2', '--group=--help', '--yes']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('The app has no process group "--help".');
    expect(run.stderr).toContain('Groups: web.v2, worker.');
    const fly = await w.flyctl(scaleCountArgs({ app: 'quant-signals', count: 2, regions: [], group: '--help' }));
    expect(fly.exitCode).toBe(1);
    expect(fly.stderr).toContain('Attempting to scale unknown process groups [--help] but valid names are [web.v2 worker]');
  });

  it('an empty group is bad input (exit 2)', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['scale', 'count', '2', '--group=', '--yes']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--group is empty');
  });
});
