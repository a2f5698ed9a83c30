/**
 * No tracked file keeps a merge's conflict markers. Prettier passes Markdown with them (they read as
 * text), so a merge resolved by hand once left two tables of the README doubled between markers.
 */
import { execaSync } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const MARKER = /^(<{7}|>{7}) \S/m;

function conflictLines(text: string): number[] {
  return text.split('\n').flatMap((line, i) => (MARKER.test(line) ? [i + 1] : []));
}

test('the marker check finds the markers git writes, and nothing else', () => {
  const merged = ['a', `${'<'.repeat(7)} HEAD`, 'ours', '='.repeat(7), 'theirs', `${'>'.repeat(7)} branch`, 'b'].join('\n');
  expect(conflictLines(merged)).toEqual([2, 6]);
  expect(conflictLines('Title\n=======\n\n> quoted\n<<< not a marker\n')).toEqual([]);
});

test('no tracked file holds a conflict marker', () => {
  const files = execaSync('git', ['ls-files', '-z'], { cwd: ROOT }).stdout.split('\0').filter(Boolean);
  const found = files.flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(join(ROOT, file), 'utf8');
    } catch {
      return []; // listed but absent from the work tree (deleted, not yet committed)
    }
    return conflictLines(text).map((line) => `${file}:${line}`);
  });
  expect(found).toEqual([]);
});
