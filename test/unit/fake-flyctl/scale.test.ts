// scale show / count / vm against seeded apps (flyio-facts.md §2.4, §2.11).
import { describe, expect, it } from 'vitest';
import { seedFlyState } from '../../fakes/flyctl/seed.mjs';
import { errorLine, fly, json } from './helpers.js';

const seed = () =>
  seedFlyState({
    apps: [
      {
        name: 'svc',
        config: { app: 'svc', primary_region: 'ord', processes: { app: 'serve', worker: 'work' } },
        machines: [
          { region: 'ord', size: 'performance-2x', internalPort: 8000 },
          { region: 'ord', size: 'performance-2x', internalPort: 8000 },
          { region: 'iad', size: 'performance-2x', internalPort: 8000 },
          { group: 'worker', region: 'ord', size: 'shared-cpu-2x' },
        ],
      },
    ],
  });

describe('scale show', () => {
  it('prints groups sorted by name with the first machine guest and region counts', async () => {
    const fake = seed();
    const run = await fly(['scale', 'show', '--json', '-a', 'svc'], { state: fake.dir });
    expect(json<unknown>(run)).toEqual([
      { Process: 'app', Count: 3, CPUKind: 'performance', CPUs: 2, Memory: 4096, Regions: { iad: 1, ord: 2 } },
      { Process: 'worker', Count: 1, CPUKind: 'shared', CPUs: 2, Memory: 512, Regions: { ord: 1 } },
    ]);
    expect(run.stdout.startsWith('[\n    {\n        "Process": "app",')).toBe(true);
    const table = await fly(['scale', 'show', '-a', 'svc'], { state: fake.dir });
    expect(table.stdout).toContain('VM Resources for app: svc\n\nGroups\n');
    expect(table.stdout).toMatch(/ app +│ 3 +│ performance │ 2 +│ 4096 MB │ iad,ord\(2\) /);
  });
});

describe('scale count', () => {
  it('prints the plan and demands --yes off a TTY without changing anything', async () => {
    const fake = seed();
    const run = await fly(['scale', 'count', '4', '-a', 'svc'], { state: fake.dir });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe(
      "App 'svc' is going to be scaled according to this plan:\n  +1 machines for group 'app' on region 'ord' of size 'performance-2x'\n",
    );
    expect(run.stderr).toBe('Error: --yes flag must be specified when not running interactively\n');
    expect(fake.machines('svc')).toHaveLength(4);
  });

  it('executes with -y: creates by cloning the group, destroys the first machines of a region', async () => {
    const fake = seed();
    // -r limits the plan to the listed regions: 3 machines in iad, which has 1.
    const up = await fly(['scale', 'count', 'app=3', '-y', '-r', 'iad', '-a', 'svc'], { state: fake.dir });
    expect(up.stdout).toMatch(
      /^App 'svc' is going to be scaled according to this plan:\n {2}\+2 machines for group 'app' on region 'iad' of size 'performance-2x'\nExecuting scale plan\n {2}Created [0-9a-f]{14} group:app region:iad size:performance-2x\n {2}Created [0-9a-f]{14} group:app region:iad size:performance-2x\n$/,
    );
    const created = fake.machines('svc').slice(4);
    expect(created.map((m) => [m.region, m.config.metadata.fly_process_group, m.config.services.length])).toEqual([
      ['iad', 'app', 1],
      ['iad', 'app', 1],
    ]);
    const down = await fly(['scale', 'count', '-g', 'worker', '-y', '-a', 'svc', '--', '-1'], { state: fake.dir });
    expect(down.stdout).toContain("  -1 machines for group 'worker' on region 'ord' of size 'shared-cpu-2x'\n");
    expect(down.stdout).toMatch(/ {2}Destroyed [0-9a-f]{14} group:worker region:ord size:shared-cpu-2x\n$/);
    expect(fake.machines('svc').filter((m) => m.config.metadata.fly_process_group === 'worker')).toEqual([]);
    const same = await fly(['scale', 'count', 'app=5', '-y', '-a', 'svc'], { state: fake.dir });
    expect(same.stdout).toBe('App already scaled to desired state. No need for changes\n');
  });

  it('refuses apps without a complete release, unknown groups, bad counts and GPU flags', async () => {
    const fake = seedFlyState({ apps: [{ name: 'new' }, { name: 'svc', machines: [{}] }] });
    const norel = await fly(['scale', 'count', '2', '-y', '-a', 'new'], { state: fake.dir });
    expect(errorLine(norel)).toBe('Error: this app has no complete releases. Run `fly deploy` to create one and rerun this command');
    const unknown = await fly(['scale', 'count', 'web=2', '-a', 'svc'], { state: fake.dir });
    expect(unknown.stderr).toBe(
      'Error: Attempting to scale unknown process groups [web] but valid names are [app].\n Use `fly scale count COUNT --process-group=NAME` \n or multi group syntax `fly scale count NAME1=COUNT1 NAME2=COUNT2 ...`\n',
    );
    expect(errorLine(await fly(['scale', 'count', 'many', '-a', 'svc'], { state: fake.dir }))).toBe(
      "Error: 'many' is not a valid process=count option",
    );
    expect(errorLine(await fly(['scale', 'count', '-a', 'svc'], { state: fake.dir }))).toBe(
      'Error: requires at least 1 arg(s), only received 0',
    );
    const gpu = await fly(['scale', 'count', '3', '-y', '--vm-gpus', '1', '-a', 'svc'], { state: fake.dir });
    expect(errorLine(gpu)).toBe('Error: GPU machines are no longer supported: --vm-gpu-kind and --vm-gpus are no longer accepted');
    expect(fake.machines('svc')).toHaveLength(1);
  });

  it('fails placement under the capacity fault', async () => {
    const fake = seed();
    const run = await fly(['scale', 'count', '4', '-y', '-a', 'svc'], { state: fake.dir, env: { FAKE_FLYCTL_FAULT: 'capacity' } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /^Error: failed to launch VM: could not reserve resource for machine: insufficient memory available to fulfill request \(Request ID: \S+\)\nTry choosing a different region for machine creation\n\n$/,
    );
    expect(fake.machines('svc')).toHaveLength(4);
  });
});

describe('scale vm', () => {
  it('resizes a group and prints the summary', async () => {
    const fake = seed();
    const run = await fly(['scale', 'vm', 'performance-4x', '--memory', '16384', '-g', 'app', '-a', 'svc'], { state: fake.dir });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(
      /Machine [0-9a-f]{14} updated successfully!\nScaled VM Type for 'app' to 'performance-4x'\n {6}CPU Cores: 4\n {9}Memory: 16384 MB\n$/,
    );
    expect(
      fake
        .machines('svc')
        .filter((m) => m.config.metadata.fly_process_group === 'app')
        .map((m) => m.config.guest),
    ).toEqual(Array(3).fill({ cpu_kind: 'performance', cpus: 4, memory_mb: 16384 }));
  });

  it('needs a group for multi-process apps, validates sizes, refuses GPU presets at the API', async () => {
    const fake = seed();
    const multi = await fly(['scale', 'vm', 'shared-cpu-1x', '-a', 'svc'], { state: fake.dir });
    expect(multi.stderr).toBe(
      "Error: scaling an app with multiple process groups requires specifying a group with '--process-group <name>'\n * this app has the following process groups: [app, worker]\n",
    );
    const bad = await fly(['scale', 'vm', 'huge-1x', '-a', 'svc'], { state: fake.dir });
    expect(errorLine(bad)).toBe("Error: invalid machine preset requested, 'huge-1x', expected to start with 'shared' or 'performance'");
    const gpu = await fly(['scale', 'vm', 'a10', '-g', 'worker', '-a', 'svc'], { state: fake.dir });
    expect(errorLine(gpu)).toMatch(
      /^Error: could not update machine ([0-9a-f]{14}): failed to update VM \1: GPU machines are no longer supported: config\.guest\.gpu_kind and config\.guest\.gpus must be unset$/,
    );
    expect(fake.machines('svc').find((m) => m.config.metadata.fly_process_group === 'worker')?.config.guest).toEqual({
      cpu_kind: 'shared',
      cpus: 2,
      memory_mb: 512,
    });
  });
});
