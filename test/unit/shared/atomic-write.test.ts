/**
 * The one atomic write (src/shared/atomic-write.ts): the target is replaced whole or not at all, and
 * a failure leaves no temporary file behind. The mid-write failure is real: a child Node process runs
 * the helper under `ulimit -f 1` (files over 1 KiB fail with EFBIG), so the write stops part way.
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { tempPathFor, writeFileAtomic } from '../../../src/shared/atomic-write.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'gpuctl-atomic-'));

describe('writeFileAtomic', () => {
  it('replaces the file and leaves nothing else in the directory', () => {
    const dir = fresh();
    const file = join(dir, 'report.json');
    writeFileSync(file, 'old');
    writeFileAtomic(file, 'new');
    writeFileAtomic(file, Buffer.from('newer'));
    expect(readFileSync(file, 'utf8')).toBe('newer');
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('gives the file exactly the mode asked for, whatever the umask', () => {
    const dir = fresh();
    writeFileAtomic(join(dir, 'state.json'), '{}', 0o600);
    writeFileAtomic(join(dir, 'start.sh'), '#!/bin/sh\n', 0o755);
    expect(statSync(join(dir, 'state.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'start.sh')).mode & 0o777).toBe(0o755);
  });

  it('names each temporary file at random, beside the target (never by process id)', () => {
    const names = new Set(Array.from({ length: 50 }, () => tempPathFor('/data/fly.toml')));
    expect(names.size).toBe(50);
    for (const name of names) expect(name).toMatch(/^\/data\/\.fly\.toml\.[0-9a-f]{12}\.tmp$/);
    expect([...names].some((name) => name.includes(String(process.pid)))).toBe(false);
  });

  it('a directory in the way is refused before anything is written: no temporary file, the directory as it was', () => {
    const dir = fresh();
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'x');
    expect(() => writeFileAtomic(target, 'text')).toThrow(`${target} is a directory; gpuctl replaces only regular files.`);
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readdirSync(target)).toEqual(['inside']);
  });

  it('a write that fails part way (EFBIG) leaves the original intact and no temporary file', async () => {
    const dir = fresh();
    const target = join(dir, 'fly.toml');
    writeFileSync(target, 'app = "mine"\n');
    const runner = join(dir, '..', `${dir.split('/').pop()}-runner.mjs`);
    await build({
      stdin: {
        contents: `import { writeFileAtomic } from './src/shared/atomic-write.ts';
try { writeFileAtomic(process.argv[2], 'x'.repeat(100_000)); console.log('written'); }
catch (error) { console.log(error.code); }`,
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: runner,
      logLevel: 'silent',
    });
    const child = execaSync('bash', ['-c', 'ulimit -f 1 && exec "$0" "$1" "$2"', process.execPath, runner, target], { reject: false });
    expect(child.stdout.trim()).toBe('EFBIG');
    expect(readFileSync(target, 'utf8')).toBe('app = "mine"\n');
    expect(readdirSync(dir)).toEqual(['fly.toml']);
  });

  it('refuses a FIFO, a directory and a socket, naming what each is, and leaves each as it was', async () => {
    const dir = fresh();
    const fifo = join(dir, 'pipe');
    execaSync('mkfifo', [fifo]);
    expect(() => writeFileAtomic(fifo, 'x')).toThrow(`${fifo} is a FIFO (named pipe); gpuctl replaces only regular files.`);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    mkdirSync(join(dir, 'sub'));
    expect(() => writeFileAtomic(join(dir, 'sub'), 'x')).toThrow('is a directory; gpuctl replaces only regular files.');
    const socket = join(dir, 'sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      expect(() => writeFileAtomic(socket, 'x')).toThrow('is a socket; gpuctl replaces only regular files.');
      expect(lstatSync(socket).isSocket()).toBe(true);
    } finally {
      server.close();
    }
    expect(readdirSync(dir).sort()).toEqual(['pipe', 'sub']); // the socket's file went with its server
  });

  it('writes a character device directly (/dev/null stays a device)', () => {
    writeFileAtomic('/dev/null', 'discarded');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('writes through a symlink: the link stays, the file it names is replaced', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'real.json'), 'old');
    symlinkSync('real.json', join(dir, 'link.json'));
    writeFileAtomic(join(dir, 'link.json'), 'new');
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.json'), 'utf8')).toBe('new');
  });
});
