/** Colour on stderr is stderr's own business: a terminal's stdout does not put escape codes into `2> file`. */
import { expect, test } from 'vitest';
import { runCli } from '../../../src/cli.js';

function run(argv: string[], tty: { stdout: boolean; stderr: boolean }, env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const io = {
    argv,
    env: { PATH: '/nonexistent', TERM: 'xterm-256color', ...env },
    cwd: '/',
    stdout: { isTTY: tty.stdout, write: (t: string) => void (out += t) },
    stderr: { isTTY: tty.stderr, write: (t: string) => void (err += t) },
    stdinTTY: false,
    signal: new AbortController().signal,
    host: { nodeVersion: '22.12.0', platform: 'linux' as const, arch: 'x64', pid: 1 },
  };
  return runCli(io).then((code) => ({ code, out, err }));
}

// eslint-disable-next-line no-control-regex
const ESC = /\u001b\[/;

test('stdout a terminal, stderr a file: the error reaches the file without escape codes', async () => {
  const r = await run(['detect', '--nope'], { stdout: true, stderr: false });
  expect(r.code).toBe(2);
  expect(r.err).toContain("Unknown option '--nope'.");
  expect(r.err).not.toMatch(ESC);
});

test('both terminals: the error is coloured; FORCE_COLOR colours a file too; NO_COLOR never', async () => {
  expect((await run(['detect', '--nope'], { stdout: true, stderr: true })).err).toMatch(ESC);
  expect((await run(['detect', '--nope'], { stdout: true, stderr: false }, { FORCE_COLOR: '1' })).err).toMatch(ESC);
  expect((await run(['detect', '--nope'], { stdout: true, stderr: true }, { NO_COLOR: '1' })).err).not.toMatch(ESC);
});
