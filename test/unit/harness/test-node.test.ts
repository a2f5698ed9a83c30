/**
 * scripts/test-node.mjs, which runs vitest on another Node major: `--install-only` (what .ci/run uses to fetch Node 22
 * and 24 while npm test runs) prints the installed Node's path and runs nothing; a Node of the wrong major is refused.
 * The "installed" Node here is a script in a temporary XDG_CACHE_HOME, so no registry is asked.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli.js';

/** A cache holding node-<platform>-<arch>@MAJOR whose bin/node prints VERSION and logs every other call to LOG. */
function cacheWith(major: string, version: string) {
  const cache = mkdtempSync(join(tmpdir(), 'gpuctl-test-node-'));
  const bin = join(cache, 'gpuctl-dev', `node-${major}`, 'node_modules', `node-${process.platform}-${process.arch}`, 'bin');
  mkdirSync(bin, { recursive: true });
  const log = join(cache, 'calls.log');
  const node = join(bin, 'node');
  writeFileSync(node, `#!/bin/sh\n[ "$1" = --version ] && { echo ${version}; exit 0; }\necho "$@" >> '${log}'\n`);
  chmodSync(node, 0o755);
  return { cache, node, log };
}

const testNode = (args: string[], cache: string) =>
  execa(process.execPath, ['scripts/test-node.mjs', ...args], {
    cwd: ROOT,
    reject: false,
    timeout: 20_000,
    env: { XDG_CACHE_HOME: cache },
  });

it('--install-only prints the installed Node and starts no vitest', async () => {
  const { cache, node, log } = cacheWith('22', 'v22.99.0');
  const run = await testNode(['22', '--install-only'], cache);
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.stdout).toBe(node);
  // The stand-in Node logs every call but --version: vitest would have been one.
  expect(existsSync(log)).toBe(false);
});

it('refuses a cached Node of another major, naming it', async () => {
  const { cache } = cacheWith('24', 'v22.1.0');
  const run = await testNode(['24', '--install-only'], cache);
  expect(run.exitCode).toBe(3);
  expect(run.stderr).toContain('is v22.1.0, not Node 24');
});
