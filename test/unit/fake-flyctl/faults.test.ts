// FAKE_FLYCTL_FAULT / FAKE_FLYCTL_FAULT_ON, and state isolation between directories.
import { execa } from 'execa';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedFlyState } from '../../fakes/flyctl/seed.mjs';
import { emptyStateDir, errorLine, fly, ROOT, TOKEN } from './helpers.js';

const seed = () => seedFlyState({ apps: [{ name: 'svc', machines: [{ internalPort: 8080 }] }] });

describe('fake flyctl faults', () => {
  it('deadline exits 126 with the Go text; interrupted exits 127 silently', async () => {
    const fake = seed();
    const deadline = await fly(['status', '-a', 'svc'], { state: fake.dir, env: { FAKE_FLYCTL_FAULT: 'deadline' } });
    expect(deadline).toEqual({ exitCode: 126, stdout: '', stderr: 'Error: context deadline exceeded\n' });
    const interrupted = await fly(['status', '-a', 'svc'], { state: fake.dir, env: { FAKE_FLYCTL_FAULT: 'interrupted' } });
    expect(interrupted).toEqual({ exitCode: 127, stdout: '', stderr: '' });
  });

  it('not-logged-in and app-not-found use flyctl texts', async () => {
    const fake = seed();
    const env = { FAKE_FLYCTL_FAULT: 'not-logged-in' };
    expect(errorLine(await fly(['status', '-a', 'svc'], { state: fake.dir, env }))).toBe(
      "Error: no access token available. Please login with 'flyctl auth login'",
    );
    const missing = { FAKE_FLYCTL_FAULT: 'app-not-found' };
    expect(errorLine(await fly(['status', '-a', 'svc'], { state: fake.dir, env: missing }))).toBe(
      'Error: failed to get app: Could not find App "svc"',
    );
    expect(errorLine(await fly(['machine', 'list', '-a', 'svc', '--json'], { state: fake.dir, env: missing }))).toMatch(
      /^Error: failed to list VMs: app not found \(Request ID: /,
    );
  });

  it('unauthorized: `Error: unauthorized` (exit 1) on commands that need a session, limited by FAKE_FLYCTL_FAULT_ON', async () => {
    const fake = seed();
    const env = { FAKE_FLYCTL_FAULT: 'unauthorized', FAKE_FLYCTL_FAULT_ON: 'apps list' };
    expect(await fly(['apps', 'list', '--json'], { state: fake.dir, env })).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: unauthorized\n',
    });
    expect((await fly(['status', '-a', 'svc', '--json'], { state: fake.dir, env })).exitCode).toBe(0);
    expect((await fly(['version'], { state: fake.dir, env: { FAKE_FLYCTL_FAULT: 'unauthorized' } })).exitCode).toBe(0);
  });

  it('garbage-json and truncated-json break only JSON output', async () => {
    const fake = seed();
    const garbage = await fly(['status', '-a', 'svc', '--json'], { state: fake.dir, env: { FAKE_FLYCTL_FAULT: 'garbage-json' } });
    expect(garbage.exitCode).toBe(0);
    expect(() => JSON.parse(garbage.stdout) as unknown).toThrow();
    const good = await fly(['status', '-a', 'svc', '--json'], { state: fake.dir });
    const cut = await fly(['status', '-a', 'svc', '--json'], { state: fake.dir, env: { FAKE_FLYCTL_FAULT: 'truncated-json' } });
    expect(cut.stdout).toBe(good.stdout.slice(0, Math.floor(good.stdout.length / 2)));
    expect(() => JSON.parse(cut.stdout) as unknown).toThrow();
    const text = await fly(['status', '-a', 'svc'], { state: fake.dir, env: { FAKE_FLYCTL_FAULT: 'garbage-json' } });
    expect(text.stdout).toContain('App\n');
  });

  it('FAKE_FLYCTL_FAULT_ON limits faults to the named command paths (aliases included)', async () => {
    const fake = seed();
    const env = { FAKE_FLYCTL_FAULT: 'deadline', FAKE_FLYCTL_FAULT_ON: 'machine list, scale show' };
    expect((await fly(['status', '-a', 'svc', '--json'], { state: fake.dir, env })).exitCode).toBe(0);
    expect((await fly(['m', 'ls', '-a', 'svc'], { state: fake.dir, env })).exitCode).toBe(126);
    expect((await fly(['scale', 'show', '-a', 'svc'], { state: fake.dir, env })).exitCode).toBe(126);
    const typo = await fly(['status', '-a', 'svc'], { state: fake.dir, env: { FAKE_FLYCTL_FAULT: 'slow' } });
    expect(errorLine(typo)).toMatch(/^Error: fake flyctl: unknown FAKE_FLYCTL_FAULT "slow"; known faults: not-logged-in, /);
  });

  it('hang sleeps until SIGTERM ends it', async () => {
    const fake = seed();
    const child = execa(join(ROOT, 'test/bin/flyctl'), ['status', '-a', 'svc'], {
      reject: false,
      extendEnv: false,
      env: { PATH: dirname(process.execPath), FAKE_FLYCTL_STATE: fake.dir, FLY_API_TOKEN: TOKEN, FAKE_FLYCTL_FAULT: 'hang' },
    });
    const early = await Promise.race([child.then(() => 'exited'), new Promise((r) => setTimeout(() => r('running'), 700))]);
    expect(early).toBe('running');
    child.kill('SIGTERM');
    const result = await child;
    expect(result.signal).toBe('SIGTERM');
    expect(result.stdout).toBe('');
  });

  it('keeps parallel invocations on one directory consistent, and directories apart', async () => {
    const a = emptyStateDir();
    const b = emptyStateDir();
    const names = Array.from({ length: 8 }, (_, i) => `app-${i}`);
    await Promise.all(names.map((n, i) => fly(['apps', 'create', n], { state: i % 2 ? b : a })));
    const list = async (state: string) =>
      (JSON.parse((await fly(['apps', 'list', '--json'], { state })).stdout) as Array<{ Name: string }>).map((x) => x.Name);
    expect(await list(a)).toEqual(['app-0', 'app-2', 'app-4', 'app-6']);
    expect(await list(b)).toEqual(['app-1', 'app-3', 'app-5', 'app-7']);
  });
});
