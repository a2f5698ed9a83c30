/**
 * scripts/e2e-split.mjs, CI's split of the e2e files between the Node 22 and Node 24 passes: every file in exactly one
 * part, parts of about equal time, the same split every time.
 */
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { split } from '../../../scripts/e2e-split.mjs';
import { ROOT } from '../../helpers/cli.js';

const times = new Map([
  ['a', 100],
  ['b', 90],
  ['c', 60],
  ['d', 50],
  ['e', 40],
  ['f', 10],
]);

it('puts every file in exactly one part, longest first onto the lightest', () => {
  const parts = split([...times.keys()], times, 2);
  expect(parts.flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  expect(parts).toEqual([
    ['a', 'd', 'e'],
    ['b', 'c', 'f'],
  ]);
  const total = (part: string[]) => part.reduce((sum, f) => sum + (times.get(f) ?? 0), 0);
  expect(parts.map(total)).toEqual([190, 160]); // by path: a 100, b 90, c 60 onto b's, d 50 onto a's, e 40 at a tie to the first, f 10
});

it('counts a file without a time as the median of the known ones, and splits the same way whatever the input order', () => {
  const files = ['new', 'a', 'b', 'c'];
  const known = new Map([
    ['a', 100],
    ['b', 10],
    ['c', 20],
  ]);
  const parts = split(files, known, 2);
  expect(parts).toEqual([['a'], ['b', 'c', 'new']]);
  expect(split([...files].reverse(), known, 2)).toEqual(parts);
  expect(split(files, new Map(), 3).flat().sort()).toEqual(['a', 'b', 'c', 'new']);
});

it('the script: the two parts of the real e2e files are disjoint, cover them, and leave out --skip and [slow] files', async () => {
  const run = (which: string) =>
    execa(process.execPath, ['scripts/e2e-split.mjs', which, '--skip', 'test/e2e/agent.test.ts'], { cwd: ROOT, timeout: 20_000 });
  const [one, two] = await Promise.all([run('1/2'), run('2/2')]);
  const a = one.stdout.split('\n');
  const b = two.stdout.split('\n');
  expect(a.filter((f) => b.includes(f))).toEqual([]);
  const all = [...a, ...b];
  expect(all).toContain('test/e2e/deploy.test.ts');
  expect(all).not.toContain('test/e2e/agent.test.ts');
  expect(all.filter((f) => f.endsWith('.slow.test.ts'))).toEqual([]);
  await expect(execa(process.execPath, ['scripts/e2e-split.mjs', '3/2'], { cwd: ROOT, reject: false })).resolves.toMatchObject({
    exitCode: 2,
  });
});
