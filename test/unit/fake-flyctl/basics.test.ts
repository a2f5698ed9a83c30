// Entry-level behaviour of the fake flyctl: state requirement, version, auth, argument errors.
import { describe, expect, it } from 'vitest';
import { seedFlyState } from '../../fakes/flyctl/seed.mjs';
import { emptyStateDir, errorLine, fly, json, project, TOKEN } from './helpers.js';

describe('fake flyctl basics', () => {
  it('refuses to run without FAKE_FLYCTL_STATE', async () => {
    const run = await fly(['version'], { state: '' });
    expect(run.exitCode).toBe(1);
    expect(errorLine(run)).toMatch(/^Error: fake flyctl: FAKE_FLYCTL_STATE is not set/);
  });

  it('prints the version line with the invoked name, and one compact JSON line', async () => {
    const state = emptyStateDir();
    const text = await fly(['version'], { state, bin: 'fly' });
    expect(text.stdout).toMatch(/^fly v0\.4\.87 [a-z]+\/[a-z0-9]+ Commit: 3eb236f BuildDate: 2026-08-20T18:56:30Z\n$/);
    const versionRun = await fly(['version', '--json'], { state, token: null });
    expect(versionRun.exitCode).toBe(0);
    expect(versionRun.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(Object.keys(json(versionRun))).toEqual([
      'Name',
      'Version',
      'Commit',
      'BranchName',
      'BuildDate',
      'OS',
      'Architecture',
      'Environment',
    ]);
    expect(json(versionRun)).toMatchObject({ Name: 'flyctl', Version: '0.4.87', Environment: 'production' });
  });

  it('is logged in only with a token, and says so in flyctl words otherwise', async () => {
    const state = emptyStateDir();
    const none = await fly(['auth', 'whoami'], { state, token: null });
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toBe("Error: no access token available. Please login with 'flyctl auth login'\n");
    const envs: Record<string, string>[] = [{ FLY_API_TOKEN: TOKEN }, { FLY_ACCESS_TOKEN: TOKEN }];
    for (const env of envs) {
      const run = await fly(['auth', 'whoami', '--json'], { state, token: null, env: { ...env, FAKE_FLYCTL_EMAIL: 'quant@example.com' } });
      expect(run.stdout).toBe('{\n    "email": "quant@example.com"\n}\n');
    }
    const flag = await fly(['auth', 'whoami', '-t', TOKEN], { state, token: null });
    expect(flag.stdout).toBe('ops@example.com\n');
    const empty = await fly(['auth', 'whoami'], { state, token: '' });
    expect(empty.exitCode).toBe(1);
  });

  it('never echoes the token, whatever the command does', async () => {
    const fake = seedFlyState({ apps: [{ name: 'demo', machines: [{ internalPort: 8080 }] }] });
    const dir = project('app = "demo"\n[build]\nimage = "nginx:1"\n[http_service]\ninternal_port = 8080\n');
    const runs = await Promise.all([
      fly(['status', '--json'], { state: fake.dir, cwd: dir }),
      fly(['deploy', '-t', TOKEN], { state: fake.dir, cwd: dir }),
      fly(['machine', 'list', '-a', 'missing', '--access-token', TOKEN], { state: fake.dir }),
      fly(['auth', 'whoami', '--json'], { state: fake.dir, env: { FLY_ACCESS_TOKEN: TOKEN } }),
      fly(['deploy', '--bogus'], { state: fake.dir, cwd: dir }),
    ]);
    expect(runs.map((r) => r.exitCode)).toEqual([0, 0, 1, 0, 1]);
    for (const run of runs) expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(JSON.stringify(fake.read())).not.toContain(TOKEN);
  });

  it('rejects flags flyctl does not have, with pflag texts', async () => {
    const state = emptyStateDir();
    expect((await fly(['deploy', '--json'], { state })).stderr).toBe('Error: unknown flag: --json\n');
    expect((await fly(['scale', 'count', '2', '--json'], { state })).stderr).toBe('Error: unknown flag: --json\n');
    expect((await fly(['ssh', 'console', '-j'], { state })).stderr).toBe("Error: unknown shorthand flag: 'j' in -j\n");
    expect((await fly(['status', '-a'], { state })).stderr).toBe("Error: flag needs an argument: 'a' in -a\n");
    const bad = await fly(['scale', 'count', '2', '--max-per-region', 'x'], { state });
    expect(bad.stderr).toBe('Error: invalid argument "x" for "--max-per-region" flag: strconv.ParseInt: parsing "x": invalid syntax\n');
    expect(bad.exitCode).toBe(1);
  });

  it('reports unknown commands like cobra, with suggestions and a usage hint on stdout', async () => {
    const run = await fly(['stats'], { state: emptyStateDir() });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('Error: unknown command "stats" for "flyctl"\n\nDid you mean this?\n\tstatus\n\n');
    expect(run.stdout).toBe("Run 'flyctl --help' for usage.\n\n");
    const extra = await fly(['status', 'now'], { state: emptyStateDir() });
    expect(extra.stderr).toBe('Error: unknown command "now" for "flyctl status"\n');
  });

  it('needs an app name from -a, FLY_APP or fly.toml', async () => {
    const fake = seedFlyState({ apps: [{ name: 'from-env' }, { name: 'from-toml' }] });
    const none = await fly(['status'], { state: fake.dir });
    expect(none.stderr).toBe(
      'Error: the config for your app is missing an app name, add an app field to the fly.toml file or specify with the -a flag\n',
    );
    const env = await fly(['status', '--json'], { state: fake.dir, env: { FLY_APP: 'from-env' } });
    expect(json(env).Name).toBe('from-env');
    const dir = project('app = "from-toml"\n');
    expect(json(await fly(['status', '--json'], { state: fake.dir, cwd: dir })).Name).toBe('from-toml');
    const config = await fly(['status', '--json', '-c', `${dir}/fly.toml`], { state: fake.dir });
    expect(json(config).Name).toBe('from-toml');
    const missing = await fly(['status', '-c', '/nonexistent/fly.toml'], { state: fake.dir });
    expect(missing.stderr).toBe(
      'Error: config file not found at specified path: /nonexistent/fly.toml (also tried: /nonexistent/fly.toml/fly.toml)\n',
    );
  });
});
