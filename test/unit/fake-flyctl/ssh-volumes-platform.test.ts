// ssh console (seeded replies), volumes, platform regions / vm-sizes.
import { describe, expect, it } from 'vitest';
import { seedFlyState } from '../../fakes/flyctl/seed.mjs';
import { emptyStateDir, errorLine, fly, json } from './helpers.js';

type Obj = Record<string, unknown>;

describe('ssh console', () => {
  const seed = () =>
    seedFlyState({
      apps: [
        {
          name: 'gpu-api',
          machines: [
            { id: 'aaaaaaaaaaaaaa', region: 'ord' },
            { id: 'bbbbbbbbbbbbbb', region: 'iad' },
          ],
          sshResponses: { 'nvidia-smi -L': { stdout: 'GPU 0: NVIDIA L40S\n' }, 'python -c boom': { stderr: 'Traceback\n', exitCode: 3 } },
        },
      ],
    });

  it('replies from state, on the selected machine', async () => {
    const fake = seed();
    const run = await fly(['ssh', 'console', '-a', 'gpu-api', '-C', 'nvidia-smi -L'], { state: fake.dir });
    expect(run).toMatchObject({ exitCode: 0, stdout: 'No machine specified, using aaaaaaaaaaaaaa in region ord\nGPU 0: NVIDIA L40S\n' });
    expect(run.stderr).toMatch(/^Connecting to fdaa:[0-9a-f:]+\.\.\.\n$/);
    const quiet = await fly(['ssh', 'console', '-q', '-a', 'gpu-api', '--machine', 'bbbbbbbbbbbbbb', '-C', 'nvidia-smi -L'], {
      state: fake.dir,
    });
    expect(quiet).toEqual({ exitCode: 0, stdout: 'GPU 0: NVIDIA L40S\n', stderr: '' });
  });

  it('turns a remote failure into flyctl exit 1 without the remote code', async () => {
    const fake = seed();
    const run = await fly(['ssh', 'console', '-q', '-r', 'iad', '-a', 'gpu-api', '-C', 'python -c boom'], { state: fake.dir });
    expect(run).toEqual({ exitCode: 1, stdout: '', stderr: 'Traceback\nError: ssh shell: Process exited with status 3\n' });
    const unseeded = await fly(['ssh', 'console', '-q', '-a', 'gpu-api', '-C', 'uptime'], { state: fake.dir });
    expect(errorLine(unseeded)).toBe('Error: ssh shell: Process exited with status 127');
    fake.setSshResponse('gpu-api', 'uptime', { stdout: 'up 3 days\n' });
    expect((await fly(['ssh', 'console', '-q', '-a', 'gpu-api', '-C', 'uptime'], { state: fake.dir })).stdout).toContain('up 3 days\n');
  });

  it('uses console.go texts for bad selections and rejects --json', async () => {
    const fake = seed();
    const texts = await Promise.all([
      fly(['ssh', 'console', '-a', 'gpu-api', '--machine', 'nope', '-C', 'x'], { state: fake.dir }),
      fly(['ssh', 'console', '-a', 'gpu-api', '-r', 'syd', '-C', 'x'], { state: fake.dir }),
      fly(['ssh', 'console', '-a', 'gpu-api', '-C', 'x', '--json'], { state: fake.dir }),
    ]);
    expect(texts.map(errorLine)).toEqual([
      'Error: --machine="nope" not found/started',
      'Error: app gpu-api has no VMs in region syd',
      'Error: unknown flag: --json',
    ]);
    const empty = seedFlyState({ apps: [{ name: 'idle' }] });
    const none = await fly(['ssh', 'console', '-a', 'idle', '-C', 'x'], { state: empty.dir });
    expect(none.stderr).toBe(
      'Error: app idle has no started VMs.\nIt may be unhealthy or not have been deployed yet.\nTry the following command to verify:\n\nfly status\n',
    );
  });
});

describe('volumes', () => {
  it('creates with -y and lists fly-go Volumes', async () => {
    const fake = seedFlyState({ apps: [{ name: 'gpu-api' }] });
    const created = await fly(['volumes', 'create', 'models', '-r', 'ord', '-s', '100', '-y', '--json', '-a', 'gpu-api'], {
      state: fake.dir,
    });
    const volume = json<Obj>(created);
    expect(Object.keys(volume)).toEqual([
      'id',
      'name',
      'state',
      'size_gb',
      'region',
      'zone',
      'encrypted',
      'attached_machine_id',
      'attached_alloc_id',
      'created_at',
      'host_dedication_id',
      'snapshot_retention',
      'auto_backup_enabled',
    ]);
    expect(volume).toMatchObject({
      name: 'models',
      size_gb: 100,
      region: 'ord',
      encrypted: true,
      attached_machine_id: null,
      snapshot_retention: 5,
    });
    expect(volume.id).toMatch(/^vol_[a-z0-9]{16}$/);
    expect(json<Obj[]>(await fly(['volumes', 'list', '--json', '-a', 'gpu-api'], { state: fake.dir }))).toEqual([volume]);
  });

  it('asks for --yes and a region when not interactive', async () => {
    const fake = seedFlyState({ apps: [{ name: 'gpu-api' }] });
    const noYes = await fly(['volumes', 'create', 'models', '-r', 'ord', '-a', 'gpu-api'], { state: fake.dir });
    expect(errorLine(noYes)).toBe('Error: yes flag must be specified when not running interactively');
    expect(noYes.stderr).toMatch(/^Warning! Every volume is pinned to a specific physical host\./);
    const noRegion = await fly(['volumes', 'create', 'models', '-y', '-a', 'gpu-api'], { state: fake.dir });
    expect(errorLine(noRegion)).toBe('Error: region code must be specified when not running interactively');
    expect(errorLine(await fly(['volumes', 'create', 'models', '-y', '-r', 'xyz', '-a', 'gpu-api'], { state: fake.dir }))).toBe(
      'Error: region xyz not found',
    );
    expect(fake.app('gpu-api')?.volumes).toEqual([]);
  });
});

describe('platform', () => {
  it('lists the 18 regions sorted by name, without GPU data', async () => {
    const regions = json<Obj[]>(await fly(['platform', 'regions', '--json'], { state: emptyStateDir() }));
    expect(regions.map((r) => r.code)).toEqual([
      'ams',
      'iad',
      'ord',
      'dfw',
      'fra',
      'jnb',
      'lhr',
      'lax',
      'bom',
      'cdg',
      'sjc',
      'gru',
      'ewr',
      'sin',
      'arn',
      'syd',
      'nrt',
      'yyz',
    ]);
    expect(Object.keys(regions[0] ?? {})).toEqual([
      'code',
      'name',
      'latitude',
      'longitude',
      'gateway_available',
      'requires_paid_plan',
      'deprecated',
      'capacity',
      'geo_region',
      'mpg_available',
    ]);
    expect((await fly(['platform', 'regions', '--json'], { state: emptyStateDir(), token: null })).exitCode).toBe(1);
  });

  it('lists CPU presets only, keys sorted', async () => {
    const sizes = json<Record<string, Obj>>(await fly(['platform', 'vm-sizes', '--json'], { state: emptyStateDir() }));
    expect(Object.keys(sizes)).toEqual([...Object.keys(sizes)].sort());
    expect(Object.keys(sizes)).toHaveLength(14);
    expect(sizes['performance-8x']).toEqual({ cpu_kind: 'performance', cpus: 8, memory_mb: 16384 });
    expect(Object.keys(sizes).some((k) => /a10|l40s|a100/.test(k))).toBe(false);
  });
});
