/** `npm test` runs Prettier's check with the repository's settings, so unformatted code fails it (issue 11). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

test('npm test runs format:check, and format:check is prettier --check over the tree', () => {
  // npm test runs its static checks side by side through scripts/checks.mjs, which runs each named npm script
  expect(pkg.scripts.test).toMatch(/^node scripts\/checks\.mjs [^&]*\bformat:check\b/);
  expect(pkg.scripts['format:check']).toBe('prettier --check .');
});

test("the repository's Prettier settings reject unformatted code and accept the house style", async () => {
  const file = join(ROOT, 'src/example.ts');
  const options = { ...(await prettier.resolveConfig(file)), filepath: file };
  expect(options.printWidth).toBe(140);
  expect(await prettier.check('const a = {b:1}\n', options)).toBe(false);
  expect(await prettier.check("const a = { b: 1, c: 'x' };\n", options)).toBe(true);
  expect(await prettier.check(`export const long = [${"'x', ".repeat(40)}];\n`, options)).toBe(false);
});
