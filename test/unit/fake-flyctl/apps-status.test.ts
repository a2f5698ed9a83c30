// JSON contracts of apps, releases, status, machine list and checks list (flyio-facts.md §2.1–2.6).
import { describe, expect, it } from 'vitest';
import { seedFlyState } from '../../fakes/flyctl/seed.mjs';
import { emptyStateDir, fly, json } from './helpers.js';

type Obj = Record<string, unknown>;

describe('apps create / list / releases', () => {
  it('creates an app and lists it as a full fly-go App', async () => {
    const state = emptyStateDir();
    const created = await fly(['apps', 'create', 'gpu-api', '-o', 'personal'], { state });
    expect(created).toMatchObject({ exitCode: 0, stdout: 'New app created: gpu-api\n' });
    const list = await fly(['apps', 'list', '--json'], { state });
    const [app] = json<Obj[]>(list);
    expect(Object.keys(app ?? {})).toEqual([
      'ID',
      'InternalNumericID',
      'Name',
      'State',
      'Status',
      'Deployed',
      'Hostname',
      'AppURL',
      'Version',
      'NetworkID',
      'Network',
      'Release',
      'Organization',
      'Secrets',
      'CurrentRelease',
      'Releases',
      'IPAddresses',
      'EgressIpAddresses',
      'SharedIPAddress',
      'CNAMETarget',
      'IPAddress',
      'Certificates',
      'Certificate',
      'PostgresAppRole',
      'Image',
      'ImageUpgradeAvailable',
      'ImageVersionTrackingEnabled',
      'ImageDetails',
      'LatestImageDetails',
      'PlatformVersion',
      'Machines',
      'CurrentLock',
    ]);
    expect(app).toMatchObject({
      ID: 'gpu-api',
      Name: 'gpu-api',
      Status: 'pending',
      Deployed: false,
      Hostname: 'gpu-api.fly.dev',
      CurrentRelease: null,
    });
    expect(app?.Organization).toMatchObject({ Slug: 'personal', Name: 'Personal', ID: '' });
    expect(list.stdout).toMatch(/^\[\n {4}\{\n {8}"ID": "gpu-api",/);
  });

  it('prints [] for no apps and refuses taken names with the flaps suggestion', async () => {
    const state = emptyStateDir();
    expect((await fly(['apps', 'list', '--json'], { state })).stdout).toBe('[]\n');
    await fly(['apps', 'create', 'taken'], { state });
    const again = await fly(['apps', 'create', '--name', 'taken'], { state });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(
      /Error: Name has already been taken \(Request ID: [0-9A-Z]{26}-iad\)\nApp names are unique across all of Fly\.io/,
    );
    const unnamed = await fly(['apps', 'create'], { state });
    expect(unnamed.stderr).toBe('Error: name argument or flag must be specified when not running interactively\n');
  });

  it('requires -o when there are several organizations', async () => {
    const fake = seedFlyState({
      orgs: [
        { slug: 'personal', name: 'Me', type: 'PERSONAL' },
        { slug: 'quant', name: 'Quant' },
      ],
    });
    const run = await fly(['apps', 'create', 'x'], { state: fake.dir });
    expect(run.stderr).toBe('Error: org slug must be specified when not running interactively\n');
    const json2 = await fly(['apps', 'create', 'x', '-o', 'quant', '--json'], { state: fake.dir });
    expect(json<Obj>(json2).Organization).toMatchObject({ Slug: 'quant', RawSlug: 'quant', Type: 'SHARED' });
  });

  it('lists the last 25 releases, newest first, with Go field names', async () => {
    const fake = seedFlyState({ apps: [{ name: 'busy', releases: 30 }] });
    const releases = json<Obj[]>(await fly(['releases', '-a', 'busy', '--json'], { state: fake.dir }));
    expect(releases).toHaveLength(25);
    expect(releases.map((r) => r.Version).slice(0, 3)).toEqual([30, 29, 28]);
    expect(Object.keys(releases[0] ?? {})).toEqual([
      'ID',
      'Version',
      'Stable',
      'InProgress',
      'Reason',
      'Description',
      'Status',
      'DeploymentStrategy',
      'Metadata',
      'User',
      'EvaluationID',
      'CreatedAt',
      'ImageRef',
    ]);
    expect(releases[0]).toMatchObject({ Status: 'complete', ImageRef: 'registry.fly.io/busy:deployment-v30', Metadata: null });
    const alias = await fly(['apps', 'releases', '-a', 'busy', '--json'], { state: fake.dir });
    expect(alias.stdout).toBe(JSON.stringify(releases, null, 4) + '\n');
  });
});

describe('status / machine list / checks list', () => {
  const seed = () =>
    seedFlyState({
      apps: [
        {
          name: 'gpu-api',
          machines: [
            { id: '0a0000000000aa', region: 'ord', internalPort: 8000 },
            { id: '0b0000000000bb', region: 'iad', internalPort: 8000, checks: 'critical' },
            { id: '0c0000000000cc', platformVersion: null },
            { id: '0d0000000000dd', state: 'destroyed' },
          ],
        },
      ],
    });

  it('status --json: sorted keys, active v2 machines by ID descending', async () => {
    const fake = seed();
    const run = await fly(['status', '-a', 'gpu-api', '--json'], { state: fake.dir });
    const doc = json<Obj>(run);
    expect(Object.keys(doc)).toEqual([
      'AppURL',
      'Deployed',
      'Hostname',
      'ID',
      'Machines',
      'Name',
      'Organization',
      'PlatformVersion',
      'Status',
      'Version',
    ]);
    expect((doc.Machines as Obj[]).map((m) => m.id)).toEqual(['0b0000000000bb', '0a0000000000aa']);
    expect(doc).toMatchObject({ Deployed: true, Status: 'deployed', Version: 1, PlatformVersion: 'machines', Hostname: 'gpu-api.fly.dev' });
    expect(Object.keys(doc.Organization as Obj)).toEqual(['ID', 'InternalNumericID', 'Name', 'Slug', 'RawSlug', 'PaidPlan']);
    const missing = await fly(['status', '-a', 'nope'], { state: fake.dir });
    expect(missing).toMatchObject({ exitCode: 1, stderr: 'Error: failed to get app: Could not find App "nope"\n' });
  });

  it('machine list --json: every live machine in fly-go field order', async () => {
    const fake = seed();
    const machines = json<Obj[]>(await fly(['m', 'ls', '-a', 'gpu-api', '--json'], { state: fake.dir }));
    expect(machines.map((m) => m.id)).toEqual(['0a0000000000aa', '0b0000000000bb', '0c0000000000cc']);
    const [first] = machines;
    expect(Object.keys(first ?? {})).toEqual([
      'id',
      'name',
      'state',
      'region',
      'image_ref',
      'instance_id',
      'private_ip',
      'created_at',
      'updated_at',
      'config',
      'events',
      'checks',
      'host_status',
      'cordoned',
    ]);
    const config = first?.config as Obj;
    expect(Object.keys(config)).toEqual(['env', 'init', 'guest', 'metadata', 'services', 'image', 'restart']);
    expect(config.metadata).toEqual({
      fly_flyctl_version: '0.4.87',
      fly_platform_version: 'v2',
      fly_process_group: 'app',
      fly_release_id: expect.stringMatching(/^[0-9A-Za-z]{25}$/) as unknown,
      fly_release_version: '1',
    });
    expect(first?.checks).toEqual([
      { name: 'servicecheck-00-http-8000', status: 'passing', output: 'Success', updated_at: expect.stringMatching(/Z$/) as unknown },
    ]);
    expect((first?.events as Obj[]).map((e) => e.type)).toEqual(['start', 'launch']);
    expect(first?.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(first?.id).toMatch(/^[0-9a-f]{14}$/);
    const missing = await fly(['machines', 'list', '-a', 'nope', '--json'], { state: fake.dir });
    expect(missing.stderr).toMatch(/^Error: failed to list VMs: app not found \(Request ID: [0-9A-Z]{26}-iad\)\n$/);
  });

  it('checks list --json: keyed by machine, sorted; {} for an app without machines', async () => {
    const fake = seed();
    const checks = json<Record<string, Obj[]>>(await fly(['checks', 'list', '-a', 'gpu-api', '--json'], { state: fake.dir }));
    expect(Object.keys(checks)).toEqual(['0a0000000000aa', '0b0000000000bb', '0c0000000000cc']);
    expect(checks['0b0000000000bb']?.[0]).toMatchObject({ name: 'servicecheck-00-http-8000', status: 'critical' });
    expect(checks['0c0000000000cc']).toEqual([]);
    const empty = seedFlyState({ apps: [{ name: 'empty' }] });
    expect((await fly(['checks', 'list', '-a', 'empty', '--json'], { state: empty.dir })).stdout).toBe('{}\n');
  });

  it('is deterministic: the same seed and commands give the same bytes', async () => {
    const [a, b] = [seed(), seed()];
    const runA = await fly(['m', 'ls', '-a', 'gpu-api', '--json'], { state: a.dir });
    const runB = await fly(['m', 'ls', '-a', 'gpu-api', '--json'], { state: b.dir });
    expect(runA.stdout).toBe(runB.stdout);
    const later = await fly(['m', 'ls', '-a', 'gpu-api', '--json'], { state: a.dir, env: { FAKE_FLYCTL_NOW: '2030-01-01T00:00:00Z' } });
    expect(later.stdout).toBe(runA.stdout); // times were fixed when the machines were seeded
  });
});
