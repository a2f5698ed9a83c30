/**
 * fly.toml files in the shapes people use (written for gpuctl after reading the variety in flyctl's
 * internal/appconfig/testdata: launch output, v1 [[services]], [processes], [mount], [[env]], [[checks]],
 * [[compute]], statics, blog-post GPU configs). expected.json lists the rule ids each must raise, in order.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { validateFiles } from '../../../src/validate/index.js';
import { FIXTURES } from '../../helpers/cli.js';

const DIR = join(FIXTURES, 'validate/real-world');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, string[]>;
const files = readdirSync(DIR)
  .filter((name) => name.endsWith('.toml'))
  .sort();

test('every real-world file has an expectation', () => {
  expect(files.length).toBeGreaterThanOrEqual(12);
  expect(Object.keys(expected).sort()).toEqual(files);
});

test.each(files)('%s', (name) => {
  const findings = validateFiles({ flyToml: { path: name, text: readFileSync(join(DIR, name), 'utf8') } });
  expect(findings.map((f) => f.id).sort()).toEqual([...(expected[name] ?? [])].sort());
  for (const f of findings) expect(f.line).toBeGreaterThan(0);
});
