/** Commands fly.toml holds as one string: flyctl splits them with google/shlex and stops on what it cannot split. */
import { expect, test } from 'vitest';
import { shlexError } from '../../../src/validate/fly-command-rules.js';
import { validateFiles } from '../../../src/validate/index.js';

test("google/shlex's verdicts", () => {
  for (const ok of ['python -m app', `python -c 'print("x")'`, 'echo "a \\" b"', "echo it\\'s", 'run # a comment with an open "quote', ''])
    expect(shlexError(ok), ok).toBeNull();
  expect(shlexError(`python -c 'print(1)`)).toBe('EOF found when expecting closing quote');
  expect(shlexError('echo "unterminated')).toBe('EOF found when expecting closing quote');
  expect(shlexError('echo trailing\\')).toBe('EOF found after escape character');
});

test('release_command, [processes] and console_command that flyctl cannot split are errors at their lines', () => {
  const text = `app = "api"\nconsole_command = "bash -c 'x"\n[processes]\n  web = "python -m app"\n  worker = "celery -A 'app worker"\n[deploy]\n  release_command = "migrate \\\\"\n`;
  const found = validateFiles({ flyToml: { path: 'fly.toml', text } })
    .filter((f) => f.id === 'command-unsplittable')
    .map((f) => [f.line, f.message.split(' (')[0]]);
  expect(found).toEqual([
    [2, 'flyctl cannot split the command of console_command into words'],
    [5, "flyctl cannot split the command of the process group 'worker' into words"],
    [7, 'flyctl cannot split the command of [deploy] release_command into words'],
  ]);
});
