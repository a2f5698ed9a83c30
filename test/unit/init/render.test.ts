/** renderData / renderFiles beyond the golden directories: a command with quotes, the start script's mode, the local-GPU invariant. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { checkCmd, resolveInputs } from '../../../src/init/inputs.js';
import { ownCommentPatterns, renderData, renderDockerfile, renderFiles } from '../../../src/init/render.js';
import { RECORD_FILE } from '../../../src/init/record.js';
import { loadTemplates } from '../../../src/init/templates.js';
import { START_SCRIPT } from '../../../src/shared/init-files.js';
import { FIXTURES } from '../../helpers/cli.js';

const templates = loadTemplates();

test.each([
  ['cpu', { kind: 'cpu', vmSize: 'performance-8x' }],
  ['gpu', { kind: 'gpu', gpuKind: 'l40s' }],
] as const)('a --cmd word with quotes or a backslash is a valid JSON-form CMD (%s Dockerfile)', (_kind, target) => {
  const cmd = checkCmd('python3 -c print("hi\\n") --prefix "/v1"');
  const dockerfile = renderDockerfile(templates, renderData(resolveInputs([{ target, cmd }], 'demo'), 'demo'));
  const line = dockerfile.split('\n').find((l) => l.startsWith('CMD '));
  expect(JSON.parse(line!.slice(4))).toEqual(['python3', '-c', 'print("hi\\n")', '--prefix', '"/v1"']);
});

test('the start script is written executable, the other files not', () => {
  const files = renderFiles(templates, renderData(resolveInputs([], 'demo'), 'demo'));
  expect(files.map((f) => [f.path, f.mode])).toEqual([
    ['fly.toml', 0o644],
    ['Dockerfile', 0o644],
    ['.dockerignore', 0o644],
    [START_SCRIPT, 0o755],
    [RECORD_FILE, 0o644],
  ]);
});

test('renderData refuses --for-local-gpu without the detected GPU', () => {
  const inputs = resolveInputs([], 'demo');
  expect(() => renderData({ ...inputs, forLocalGpu: true }, 'demo', null)).toThrow(
    'renderData needs the detected GPU exactly when --for-local-gpu is set',
  );
});

test("every comment line of every golden fly.toml is init's own; a line init did not write exactly is not", () => {
  const own = ownCommentPatterns(templates);
  const isOwn = (line: string) => own.some((re) => re.test(line));
  const lines = ['init', 'init-local'].flatMap((dir) =>
    readdirSync(join(FIXTURES, dir)).flatMap((name) =>
      readFileSync(join(FIXTURES, dir, name, 'expected', 'fly.toml'), 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.startsWith('#') && line !== '#'),
    ),
  );
  expect(lines.length).toBeGreaterThan(100);
  expect(lines.filter((line) => !isOwn(line))).toEqual([]);
  // A user's note that starts like one of init's lines, or sits between comment blocks as a bare '#', stays theirs.
  const killTimeout = lines.find((line) => line.startsWith('# Seconds to '));
  expect(killTimeout && isOwn(killTimeout)).toBe(true);
  expect(isOwn(`${killTimeout} Ours: 120 s for the slow shard.`)).toBe(false);
  expect(isOwn('#')).toBe(false);
});
