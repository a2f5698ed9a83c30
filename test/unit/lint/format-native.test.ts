/**
 * `npm test` checks native/'s C++/CUDA with Debian's clang-format (scripts/format-native.mjs, issue 22):
 * a badly formatted file fails it, naming the file; the repository's sources pass; without clang-format
 * the check says it was skipped and why.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
interface Result {
  code: number;
  message: string;
}
const { formatNative } = (await import(join(ROOT, 'scripts/format-native.mjs'))) as {
  formatNative: (o?: { write?: boolean; binary?: string; root?: string }) => Result;
};
const NO_CLANG_FORMAT = 'clang-format is not on PATH (Debian: apt-get install clang-format), so native/ formatting was not checked';
const haveClangFormat = !spawnSync('clang-format', ['--version']).error;

test('npm test runs format:native, and it is the script', () => {
  // npm test runs its static checks side by side through scripts/checks.mjs, which runs each named npm script
  expect(pkg.scripts.test).toMatch(/^node scripts\/checks\.mjs [^&]*\bformat:native\b/);
  expect(pkg.scripts['format:native']).toBe('node scripts/format-native.mjs');
});

test('without clang-format the check is skipped with a message saying so', () => {
  const result = formatNative({ binary: join(tmpdir(), 'no-such-clang-format') });
  expect(result.code).toBe(0);
  expect(result.message).toMatch(/^format:native skipped: .*no-such-clang-format not found \(install Debian's clang-format/);
});

test('the repository is formatted; a badly formatted file fails, named, and --write fixes it', (ctx) => {
  if (!haveClangFormat) ctx.skip(NO_CLANG_FORMAT);
  expect(formatNative()).toMatchObject({ code: 0 });
  const root = mkdtempSync(join(tmpdir(), 'gpuctl-format-native-'));
  mkdirSync(join(root, 'native/src'), { recursive: true });
  copyFileSync(join(ROOT, 'native/.clang-format'), join(root, 'native/.clang-format'));
  writeFileSync(join(root, 'native/src/good.cpp'), 'int add(int a, int b) { return a + b; }\n');
  writeFileSync(join(root, 'native/src/bad.cu'), 'int  add(int a,int b){return a+b;}\n');
  const bad = formatNative({ root });
  expect(bad.code).toBe(1);
  expect(bad.message).toContain('1 file(s) not formatted as native/.clang-format says: native/src/bad.cu.');
  expect(formatNative({ root, write: true }).code).toBe(0);
  expect(readFileSync(join(root, 'native/src/bad.cu'), 'utf8')).toBe('int add(int a, int b) { return a + b; }\n');
  expect(formatNative({ root }).code).toBe(0);
}, 120_000);
