/**
 * What each command loads at start-up (issue 19 item 11): the built CLI run with a resolve hook that records every
 * module it imports. Help loads no command's dependencies; validate no process runner; detect on a machine without
 * nvidia-smi neither execa (the missing tool is answered from PATH) nor systeminformation (the host is read from
 * /proc and /sys). The times themselves are measured by `npm run bench:startup` (docs/benchmarks.md), not here.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { fakePath, ROOT, runGpuctl } from '../helpers/cli.js';

/** The file URLs a command resolved and the built-in modules it loaded (`node:<name>`), as import-trace.mjs records them. */
async function traced(args: readonly string[], options: { cwd?: string; path?: string } = {}): Promise<string[]> {
  const trace = join(mkdtempSync(join(tmpdir(), 'gpuctl-imports-')), 'trace.txt');
  writeFileSync(trace, '');
  const run = await execa(
    process.execPath,
    ['--import', join(ROOT, 'test/helpers/import-trace.mjs'), join(ROOT, 'bin/gpuctl.js'), ...args],
    {
      reject: false,
      extendEnv: false,
      cwd: options.cwd ?? ROOT,
      timeout: 20_000,
      env: { PATH: options.path ?? fakePath([]), HOME: tmpdir(), NO_COLOR: '1', IMPORT_TRACE_FILE: trace },
    },
  );
  expect(run.exitCode, String(run.stderr)).toBe(0);
  return readFileSync(trace, 'utf8').split('\n');
}

/** The packages a command loaded, by name. */
async function packagesLoaded(args: readonly string[], options: { cwd?: string; path?: string } = {}): Promise<string[]> {
  const urls = await traced(args, options);
  const names = urls
    .map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1])
    .filter((name): name is string => name !== undefined);
  // The packages scripts/build.mjs bundles in (INLINE) live in dist chunks, each module after a `// node_modules/<name>/…` line.
  for (const url of urls.filter((u) => u.startsWith('file:') && u.includes('/dist/chunks/'))) {
    for (const m of readFileSync(fileURLToPath(url), 'utf8').matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)) names.push(m[1]!);
  }
  return [...new Set(names)].sort();
}

/** Node's own modules that cost start-up time (each ~10 ms on a small machine: node:net and more come with the first two). */
const HEAVY_BUILTINS = ['node:child_process', 'node:crypto', 'node:tty'];

async function smallProject(): Promise<string> {
  const cwd = mkdtempSync(join(tmpdir(), 'gpuctl-imports-project-'));
  expect((await runGpuctl(['init', '--yes'], { cwd })).exitCode).toBe(0);
  writeFileSync(join(cwd, 'requirements.txt'), '');
  writeFileSync(join(cwd, 'app.py'), 'print("serving")\n');
  return cwd;
}

/** What only some commands need: never loaded where they are not. */
const HEAVY = ['systeminformation', 'execa', 'ajv', 'prom-client', 'autocannon', 'zod', '@inquirer/prompts', 'ora'];

describe('start-up imports', () => {
  test('--help loads commander and chalk, no parser and no command dependency', async () => {
    const loaded = await packagesLoaded(['--help']);
    expect(loaded).toContain('commander');
    expect(loaded.filter((p) => [...HEAVY, 'cli-table3', 'smol-toml', 'yaml', 'dockerfile-ast'].includes(p))).toEqual([]);
  });

  test('validate of a small project loads its parsers, no YAML parser without a compose file, nothing that runs processes', async () => {
    const loaded = await packagesLoaded(['validate'], { cwd: await smallProject() });
    expect(loaded).toEqual(expect.arrayContaining(['smol-toml', 'dockerfile-ast']));
    expect(loaded.filter((p) => [...HEAVY, 'yaml'].includes(p))).toEqual([]);
  });

  // commander requires child_process for executable subcommands (gpuctl has none), chalk reads the terminal
  // through tty for default instances gpuctl never uses, atomic-write needs crypto only to write: scripts/build.mjs
  // and src/shared/atomic-write.ts keep them out of every start that does not need them.
  test('--help and validate load neither child_process, crypto nor tty', async () => {
    const help = await traced(['--help']);
    expect(help).toContain('node:fs'); // the trace sees built-ins
    expect(help.filter((m) => HEAVY_BUILTINS.includes(m))).toEqual([]);
    const validate = await traced(['validate'], { cwd: await smallProject() });
    expect(validate.filter((m) => HEAVY_BUILTINS.includes(m))).toEqual([]);
  });

  test.skipIf(process.platform !== 'linux')('detect without nvidia-smi loads neither execa nor systeminformation', async () => {
    const loaded = await packagesLoaded(['detect'], { path: fakePath([]) });
    expect(loaded).toContain('cli-table3'); // the host table: the trace sees what detect renders with
    expect(loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
  });
});
