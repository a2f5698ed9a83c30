import { describe, expect, it } from 'vitest';
import type { CountPlan } from '../../src/scale/plan-count.js';
import type { ScaleResult } from '../../src/scale/run.js';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { deployedWorld, expectNoToken, FLY_TOML } from './fly-world.js';

const scaleShow = async (w: Awaited<ReturnType<typeof deployedWorld>>) =>
  JSON.parse((await w.flyctl(['scale', 'show', '--app', 'quant-signals', '--json'])).stdout) as Array<{
    Count: number;
    Regions: Record<string, number>;
    CPUs: number;
  }>;

describe('gpuctl scale', () => {
  it('show: groups, sizes, regions and hourly cost', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['scale', 'show']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/app +2 +performance-2x +ord\(2\) +\$0\.1722/);
    expect(run.stdout).toContain('Total $0.1722/h (~$124.00/30 days)');
    expectNoToken(run);
  });

  it('count: the plan first; --yes required when not interactive; --dry-run changes nothing', async () => {
    const w = await deployedWorld();
    const refused = await w.gpuctl(['scale', 'count', '4', '--region', 'ord,iad']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stdout).toContain('+1 machine in ord (performance-2x)');
    expect(refused.stdout).toContain('+1 machine in iad (performance-2x)');
    expect(refused.stderr).toContain('pass --yes to confirm');
    const dry = await w.gpuctl(['scale', 'count', '4', '--region', 'ord,iad', '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain('Dry run: would run flyctl scale count 4 --app=quant-signals --region=ord,iad --process-group=app --yes');
    expect((await scaleShow(w))[0]?.Count).toBe(2);
  });

  it('count down: the cost after counts the machines removed (2 → 1 halves it), in the plan and in --json', async () => {
    const w = await deployedWorld();
    const json = await w.gpuctl(['scale', 'count', '1', '--dry-run', '--json']);
    expect(json.exitCode, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as ScaleResult<CountPlan>;
    expect(result.cost.hourlyBefore).toBeCloseTo((2 * 62) / 720, 6);
    expect(result.cost.hourlyAfter).toBeCloseTo(62 / 720, 6);
    const text = await w.gpuctl(['scale', 'count', '1', '--dry-run']);
    expect(text.stdout).toContain('$0.1722/h (~$124.00/30 days) → $0.0861/h (~$62.00/30 days)');
    expect((await scaleShow(w))[0]?.Count).toBe(2);
  });

  it('count --yes: runs flyctl and verifies the regions with scale show', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['scale', 'count', '4', '--region', 'ord,iad', '--max-per-region', '2', '--yes', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as ScaleResult<CountPlan>;
    expect(result).toMatchObject({ applied: true, verified: { ok: true, problems: [] }, plan: { after: { ord: 2, iad: 2 } } });
    expect(result.cost.hourlyAfter).toBeCloseTo((4 * 62) / 720, 6);
    expect((await scaleShow(w))[0]?.Regions).toEqual({ iad: 2, ord: 2 });
  });

  it('count with --region elsewhere warns that the other machines stay', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['scale', 'count', '1', '--region', 'sjc', '--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('Note: --region leaves ord(2) alone; the group will have 3 machines, not 1.');
    expect((await scaleShow(w))[0]?.Regions).toEqual({ ord: 2, sjc: 1 });
  });

  // flyctl refuses an unknown group only when it runs ("Attempting to scale unknown process groups"): gpuctl refuses it
  // before the plan, in a dry run as in the real one, and runs no flyctl scale count.
  it('count: a group the app does not have is a usage error naming its groups, dry run or not', async () => {
    const w = await deployedWorld();
    for (const extra of [['--dry-run'], ['--yes']]) {
      const run = await w.gpuctl(['scale', 'count', '2', '-g', 'wokrer', ...extra]);
      expect(run.exitCode, run.stdout).toBe(2);
      expect(run.stdout).not.toContain('Plan for');
      expect(run.stderr).toContain('The app has no process group "wokrer".');
      expect(run.stderr).toContain('Groups: app.');
    }
    expect((await scaleShow(w))[0]?.Count).toBe(2);
  });

  // The groups flyctl accepts are the deployed configuration's, machines or not: gpuctl reads them with `flyctl config
  // show`, so a group scaled to zero scales up again from anywhere (it was refused without this app's fly.toml at hand,
  // while flyctl ran it), and a typo is refused there too, naming the deployed groups.
  it('count: a group scaled to zero is still known (the deployed config), without fly.toml in the directory', async () => {
    const toml = FLY_TOML.replace(
      'primary_region = "ord"\n',
      'primary_region = "ord"\n\n[processes]\n  app = "python app.py"\n  worker = "python worker.py"\n',
    );
    const w = await deployedWorld(toml);
    const down = await w.flyctl(['scale', 'count', '0', '--process-group', 'worker', '--app', 'quant-signals', '--yes']);
    expect(down.exitCode, down.stderr).toBe(0);
    rmSync(join(w.dir, 'fly.toml'));
    // scale vm has nothing to resize there, and says so rather than calling the group unknown.
    const vm = await w.gpuctl(['scale', 'vm', 'performance-2x', '-g', 'worker', '-a', 'quant-signals', '--yes']);
    expect(vm.exitCode).toBe(1);
    expect(vm.stderr).toContain('Process group "worker" has no machines: there is nothing to resize.');
    const up = await w.gpuctl(['scale', 'count', '1', '-g', 'worker', '-a', 'quant-signals', '--yes']);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stdout).toContain('+1 machine in ord');
    const typo = await w.gpuctl(['scale', 'count', '1', '-g', 'wokrer', '-a', 'quant-signals', '--dry-run']);
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain('The app has no process group "wokrer".');
    expect(typo.stderr).toContain('Groups: app, worker.');
  });

  it('count with nothing to do names the machines in the regions asked for, not the whole group', async () => {
    const w = await deployedWorld();
    const added = await w.flyctl(['scale', 'count', '3', '--app', 'quant-signals', '--region', 'iad', '--yes']);
    expect(added.exitCode, added.stderr).toBe(0);
    const run = await w.gpuctl(['scale', 'count', '3', '--region', 'iad', '--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain('quant-signals already has 3 machine(s) of group app in iad: nothing to do.');
    expect((await scaleShow(w))[0]?.Regions).toEqual({ iad: 3, ord: 2 });
  });

  // flyctl's scale count puts machines in primary_region when the app has none and no --region is given.
  it("count back up from zero machines goes to fly.toml's primary_region, as flyctl's does", async () => {
    const w = await deployedWorld();
    expect((await w.gpuctl(['scale', 'count', '0', '--yes'])).exitCode).toBe(0);
    const run = await w.gpuctl(['scale', 'count', '1', '--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('+1 machine in ord (default size)');
    expect((await scaleShow(w))[0]?.Regions).toEqual({ ord: 1 });
  });

  it('count: capacity is a clear error that says the machines may be half-scaled', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['scale', 'count', '3', '--yes'], { FAKE_FLYCTL_FAULT: 'capacity', FAKE_FLYCTL_FAULT_ON: 'scale count' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('Fly.io has no capacity for this machine');
  });

  it('vm: GPU sizes are refused with the retirement message, before flyctl runs', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['scale', 'vm', 'a100-80gb', '--yes']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('Fly.io retired GPU Machines on 2026-08-01');
    expect(run.stderr).toContain('gpuctl scale vm performance-8x --memory 32768');
    expect((await scaleShow(w))[0]?.CPUs).toBe(2);
  });

  it('vm: plans the cost, changes the size and verifies it', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['scale', 'vm', 'performance-8x', '--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/app +2 +performance-2x +performance-8x/);
    expect(run.stdout).toContain('$0.1722/h (~$124.00/30 days) → $0.6889/h (~$496.00/30 days)');
    expect((await scaleShow(w))[0]?.CPUs).toBe(8);
  });

  it('vm: an unknown size is a usage error listing the sizes', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['scale', 'vm', 'dedicated-cpu-1x', '--yes']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Sizes: shared-cpu-1x');
  });
});
