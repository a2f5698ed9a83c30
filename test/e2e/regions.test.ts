/**
 * One region list, one refusal: init, validate, scale and deploy say the same about an unknown
 * region, with the nearest codes. The list is refreshed from `flyctl platform regions --json` by the
 * commands that talk to flyctl (cached under XDG_CACHE_HOME for 7 days); init and validate read the
 * cached copy, or the built-in one, and never start flyctl.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGpuctl } from '../helpers/cli.js';
import { deployedWorld, FLY_TOML } from './fly-world.js';

const REFUSAL = 'Error: Unknown Fly.io region "xyz".\nHint: Did you mean yyz? Known regions (';
const cacheHome = () => mkdtempSync(join(tmpdir(), 'gpuctl-cache-'));
const cacheFile = (home: string) => join(home, 'gpuctl', 'fly-regions.json');
const writeCache = (home: string, fetchedAt: string, codes: string[]) => {
  mkdirSync(join(home, 'gpuctl'), { recursive: true });
  writeFileSync(cacheFile(home), JSON.stringify({ fetchedAt, regions: codes.map((code) => ({ code, name: code })) }));
};

describe('an unknown region is refused the same way everywhere', () => {
  it('init --region xyz: exit 2, nothing written', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gpuctl-e2e-init-'));
    const run = await runGpuctl(['init', '--yes', '--region', 'xyz'], { cwd });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(REFUSAL);
    expect(existsSync(join(cwd, 'fly.toml'))).toBe(false);
  });

  it('validate: a region-unknown finding with the same words, at the line of primary_region', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gpuctl-e2e-validate-'));
    writeFileSync(join(cwd, 'fly.toml'), FLY_TOML.replace('primary_region = "ord"', 'primary_region = "xyz"'));
    const run = await runGpuctl(['validate', '--json'], { cwd });
    expect(run.exitCode).toBe(1);
    const { findings } = JSON.parse(run.stdout) as { findings: Array<{ id: string; line: number; message: string; fix: string }> };
    expect(findings).toEqual([
      expect.objectContaining({
        id: 'region-unknown',
        line: 2,
        message: 'Unknown Fly.io region "xyz".',
        fix: expect.stringContaining('Did you mean yyz?') as string,
      }),
    ]);
  });

  it('scale count --region xyz: exit 2 before any plan, nothing scaled', async () => {
    const w = await deployedWorld();
    const run = await w.gpuctl(['scale', 'count', '3', '--region', 'ord,xyz', '--yes']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(REFUSAL);
    expect(run.stderr).not.toContain('machine in xyz');
    const machines = JSON.parse((await w.flyctl(['machine', 'list', '--app', 'quant-signals', '--json'])).stdout) as unknown[];
    expect(machines).toHaveLength(2);
  });

  it('deploy with primary_region = "xyz": exit 2, nothing deployed', async () => {
    const w = await deployedWorld(FLY_TOML.replace('primary_region = "ord"', 'primary_region = "xyz"'));
    const run = await w.gpuctl(['deploy']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(REFUSAL.replace('Known regions (', 'Known regions (flyctl platform regions, '));
    expect(await w.releases()).toHaveLength(1);
  });
});

describe('the list comes from flyctl when flyctl is there', () => {
  it('deploy refreshes the cached copy from `flyctl platform regions --json`', async () => {
    const w = await deployedWorld();
    const home = cacheHome();
    const run = await w.gpuctl(['deploy', '--dry-run', '--verbose'], { XDG_CACHE_HOME: home });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('$ flyctl platform regions --json');
    const cached = JSON.parse(readFileSync(cacheFile(home), 'utf8')) as { fetchedAt: string; regions: Array<{ code: string }> };
    expect(cached.regions.map((r) => r.code).sort()).toContain('yyz');
    expect(cached.regions).toHaveLength(18);
  });

  it('a cached copy younger than 7 days is used as it is; an older one is fetched again', async () => {
    const w = await deployedWorld();
    const home = cacheHome();
    writeCache(home, new Date().toISOString(), ['ord', 'qqq']);
    const fresh = await w.gpuctl(['scale', 'count', '2', '--region', 'qqq', '--dry-run', '--verbose'], { XDG_CACHE_HOME: home });
    expect(fresh.stderr).not.toContain('platform regions');
    expect(fresh.stderr).not.toContain('Unknown Fly.io region');
    writeCache(home, new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString(), ['ord', 'qqq']);
    const stale = await w.gpuctl(['scale', 'count', '2', '--region', 'qqq', '--dry-run', '--verbose'], { XDG_CACHE_HOME: home });
    expect(stale.stderr).toContain('$ flyctl platform regions --json');
    expect(stale.exitCode).toBe(2);
    expect(stale.stderr).toContain('Error: Unknown Fly.io region "qqq".');
  });

  it('init and validate use the cached copy offline, and never start flyctl', async () => {
    const home = cacheHome();
    writeCache(home, '2026-01-01T00:00:00.000Z', ['ord', 'qqq']);
    const cwd = mkdtempSync(join(tmpdir(), 'gpuctl-e2e-init-'));
    const env = { XDG_CACHE_HOME: home, FAKE_FLYCTL_FAULT: 'hang' };
    const init = await runGpuctl(['init', '--yes', '--region', 'qqq'], { cwd, env, tools: ['flyctl'] });
    expect(init.exitCode, init.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'fly.toml'), 'utf8')).toMatch(/primary_region = ['"]qqq['"]/);
    writeFileSync(join(cwd, 'requirements.txt'), '');
    writeFileSync(join(cwd, 'app.py'), '');
    const validate = await runGpuctl(['validate'], { cwd, env, tools: ['flyctl'] });
    expect(validate.exitCode, validate.stdout).toBe(0);
    const refused = await runGpuctl(['init', '--yes', '--region', 'yyz', '--dry-run'], { cwd, env, tools: ['flyctl'] });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('Known regions (flyctl platform regions, 2026-01-01): ord, qqq.');
  });
});
