/**
 * init writes only inside its directory, and one init at a time per directory (shared/lock.ts, the lock
 * bench's build cache uses): a symlink that leads outside --dir is refused naming the link, before any
 * file is written (fly.toml and Dockerfile with --force, .gpuctl/gpuctl.tgz even without it); a link inside
 * the directory is written through; two inits at once never leave a mix of both runs' files.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { describe, expect, it } from 'vitest';
import { runGpuctl } from '../helpers/cli.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'gpuctl-init-'));

describe('init and symlinks', () => {
  it('--force refuses a fly.toml that links outside --dir, naming it; nothing is written', async () => {
    const cwd = fresh();
    const outside = join(fresh(), 'bashrc');
    writeFileSync(outside, 'export PS1=mine\n');
    mkdirSync(join(cwd, 'app'));
    symlinkSync(outside, join(cwd, 'app', 'fly.toml'));
    const run = await runGpuctl(['init', '--yes', '--force', '--dir', 'app', '--app', 'one'], { cwd });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      `${join(cwd, 'app', 'fly.toml')} leads outside ${join(cwd, 'app')} (to ${outside}) through a symbolic link`,
    );
    expect(readFileSync(outside, 'utf8')).toBe('export PS1=mine\n');
    expect(existsSync(join(cwd, 'app', 'Dockerfile'))).toBe(false);
  });

  it('without --force, a .gpuctl directory that links outside is refused too (the package is always written)', async () => {
    const cwd = fresh();
    const outside = fresh();
    symlinkSync(outside, join(cwd, '.gpuctl'));
    const run = await runGpuctl(['init', '--yes', '--app', 'one'], { cwd });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain(`${join(cwd, '.gpuctl', 'gpuctl.tgz')} leads outside ${cwd}`);
    expect(existsSync(join(outside, 'gpuctl.tgz'))).toBe(false);
    expect(existsSync(join(cwd, 'fly.toml'))).toBe(false);
  });

  it('a symlink inside the directory is written through', async () => {
    const cwd = fresh();
    mkdirSync(join(cwd, 'conf'));
    writeFileSync(join(cwd, 'conf', 'fly.toml'), 'app = "old"\n');
    symlinkSync('conf/fly.toml', join(cwd, 'fly.toml'));
    const run = await runGpuctl(['init', '--yes', '--force', '--app', 'one'], { cwd });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readlinkSync(join(cwd, 'fly.toml'))).toBe('conf/fly.toml');
    expect(readFileSync(join(cwd, 'conf', 'fly.toml'), 'utf8')).toMatch(/^app = ['"]one['"]$/m);
  });
});

describe('two inits at once into one directory', () => {
  it('an init waits while another holds the directory, then writes', async () => {
    const cwd = fresh();
    const lockPath = join(cwd, '.gpuctl-init.lock');
    // Another init, mid-write: it holds the directory's lock (the same call shared/lock.ts makes).
    const release = await lock(lockPath, { lockfilePath: lockPath, realpath: false });
    let done = false;
    const run = runGpuctl(['init', '--yes', '--app', 'alpha-app'], { cwd, timeoutMs: 60_000 }).finally(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(done).toBe(false);
    expect(existsSync(join(cwd, 'fly.toml'))).toBe(false);
    await release();
    const result = await run;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'fly.toml'), 'utf8')).toContain('alpha-app');
    expect(existsSync(lockPath)).toBe(false);
  });

  it('leave the files of one run, never a mix (8 concurrent pairs, both with --force)', async () => {
    const dirs = Array.from({ length: 8 }, fresh);
    await Promise.all(
      dirs.flatMap((cwd) =>
        ['alpha-app', 'bravo-app'].map((app) => runGpuctl(['init', '--yes', '--force', '--app', app], { cwd, timeoutMs: 60_000 })),
      ),
    );
    for (const cwd of dirs) {
      // The three files that name the app.
      const apps = ['fly.toml', 'Dockerfile', '.gpuctl.json'].map(
        (file) => /alpha-app|bravo-app/.exec(readFileSync(join(cwd, file), 'utf8'))?.[0],
      );
      expect(new Set(apps).size, `${cwd}: ${apps.join(' ')}`).toBe(1);
      expect(existsSync(join(cwd, '.gpuctl-init.lock'))).toBe(false);
    }
  }, 120_000);
});
