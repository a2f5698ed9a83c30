// `fly deploy` against the fake: output shape, state effects, GPU refusal, unhealthy and capacity.
import { describe, expect, it } from 'vitest';
import { seedFlyState } from '../../fakes/flyctl/seed.mjs';
import { errorLine, fly, json, project } from './helpers.js';

const TOML = `app = "gpu-api"
primary_region = "ord"

[build]
  image = "ghcr.io/acme/gpu-api:1.2.3"

[http_service]
  internal_port = 8000
  auto_stop_machines = "stop"

  [[http_service.checks]]
    path = "/health"
    interval = "15s"
    timeout = "5s"
    grace_period = "30s"

[[vm]]
  size = "performance-2x"
  memory = "8gb"
`;

const fresh = () => seedFlyState({ apps: [{ name: 'gpu-api' }] });

describe('fake flyctl deploy', () => {
  it('first deploy: verifies, resolves the image, creates 2 machines (HA) and a complete release', async () => {
    const fake = fresh();
    const run = await fly(['deploy', '--remote-only', '-y', '--now'], { state: fake.dir, cwd: project(TOML) });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(
      /^==> Verifying app config\n--> Verified app config\n==> Building image\nSearching for image 'ghcr.io\/acme\/gpu-api:1\.2\.3' remotely\.\.\.\nimage found: img_[a-z0-9]{16}\n/,
    );
    expect(run.stdout).toContain('Validating ');
    expect(run.stdout).toContain('✓ Configuration is valid\n');
    expect(run.stdout).toContain('\nWatch your deployment at https://fly.io/apps/gpu-api/monitoring\n\n');
    expect(run.stdout).toContain('This deployment will:\n * create 2 "app" machines\n\n');
    expect(run.stdout).toMatch(/> Machine [0-9a-f]{14} \[app\] was created\n✔ Machine [0-9a-f]{14} \[app\] update finished: success\n/);
    expect(run.stdout).toContain('Creating a second machine for high availability and zero downtime deployments.\n');
    expect(run.stdout.endsWith('\nVisit your newly deployed app at https://gpu-api.fly.dev/\n\n')).toBe(true);
    const machines = fake.machines('gpu-api');
    expect(machines).toHaveLength(2);
    expect(machines[0]?.config.guest).toEqual({ cpu_kind: 'performance', cpus: 2, memory_mb: 8192 });
    expect(machines[0]?.region).toBe('ord');
    expect(machines[0]?.config.env).toEqual({ FLY_PROCESS_GROUP: 'app', PRIMARY_REGION: 'ord' });
    expect(machines[0]?.checks.map((c) => [c.name, c.status])).toEqual([['servicecheck-00-http-8000', 'passing']]);
    expect(fake.releases('gpu-api')[0]).toMatchObject({ version: 1, status: 'complete', imageRef: 'ghcr.io/acme/gpu-api:1.2.3' });
    expect(fake.app('gpu-api')).toMatchObject({ status: 'deployed', deployed: true });
  });

  it('second deploy updates the machines in place, rolling, with a new release', async () => {
    const fake = fresh();
    const dir = project(TOML);
    await fly(['deploy'], { state: fake.dir, cwd: dir });
    const before = fake
      .machines('gpu-api')
      .map((m) => m.id)
      .sort();
    const run = await fly(['deploy', '-i', 'ghcr.io/acme/gpu-api:1.2.4', '--strategy', 'immediate'], { state: fake.dir, cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("Updating existing machines in 'gpu-api' with immediate strategy\n");
    expect(run.stdout).toContain(`✔ [1/2] Machine ${before[0]} [app] update succeeded\n`);
    const after = fake.machines('gpu-api').sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(after.map((m) => [m.id, m.config.image, m.config.metadata.fly_release_version])).toEqual(
      before.map((id) => [id, 'ghcr.io/acme/gpu-api:1.2.4', '2']),
    );
    const releases = json<Array<{ Version: number; ImageRef: string }>>(
      await fly(['releases', '--json', '-a', 'gpu-api'], { state: fake.dir }),
    );
    expect(releases.map((r) => [r.Version, r.ImageRef])).toEqual([
      [2, 'ghcr.io/acme/gpu-api:1.2.4'],
      [1, 'ghcr.io/acme/gpu-api:1.2.3'],
    ]);
  });

  // flyctl's skipLaunch: a stopped machine of an app whose services autoscale (or a standby) is updated, not started.
  it('a redeploy updates a stopped machine to the new release and leaves it stopped, without waiting for it', async () => {
    const fake = fresh();
    const dir = project(TOML);
    await fly(['deploy'], { state: fake.dir, cwd: dir });
    const [idle, busy] = fake.machines('gpu-api').sort((a, b) => (a.id < b.id ? -1 : 1));
    fake.update((state) => {
      state.apps['gpu-api']!.machines.find((m) => m.id === idle!.id)!.state = 'stopped';
    });
    const run = await fly(['deploy'], { state: fake.dir, cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).not.toContain(`Waiting for ${idle!.id} [app] to have state: started`);
    expect(run.stdout).toContain(`Waiting for ${busy!.id} [app] to have state: started`);
    const after = new Map(fake.machines('gpu-api').map((m) => [m.id, m]));
    expect([after.get(idle!.id)?.state, after.get(idle!.id)?.config.metadata.fly_release_version]).toEqual(['stopped', '2']);
    expect([after.get(busy!.id)?.state, after.get(busy!.id)?.config.metadata.fly_release_version]).toEqual(['started', '2']);
  });

  it('a stopped standby whose group now has a service is launched and is no standby any more (flyctl clears its standbys)', async () => {
    const fake = fresh();
    const dir = project(TOML);
    await fly(['deploy'], { state: fake.dir, cwd: dir });
    const [standby, other] = fake.machines('gpu-api').sort((a, b) => (a.id < b.id ? -1 : 1));
    fake.update((state) => {
      const m = state.apps['gpu-api']!.machines.find((x) => x.id === standby!.id)!;
      Object.assign(m, { state: 'stopped', config: { ...m.config, standbys: [other!.id] } });
    });
    const run = await fly(['deploy'], { state: fake.dir, cwd: project(TOML.replace('  auto_stop_machines = "stop"\n', '')) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Waiting for ${standby!.id} [app] to have state: started`);
    const after = fake.machines('gpu-api').find((m) => m.id === standby!.id);
    expect([after?.state, after?.config.standbys ?? []]).toEqual(['started', []]);
  });

  // skipLaunch only skips a stopped machine when a service autoscales (PR #2992): a deploy starts a crashed machine otherwise.
  it('without autostop or autostart, a redeploy starts a stopped machine and waits for it', async () => {
    const fake = fresh();
    const dir = project(TOML.replace('  auto_stop_machines = "stop"\n', ''));
    await fly(['deploy'], { state: fake.dir, cwd: dir });
    const [crashed] = fake.machines('gpu-api').sort((a, b) => (a.id < b.id ? -1 : 1));
    fake.update((state) => {
      state.apps['gpu-api']!.machines.find((m) => m.id === crashed!.id)!.state = 'stopped';
    });
    const run = await fly(['deploy'], { state: fake.dir, cwd: dir });
    expect(run.stdout).toContain(`Waiting for ${crashed!.id} [app] to have state: started`);
    expect(fake.machines('gpu-api').find((m) => m.id === crashed!.id)?.state).toBe('started');
  });

  it('--ha=false and mounts make one machine; a group without services gets a standby', async () => {
    const fake = fresh();
    await fly(['deploy', '--ha=false'], { state: fake.dir, cwd: project(TOML) });
    expect(fake.machines('gpu-api')).toHaveLength(1);
    const mounted = fresh();
    const withMount = await fly(['deploy'], {
      state: mounted.dir,
      cwd: project(`${TOML}\n[mounts]\n  source = "models"\n  destination = "/models"\n`),
    });
    expect(withMount.stdout).toContain(
      "Creating a 1 GB volume named 'models' for process group 'app'. Use 'fly vol extend' to increase its size\n",
    );
    const [volume] = mounted.app('gpu-api')?.volumes ?? [];
    expect(mounted.machines('gpu-api').map((m) => m.config.mounts)).toEqual([
      [{ path: '/models', name: 'models', volume: volume?.id, encrypted: true, size_gb: 1 }],
    ]);
    expect(volume?.attached_machine_id).toBe(mounted.machines('gpu-api')[0]?.id);
    const worker = seedFlyState({ apps: [{ name: 'w' }] });
    const run = await fly(['deploy', '-a', 'w'], { state: worker.dir, cwd: project('[build]\nimage = "busybox"\n') });
    expect(run.stdout).toContain(' * create 1 "app" machine and 1 standby machine for it\n');
    const [main, standby] = worker.machines('w');
    expect(standby?.config.standbys).toEqual([main?.id]);
    expect(standby?.state).toBe('stopped');
    expect(run.stdout).not.toContain('Visit your newly deployed app');
  });

  it('builds from a Dockerfile into registry.fly.io/<app>:deployment-<ULID>, or says there is nothing to build', async () => {
    const fake = fresh();
    const toml = TOML.replace('[build]\n  image = "ghcr.io/acme/gpu-api:1.2.3"\n', '');
    const built = await fly(['deploy'], { state: fake.dir, cwd: project(toml, { Dockerfile: 'FROM ubuntu:22.04\n' }) });
    expect(built.stderr).toMatch(/image: registry\.fly\.io\/gpu-api:deployment-[0-9A-HJKMNP-TV-Z]{26}\n/);
    expect(fake.releases('gpu-api')[0]?.imageRef).toMatch(/^registry\.fly\.io\/gpu-api:deployment-/);
    const nothing = await fly(['deploy'], { state: fake.dir, cwd: project(toml) });
    expect(errorLine(nothing)).toBe(
      'Error: failed to fetch an image or build from source: app does not have a Dockerfile or buildpacks configured. See https://fly.io/docs/reference/configuration/#the-build-section',
    );
  });

  it('rejects GPU flags before doing anything', async () => {
    for (const flag of [
      ['--vm-gpu-kind', 'a100-pcie-40gb'],
      ['--vm-gpukind', 'l40s'],
      ['--vm-gpus', '1'],
    ]) {
      const fake = fresh();
      const run = await fly(['deploy', ...flag], { state: fake.dir, cwd: project(TOML) });
      expect(run.exitCode).toBe(1);
      expect(errorLine(run)).toBe('Error: GPU machines are no longer supported: --vm-gpu-kind and --vm-gpus are no longer accepted');
      expect(fake.app('gpu-api')).toMatchObject({ machines: [], releases: [], status: 'pending' });
    }
  });

  it('a GPU guest reaching the Machines API is refused and leaves no trace', async () => {
    const cases = [
      { toml: TOML.replace('size = "performance-2x"', 'size = "a100-80gb"'), args: [] },
      { toml: TOML.replace('size = "performance-2x"', 'gpu_kind = "l40s"'), args: [] },
      { toml: TOML.replace('[[vm]]\n  size = "performance-2x"\n  memory = "8gb"\n', ''), args: ['--vm-size', 'a10'] },
    ];
    for (const { toml, args } of cases) {
      const fake = fresh();
      const run = await fly(['deploy', ...args], { state: fake.dir, cwd: project(toml) });
      expect(run.exitCode).toBe(1);
      expect(errorLine(run)).toBe(
        'Error: error creating a new machine: failed to launch VM: GPU machines are no longer supported: config.guest.gpu_kind and config.guest.gpus must be unset',
      );
      expect(fake.app('gpu-api')).toMatchObject({ machines: [], releases: [], volumes: [], status: 'pending' });
    }
  });

  it('FAKE_FLYCTL_GPU_API=before-retirement launches the GPU guest, as the API did before 2026-08-01; another value fails', async () => {
    const toml = TOML.replace('size = "performance-2x"', 'gpu_kind = "l40s"');
    const fake = fresh();
    const run = await fly(['deploy'], { state: fake.dir, cwd: project(toml), env: { FAKE_FLYCTL_GPU_API: 'before-retirement' } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(fake.machines('gpu-api').map((m) => m.config.guest)).toContainEqual(expect.objectContaining({ gpu_kind: 'l40s' }));
    const typo = await fly(['deploy'], { state: fresh().dir, cwd: project(toml), env: { FAKE_FLYCTL_GPU_API: 'before' } });
    expect(errorLine(typo)).toBe('Error: fake flyctl: unknown FAKE_FLYCTL_GPU_API "before"; known: before-retirement');
  });

  it('unhealthy: checks stay critical, the wait times out, the release fails', async () => {
    const fake = fresh();
    const run = await fly(['deploy'], { state: fake.dir, cwd: project(TOML), env: { FAKE_FLYCTL_FAULT: 'unhealthy' } });
    expect(run.exitCode).toBe(1);
    const [machine] = fake.machines('gpu-api');
    expect(errorLine(run)).toBe(
      `Error: timeout reached waiting for health checks to pass for machine ${machine?.id}: context deadline exceeded`,
    );
    expect(run.stdout).toContain(`✖ Failed: timeout reached waiting for health checks to pass for machine ${machine?.id}`);
    expect(fake.releases('gpu-api')[0]?.status).toBe('failed');
    const checks = json<Record<string, Array<{ status: string }>>>(
      await fly(['checks', 'list', '--json', '-a', 'gpu-api'], { state: fake.dir }),
    );
    expect(
      Object.values(checks)
        .flat()
        .map((c) => c.status),
    ).toEqual(['critical']);
  });

  it('capacity: placement fails with the flaps suggestion; invalid strategies fail validation', async () => {
    const fake = fresh();
    const run = await fly(['deploy'], { state: fake.dir, cwd: project(TOML), env: { FAKE_FLYCTL_FAULT: 'capacity' } });
    expect(run.stderr).toMatch(
      /Error: error creating a new machine: failed to launch VM: could not reserve resource for machine: insufficient memory available to fulfill request \(Request ID: \S+\)\nTry choosing a different region for machine creation\n\n$/,
    );
    const bad = await fly(['deploy'], { state: fake.dir, cwd: project(`${TOML}\n[deploy]\n  strategy = "fast"\n`) });
    expect(bad.stdout).toContain(
      "unsupported deployment strategy 'fast'; Apps v2 supports the following strategies: canary, rolling, immediate, bluegreen\n   ✘invalid app configuration\n",
    );
    expect(errorLine(bad)).toBe('Error: App configuration is not valid');
  });

  it('emits the release JSON line when FLY_EMIT_RELEASE_JSON is set', async () => {
    const fake = fresh();
    const run = await fly(['deploy'], { state: fake.dir, cwd: project(TOML), env: { FLY_EMIT_RELEASE_JSON: '1' } });
    const line = run.stdout.split('\n').find((l) => l.startsWith('{"id"'));
    expect(JSON.parse(line ?? 'null')).toEqual({
      id: fake.releases('gpu-api')[0]?.id,
      version: 1,
      image_ref: 'ghcr.io/acme/gpu-api:1.2.3',
    });
  });
});
