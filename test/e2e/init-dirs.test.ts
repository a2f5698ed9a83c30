/**
 * `gpuctl init` where the filesystem says no: a pseudo filesystem (/proc, where Node's recursive
 * mkdir never returns), a file in the way, a FIFO where fly.toml should be. Each finishes with a
 * clear error within the timeout instead of hanging. And Fly's GPU size presets as --vm-size.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { describe, expect, test } from 'vitest';
import type { InitJson } from '../../src/init/result.js';
import { pseudoFilesystem } from '../../src/shared/make-dirs.js';
import { runGpuctl } from '../helpers/cli.js';
import { bench, benchEnv } from './bench-helpers.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'gpuctl-e2e-dirs-'));
const hasProc = pseudoFilesystem('/proc') === 'proc';
const quick = { timeoutMs: 10_000 };

describe.skipIf(!hasProc)('a pseudo filesystem (/proc is mounted here)', () => {
  test('init --dir under /proc fails with exit 2 and says why, instead of hanging in mkdir', async () => {
    const run = await runGpuctl(['init', '--yes', '--dir', `/proc/gpuctl-e2e-${process.pid}/app`], { cwd: fresh(), ...quick });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      `Error: Cannot create the directory /proc/gpuctl-e2e-${process.pid}: no such file or directory (ENOENT); /proc is on proc`,
    );
    expect(run.stderr).toContain('Hint: Pass --dir a directory on a real filesystem (not under a proc mount); nothing was written.');
  });

  test('init --dir /proc itself (it exists) is refused before any write', async () => {
    const run = await runGpuctl(['init', '--yes', '--json', '--dir', '/proc'], { cwd: fresh(), ...quick });
    expect(run.exitCode).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: { code: 'usage', message: 'Cannot write files in /proc: it is on proc, a kernel interface, not a filesystem for files.' },
    });
  });

  test('--dry-run under /proc reads nothing that blocks and writes nothing', async () => {
    const run = await runGpuctl(['init', '--yes', '--dry-run', '--dir', '/proc/gpuctl-e2e-dry'], { cwd: fresh(), ...quick });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('Dry run: nothing was written.');
  });

  test('bench with XDG_CACHE_HOME under /proc says the cache cannot be created (exit 2)', async () => {
    const setup = benchEnv();
    const run = await bench(['--build-only'], setup, { XDG_CACHE_HOME: '/proc/gpuctl-e2e-cache' }, 10_000);
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain('Error: Cannot create the directory /proc/gpuctl-e2e-cache: no such file or directory (ENOENT)');
    expect(run.stderr).toContain('Hint: Set XDG_CACHE_HOME to a writable directory');
  });
});

test('init --dir through a regular file is a usage error naming it', async () => {
  const cwd = fresh();
  writeFileSync(join(cwd, 'notes'), 'x\n');
  const run = await runGpuctl(['init', '--yes', '--dir', 'notes/app'], { cwd, ...quick });
  expect(run.exitCode).toBe(2);
  expect(run.stderr).toContain(`Error: Cannot create the directory ${join(cwd, 'notes/app')}: not a directory (ENOTDIR)`);
  expect(readFileSync(join(cwd, 'notes'), 'utf8')).toBe('x\n');
});

test('a FIFO where fly.toml should be is refused, not read (which would block forever)', async () => {
  const cwd = fresh();
  execaSync('mkfifo', [join(cwd, 'fly.toml')]);
  const run = await runGpuctl(['init', '--yes'], { cwd, ...quick });
  expect(run.exitCode).toBe(2);
  expect(run.stderr).toContain(`Error: ${join(cwd, 'fly.toml')} is a FIFO (named pipe), not a regular file`);
});

describe("Fly's GPU size presets as --vm-size", () => {
  test.each([
    ['a10', 'a10', 'ord'],
    ['l40s', 'l40s', 'ord'],
    ['a100-40gb', 'a100-pcie-40gb', 'ord'],
    ['a100-80gb', 'a100-sxm4-80gb', 'iad'],
  ])('init --vm-size %s writes the GPU layout of gpu_kind %s, the same files as --gpu-kind', async (preset, kind, region) => {
    const cwd = fresh();
    mkdirSync(join(cwd, 'by-kind'));
    const run = await runGpuctl(['init', '--yes', '--json', '--vm-size', preset, '--dir', 'by-preset'], { cwd });
    expect(run.exitCode, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout) as InitJson;
    expect(json.inputs).toMatchObject({ target: { kind: 'gpu', gpuKind: kind }, region });
    const fly = readFileSync(join(cwd, 'by-preset/fly.toml'), 'utf8');
    expect(fly).toContain(`gpu_kind = '${kind}'`);
    expect((await runGpuctl(['init', '--yes', '--gpu-kind', kind, '--dir', 'by-kind'], { cwd })).exitCode).toBe(0);
    // gpuctl's own package for the image is the same bytes either way.
    expect(readFileSync(join(cwd, 'by-preset/.gpuctl/gpuctl.tgz')).equals(readFileSync(join(cwd, 'by-kind/.gpuctl/gpuctl.tgz')))).toBe(
      true,
    );
    // Every file, those under prometheus/ (the alerting rules and dashboard) included.
    const files = readdirSync(join(cwd, 'by-kind'), { recursive: true, encoding: 'utf8' }).filter(
      (n) => !n.startsWith('.gpuctl') && statSync(join(cwd, 'by-kind', n)).isFile(),
    );
    expect(files).toContain('prometheus/gpuctl-alerts.yml');
    for (const name of files) {
      expect(readFileSync(join(cwd, 'by-preset', name), 'utf8'), name).toBe(
        readFileSync(join(cwd, 'by-kind', name), 'utf8').replaceAll('by-kind', 'by-preset'),
      );
    }
  });
});
