/**
 * Node 22.1+'s compile cache (src/cli.ts): kept in $XDG_CACHE_HOME/gpuctl/node-compile-cache, and a directory that
 * cannot be made means no cache, never an error or a hang. Node 22's own recursive mkdir never returns under /proc,
 * so before gpuctl made the directory itself, `XDG_CACHE_HOME=/proc/… gpuctl --version` hung on Node 22 and 24.
 * On Node 20 (no such cache) the same runs show that nothing is written for it. CI runs this file on 20, 22 and 24.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runGpuctl } from '../helpers/cli.js';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const hasCompileCache = major > 22 || (major === 22 && minor >= 1);

describe(`the compile cache on Node ${process.versions.node}`, () => {
  test(hasCompileCache ? 'is kept under XDG_CACHE_HOME' : 'is not written (Node 20 has none)', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'gpuctl-ncc-'));
    const run = await runGpuctl(['validate', '--help'], { env: { XDG_CACHE_HOME: cache } });
    expect(run.exitCode, run.stderr).toBe(0);
    const dir = join(cache, 'gpuctl', 'node-compile-cache');
    expect(existsSync(dir)).toBe(hasCompileCache);
    if (hasCompileCache) expect(readdirSync(dir).length).toBeGreaterThan(0);
  });

  test('under /proc: gpuctl starts without it (no hang, no error)', async () => {
    const run = await runGpuctl(['--version'], { env: { XDG_CACHE_HOME: '/proc/gpuctl-compile-cache-test' }, timeoutMs: 15_000 });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.stderr).toBe('');
  });

  test('where a file stands in the way: gpuctl starts without it', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'gpuctl-ncc-'));
    writeFileSync(join(cache, 'gpuctl'), 'not a directory\n');
    const run = await runGpuctl(['--version'], { env: { XDG_CACHE_HOME: cache } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
  });
});
