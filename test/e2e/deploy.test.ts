import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeployReport } from '../../src/deploy/report.js';
import { fakePath } from '../helpers/cli.js';
import { deployedWorld, expectNoToken, FLY_TOML, TOKEN, world } from './fly-world.js';

const report = (stdout: string) => JSON.parse(stdout) as DeployReport;

describe('gpuctl deploy against the fake flyctl', () => {
  it('creates the app, deploys, verifies every machine, and keeps a redacted log', async () => {
    const w = world();
    const run = await w.gpuctl(['deploy', '--create', '--org', 'personal', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const r = report(run.stdout);
    expect(r).toMatchObject({
      ok: true,
      outcome: 'deployed',
      app: 'quant-signals',
      release: { version: 1 },
      regions: ['ord'],
      error: null,
    });
    expect(r.preflight.map((p) => `${p.name}:${p.status}`)).toEqual([
      'flyctl:pass',
      'login:pass',
      'fly.toml:pass',
      'app:pass',
      'region:pass',
    ]);
    expect(r.machines.length).toBeGreaterThanOrEqual(1);
    expect(r.machines.every((m) => m.state === 'started' && m.release === 1)).toBe(true);
    expect(r.checks.passing).toBe(r.checks.total);
    expect(r.logFile && existsSync(r.logFile)).toBe(true);
    expect(readFileSync(r.logFile!, 'utf8')).toContain('Visit your newly deployed app at https://quant-signals.fly.dev/');
    expectNoToken(run);
  });

  it('redeploys with the phases on the spinner and a summary naming the release it replaced', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['deploy']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/✓ Verified app config \(.*\n✓ Built image registry\.fly\.io\/quant-signals:deployment-\w+ \(/);
    expect(run.stderr).toMatch(/✓ Released \(/);
    expect(run.stderr).toMatch(/✓ \d machines? of v2 started in ord, checks (\d)\/\1 passing/);
    expect(run.stdout).toMatch(/^Deployed quant-signals v2 in /);
    expect(run.stdout).toMatch(/Release\s+v2 \(was v1\) {2}registry\.fly\.io\/quant-signals:deployment-\w+\n/);
    expect((await w.releases())[0]).toMatchObject({ Version: 2, Status: 'complete' });
  });

  // issue 18: deploy always sent --wait-timeout 300s, overriding fly.toml's wait_timeout (10m in the generated one).
  it("--dry-run without --wait-timeout leaves flyctl fly.toml's wait_timeout", async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['deploy', '--dry-run']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('flyctl deploy --app=quant-signals --config=fly.toml --yes');
    expect(run.stdout).not.toContain('--wait-timeout=');
  });

  it('--dry-run runs the preflight and prints the exact commands, changing nothing', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['deploy', '--dry-run', '--rollback', '--wait-timeout', '90s']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('flyctl deploy --app=quant-signals --config=fly.toml --wait-timeout=90s --yes');
    expect(run.stdout).toMatch(
      /flyctl deploy --app=quant-signals --config=fly\.toml --image=registry\.fly\.io\/quant-signals:\S+ --wait-timeout=90s --yes {2}# only if the deploy fails/,
    );
    expect(await w.releases()).toHaveLength(1);
  });

  // An app-scoped deploy token (`fly tokens create deploy -a <app>`, what the hints recommend for CI) cannot run
  // `flyctl apps list` (simonw/datasette.io#188, 2026-09); the app's own releases say whether it exists.
  it('deploys with a token that may not list the apps: the preflight does not need `apps list`', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['deploy', '--json'], { FAKE_FLYCTL_FAULT: 'unauthorized', FAKE_FLYCTL_FAULT_ON: 'apps list' });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report(run.stdout)).toMatchObject({ ok: true, release: { version: 2 }, previousRelease: { version: 1 } });
  });

  it('stops at preflight on a GPU guest, with the retirement message and the CPU layout', async () => {
    const w = await deployedWorld();
    writeFileSync(
      join(w.dir, 'fly.toml'),
      FLY_TOML.replace('size = "performance-2x"', 'size = "performance-8x"\n  gpu_kind = "a100-pcie-40gb"'),
    );
    const run = await w.gpuctl(['deploy']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('fly.toml:15 asks for a GPU guest (gpu_kind "a100-pcie-40gb"). Fly.io retired GPU Machines on 2026-08-01');
    expect(run.stderr).toContain('[[vm]]\n  size = "performance-8x"');
    expect(run.stdout).toContain('Preflight failed: nothing was built or deployed.');
    expect(await w.releases()).toHaveLength(1);
  });

  it('--create does not create the app when preflight fails (a GPU guest): nothing changes on Fly', async () => {
    const w = world(FLY_TOML.replace('size = "performance-2x"', 'size = "a100-40gb"'));
    const run = await w.gpuctl(['deploy', '--create', '--org', 'personal', '--json']);
    expect(run.exitCode).toBe(1);
    expect(report(run.stdout).preflight.find((p) => p.name === 'app')).toMatchObject({
      status: 'warn',
      detail: 'quant-signals does not exist: not created, since preflight failed',
    });
    const apps = await w.flyctl(['apps', 'list', '--json']);
    expect(JSON.parse(apps.stdout)).toEqual([]);
  });

  it('runs the validate rules at preflight: an [env] name Fly reserves stops the deploy before any build', async () => {
    const w = await deployedWorld();
    writeFileSync(join(w.dir, 'fly.toml'), `${FLY_TOML}\n[env]\n  FLY_REGION_HINT = "ord"\n`);
    const run = await w.gpuctl(['deploy', '--json']);
    expect(run.exitCode).toBe(1);
    const r = report(run.stdout);
    expect(r.preflight.find((p) => p.name === 'fly.toml')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('FLY_REGION_HINT') as string,
    });
    expect(await w.releases()).toHaveLength(1);
  });

  it('-c with a file that is not TOML is bad input: exit 2, as the README says, nothing deployed', async () => {
    const w = await deployedWorld();
    writeFileSync(join(w.dir, 'broken.toml'), 'app = "quant-signals"\n[http_service\n  internal_port = 8080\n');
    const run = await w.gpuctl(['deploy', '-c', 'broken.toml', '--json']);
    expect(run.exitCode).toBe(2);
    const r = report(run.stdout);
    expect(r.error).toMatchObject({ code: 'usage', exitCode: 2 });
    expect(r.error?.message).toMatch(/^broken\.toml:2: Not valid TOML/);
    expect(await w.releases()).toHaveLength(1);
  });

  it('--allow-gpu goes on, and Fly rejects the GPU machine', async () => {
    const w = await deployedWorld();
    writeFileSync(join(w.dir, 'fly.toml'), FLY_TOML.replace('size = "performance-2x"', 'size = "a100-40gb"'));
    const run = await w.gpuctl(['deploy', '--allow-gpu', '--json']);
    expect(run.exitCode).toBe(1);
    const r = report(run.stdout);
    expect(r.preflight.find((p) => p.name === 'fly.toml')).toMatchObject({ status: 'warn' });
    expect(r.outcome).toBe('deploy-failed');
    expect(r.error?.message).toContain('retired GPU Machines');
    expect(r.error?.message).toContain('config.guest.gpu_kind and config.guest.gpus must be unset');
    expect(r.error?.message).toContain('rejects GPU guests (gpu_kind "a100-pcie-40gb")');
    // What works today, for this file: the CPU layout with the preset's 32 GB; no bogus "the app has no machines".
    expect(r.error?.hint).toContain('Today only a CPU layout deploys.');
    expect(r.error?.hint).toContain('That [[vm]] in fly.toml becomes:\n\n[[vm]]\n  size = "performance-8x"\n  memory = "32gb"\n');
    expect(r.problems).toEqual([]);
  });

  it('--allow-gpu: the rejection names the gpu_kind fly.toml asks for', async () => {
    const w = await deployedWorld();
    writeFileSync(join(w.dir, 'fly.toml'), FLY_TOML.replace('size = "performance-2x"', 'size = "performance-8x"\n  gpu_kind = "l40s"'));
    const run = await w.gpuctl(['deploy', '--allow-gpu']);
    expect(run.exitCode).toBe(1);
    // flyctl's own words (an update of the running machine here), then the retirement.
    expect(run.stderr).toMatch(
      /Error: Fly\.io rejected the GPU guest fly\.toml:15 asks for: flyctl said "failed to update VM [0-9a-f]{14}: GPU machines are no longer supported: config\.guest\.gpu_kind and config\.guest\.gpus must be unset"\. Fly\.io retired GPU Machines on 2026-08-01: the Machines API rejects GPU guests \(gpu_kind "l40s"\)/,
    );
    expect(run.stdout).not.toContain('no machines');
    expect(run.stderr).not.toContain('gpu_kind "gpu"');
  });

  it('without a token: not logged in, nothing deployed', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['deploy'], { FLY_API_TOKEN: '' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('Error: flyctl is not logged in to Fly.io.');
    expect(run.stderr).toContain('- app      needs a logged-in flyctl');
  });

  it('an app that does not exist stops the preflight unless --create', async () => {
    const w = world();
    const run = await w.gpuctl(['deploy']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('The Fly app "quant-signals" does not exist');
    expect(run.stderr).toContain('--create');
  });

  it('app-not-found from flyctl itself is a clear error', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['deploy', '--json'], { FAKE_FLYCTL_FAULT: 'app-not-found', FAKE_FLYCTL_FAULT_ON: 'releases' });
    expect(run.exitCode).toBe(1);
    expect(report(run.stdout).error?.message).toBe('The Fly app "quant-signals" does not exist, or this token cannot see it.');
  });

  it('flyctl interrupted (exit 127) → exit 130, saying what state the app may be in', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['deploy'], { FAKE_FLYCTL_FAULT: 'interrupted', FAKE_FLYCTL_FAULT_ON: 'deploy' });
    expect(run.exitCode).toBe(130);
    expect(run.stderr).toContain(
      'Error: Interrupted during `flyctl deploy` (verifying app config). No release had started: quant-signals should still run v1.',
    );
    expect(run.stderr).toContain('Check with `gpuctl status -a quant-signals`');
  });

  it('a hung flyctl is stopped at its timeout', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['deploy'], {
      FAKE_FLYCTL_FAULT: 'hang',
      FAKE_FLYCTL_FAULT_ON: 'auth whoami',
      GPUCTL_FLYCTL_TIMEOUT_MS: '1500',
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('did not finish within 2 s and was stopped');
  });

  it('without flyctl: exit 3 with how to install it', async () => {
    const w = world();
    const run = await w.gpuctl(['deploy'], { PATH: fakePath([]) });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('flyctl is not installed');
  });

  // FLYCTL set to a path with no program was reported as "neither `flyctl` nor `fly` is on PATH", though only FLYCTL was tried.
  it('FLYCTL naming no program: exit 3, naming FLYCTL', async () => {
    const w = world();
    const run = await w.gpuctl(['deploy'], { FLYCTL: '/nonexistent/flyctl' });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('FLYCTL is set to "/nonexistent/flyctl", and there is no such program.');
  });

  it('appends a markdown summary to GITHUB_STEP_SUMMARY', async () => {
    const w = await deployedWorld();
    const summary = join(w.dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const run = await w.gpuctl(['deploy'], { GITHUB_STEP_SUMMARY: summary });
    expect(run.exitCode, run.stderr).toBe(0);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^# earlier step\n### ✅ gpuctl deploy: quant-signals v2\n/);
    expect(md).toMatch(/\| `\w+` \| ord \| started \| v2 \| 1\/1 \|/);
  });

  it('never prints the token, even with --verbose and the token in a build arg', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['deploy', '--verbose', '--build-arg', `HF_TOKEN=${TOKEN}`]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('$ flyctl deploy --app=quant-signals');
    expect(run.stderr).toContain('--build-arg=HF_TOKEN=[REDACTED]');
    expectNoToken(run);
    const log = /Log\s+(\S+)/.exec(run.stdout)?.[1];
    expectNoToken(readFileSync(log!, 'utf8'));
  });
});

describe('Ctrl-C during gpuctl deploy', () => {
  it('stops flyctl and says what state the app may be in', async () => {
    const { execa } = await import('execa');
    const { fakePath, ROOT, tempHome } = await import('../helpers/cli.js');
    const w = await deployedWorld();
    const child = execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), 'deploy'], {
      reject: false,
      cwd: w.dir,
      extendEnv: false,
      env: {
        PATH: fakePath(['flyctl']),
        HOME: tempHome(),
        NO_COLOR: '1',
        FAKE_FLYCTL_STATE: w.state,
        FLY_API_TOKEN: TOKEN,
        FAKE_FLYCTL_FAULT: 'hang',
        FAKE_FLYCTL_FAULT_ON: 'deploy',
      },
      timeout: 20_000,
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('✓ region')) setTimeout(() => child.kill('SIGINT'), 300);
    });
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toContain(
      'Error: Interrupted during `flyctl deploy` (verifying app config). No release had started: quant-signals should still run v1.',
    );
    expect(await w.releases()).toHaveLength(1);
  });
});
