/**
 * gpuctl as a user gets it: `npm pack` (the real one, prepack included, in a copy of the package so
 * the repository's dist/ is never touched), installed globally into a temporary prefix, and run from a
 * directory outside the repository with the fakes on PATH. The prepack's `build:native-fat` compiles
 * native/ with the real make and the fake nvcc and g++ (test/bin), so the tarball has every file a
 * release has; its fat binary is the fake benchmark program. The install resolves dependencies as a
 * user's does: from the npm cache where it can (--prefer-offline), else from the registry.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TEMPLATE_NAMES } from '../../src/init/templates.js';
import { fakePath, onPath, ROOT, tempHome } from '../helpers/cli.js';
import { H100 } from './bench-helpers.js';

const MAKE = onPath('make');
/** native/Makefile's own needs besides the compilers: make, and the coreutils and text tools it calls. */
const BUILD_TOOLS = Object.fromEntries(['make', 'mkdir', 'date', 'sed', 'grep', 'head'].map((tool) => [tool, onPath(tool)]));
const NPM = onPath('npm');
/** What `files` in package.json ships beside dist/ (compared with the repository's own files). */
const NATIVE_SOURCES = readdirSync(join(ROOT, 'native/src')).map((f) => `native/src/${f}`);

interface Packed {
  tarball: string;
  files: string[];
}
let packed: Packed;
let prefix: string;
let installed: string;
/** The copy, the tarball and the prefix (143 packages): removed after the tests. */
const scratch: string[] = [];

/** Every file under dir, relative, sorted. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** esbuild's content hashes in chunk names vary with the sources; the shape of the list does not. */
const unhashed = (files: readonly string[]) => [...new Set(files.map((f) => f.replace(/-[A-Z0-9]{8}\.js/, '-HASH.js')))].sort();

async function npm(args: readonly string[], cwd: string, path: string): Promise<string> {
  const run = await execa(NPM, args, {
    cwd,
    reject: false,
    timeout: 240_000,
    env: { PATH: path, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  });
  if (run.exitCode !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${run.exitCode}):\n${run.stderr.slice(-3000)}`);
  return run.stdout;
}

beforeAll(async () => {
  // A copy of what the package is made from; node_modules is linked (esbuild and execa for the scripts).
  const src = join(mkdtempSync(join(tmpdir(), 'gpuctl-pack-src-')), 'gpuctl');
  scratch.push(dirname(src));
  mkdirSync(src);
  for (const entry of [
    'package.json',
    'README.md',
    'LICENSE',
    'bin',
    'src',
    'scripts',
    'native',
    'templates',
    'docs',
    'examples',
    'tsconfig.json',
  ])
    cpSync(join(ROOT, entry), join(src, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  const out = mkdtempSync(join(tmpdir(), 'gpuctl-pack-out-'));
  scratch.push(out);
  // The fake compilers first on PATH; npm, sh and the rest from the host.
  const buildPath = `${fakePath(['nvcc', 'g++'], { make: MAKE })}:${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
  // The prepack scripts print to the same stdout; npm's JSON report comes last.
  const stdout = await npm(['pack', '--json', '--pack-destination', out], src, buildPath);
  const report = JSON.parse(stdout.slice(stdout.lastIndexOf('\n[\n') + 1)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packed = { tarball: join(out, report[0]!.filename), files: report[0]!.files.map((f) => f.path).sort() };
  prefix = mkdtempSync(join(tmpdir(), 'gpuctl-prefix-'));
  scratch.push(prefix);
  await npm(
    ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', packed.tarball],
    out,
    `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  );
  installed = join(prefix, 'lib/node_modules/gpuctl');
}, 300_000);

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
}, 120_000);

/** The installed gpuctl, from a fresh directory outside the repository, PATH holding node and the named fakes. */
async function gpuctl(
  args: readonly string[],
  options: { tools?: readonly string[]; extra?: Record<string, string>; env?: Record<string, string>; cwd?: string } = {},
) {
  const home = tempHome();
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'gpuctl-user-'));
  const run = await execa(join(prefix, 'bin/gpuctl'), args, {
    cwd,
    reject: false,
    extendEnv: false,
    timeout: 30_000,
    env: {
      PATH: fakePath(options.tools ?? [], options.extra ?? {}),
      HOME: home,
      XDG_CACHE_HOME: join(home, '.cache'),
      NO_COLOR: '1',
      ...options.env,
    },
  });
  return { exitCode: run.exitCode ?? -1, stdout: String(run.stdout), stderr: String(run.stderr), cwd, home };
}

describe('npm pack', () => {
  test('ships the built CLI, the templates, the native/ sources, the prebuilt benchmark program, the docs pages, examples and LICENSE; nothing else of the development tree', () => {
    const files = packed.files;
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'bin/gpuctl.js',
        'dist/cli.js',
        'dist/native/gpuctl-bench',
        'native/Makefile',
        'native/PROTOCOL.md',
      ]),
    );
    expect(files).toEqual(expect.arrayContaining(TEMPLATE_NAMES.map((t) => `templates/${t}`)));
    expect(files).toEqual(expect.arrayContaining(NATIVE_SOURCES));
    // Beside the code: the docs pages and the example its messages point to (packed-references.test.ts), and the LICENSE.
    expect(
      files.filter(
        (f) =>
          !/^(bin|dist|templates|native|examples)\/|^docs\/[^/]+\.md$/.test(f) && !['package.json', 'README.md', 'LICENSE'].includes(f),
      ),
    ).toEqual([]);
    expect(files.filter((f) => f.startsWith('native/') && !f.startsWith('native/src/'))).toEqual([
      'native/Makefile',
      'native/PROTOCOL.md',
      'native/fat-arches.json',
    ]);
  });

  test('a pack without scripts after `npm run build` lists the same files but the prebuilt binary (what prepack adds)', async () => {
    const report = JSON.parse(
      await npm(['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT, `${dirname(process.execPath)}:${process.env.PATH ?? ''}`),
    ) as Array<{ files: Array<{ path: string }> }>;
    const quick = report[0]!.files.map((f) => f.path).filter((f) => f !== 'dist/native/gpuctl-bench');
    expect(unhashed(quick)).toEqual(unhashed(packed.files.filter((f) => f !== 'dist/native/gpuctl-bench')));
  });
});

describe('installed globally, run from elsewhere', () => {
  test('--version and --help answer without a build step', async () => {
    const version = await gpuctl(['--version']);
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    const help = await gpuctl(['--help']);
    expect(help.exitCode).toBe(0);
    for (const command of ['detect', 'doctor', 'bench', 'init', 'validate', 'deploy', 'status', 'health', 'scale'])
      expect(help.stdout).toContain(command);
  });

  test('detect finds the GPU through nvidia-smi', async () => {
    const run = await gpuctl(['detect', '--json'], { tools: ['nvidia-smi'], env: { FAKE_NVIDIA_SMI_FIXTURE: H100 } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ gpus: [{ name: 'NVIDIA H100 80GB HBM3' }] });
  });

  test('init finds its templates, and validate passes what it wrote', async () => {
    const init = await gpuctl(['init', '--yes', '--workload', 'batch']);
    expect(init.exitCode, init.stderr).toBe(0);
    expect(readdirSync(init.cwd).sort()).toEqual([
      '.dockerignore',
      '.gpuctl',
      '.gpuctl.json',
      'Dockerfile',
      'fly.toml',
      'gpuctl-start.sh',
      'prometheus',
    ]);
    expect(readdirSync(join(init.cwd, '.gpuctl'))).toEqual(['gpuctl.tgz']);
    // The application's own files, which init's Next line asks for.
    writeFileSync(join(init.cwd, 'requirements.txt'), '');
    writeFileSync(join(init.cwd, 'app.py'), '');
    const validate = await gpuctl(['validate'], { cwd: init.cwd });
    expect(validate.stdout).toContain('fly.toml, Dockerfile: no problems found.');
    expect(validate.exitCode).toBe(0);
  });

  test('bench --list compiles the installed native/ (the CPU build) into the user cache, never into the package', async () => {
    const before = listFiles(installed);
    const run = await gpuctl(['bench', '--list', '--json'], { tools: ['c++'], extra: BUILD_TOOLS });
    expect(run.exitCode, run.stderr).toBe(0);
    const kernels = (JSON.parse(run.stdout) as { kernels: Array<{ suite: string; name: string }> }).kernels;
    expect(kernels.map((k) => `${k.suite}/${k.name}`)).toContain('memory/triad');
    const cache = join(run.home, '.cache/gpuctl/bench');
    const built = readdirSync(cache).filter((e) => /^[0-9a-f]{64}$/.test(e));
    expect(built).toHaveLength(1);
    expect(statSync(join(cache, built[0]!, 'gpuctl-bench')).mode & 0o111).not.toBe(0);
    expect(listFiles(installed)).toEqual(before);
  });

  test('without a compiler, bench --list runs the prebuilt binary the package ships', async () => {
    const run = await gpuctl(['bench', '--list']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/memory\s+triad/);
    writeFileSync(join(run.cwd, 'marker'), '');
    expect(listFiles(installed)).not.toContain('marker');
  });
});
