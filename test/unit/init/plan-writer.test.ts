import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { diffOf, mergeIgnore, planFile } from '../../../src/init/plan.js';
import { readIfExists, writeAtomic } from '../../../src/init/writer.js';

const file = (path: string, content: string) => ({ path, content, mode: 0o644 });

test('planFile: create, identical, conflict', () => {
  expect(planFile(file('Dockerfile', 'A\n'), null).status).toBe('create');
  expect(planFile(file('Dockerfile', 'A\n'), 'A\n').status).toBe('identical');
  expect(planFile(file('Dockerfile', 'A\n'), 'B\n')).toMatchObject({ status: 'conflict', existing: 'B\n', proposed: 'A\n' });
});

test('a fly.toml that cannot be edited in place is proposed whole, with the reason', () => {
  const planned = planFile(file('fly.toml', "app = 'a'\n"), 'app = "a"\n[vm\n');
  expect(planned).toMatchObject({ status: 'conflict', proposed: "app = 'a'\n" });
  expect(planned.note).toContain('fly.toml cannot be edited in place: fly.toml:2:');
  expect(planned.note).toContain(': Not valid TOML: ');
});

test('.dockerignore keeps the user lines and adds the missing patterns once', () => {
  const merged = mergeIgnore('node_modules\n.git', '# gen\n.git\n*.safetensors\n');
  expect(merged).toBe('node_modules\n.git\n\n# Added by `gpuctl init`\n*.safetensors\n');
  expect(mergeIgnore(merged, '# gen\n.git\n*.safetensors\n')).toBe(merged);
});

test('diffOf is a unified diff from the disk (or /dev/null) to the proposal', () => {
  expect(diffOf({ path: 'x', existing: null, proposed: 'a\n' })).toBe('--- /dev/null\n+++ b/x\n@@ -0,0 +1,1 @@\n+a\n');
  expect(diffOf({ path: 'x', existing: 'a\n', proposed: 'a\n' })).toBe('');
  expect(diffOf({ path: 'x', existing: 'a\n', proposed: 'b\n' })).toContain('-a\n+b\n');
});

test('writeAtomic replaces through a temporary file and leaves nothing behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-write-'));
  writeAtomic(join(dir, 'f'), 'one', 0o644);
  writeAtomic(join(dir, 'f'), 'two', 0o644);
  expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('two');
  expect(readdirSync(dir)).toEqual(['f']);
});

test('writeAtomic writes through a symlink, keeping the link', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-write-'));
  mkdirSync(join(dir, 'real'));
  writeFileSync(join(dir, 'real', 'fly.toml'), 'old');
  symlinkSync(join(dir, 'real', 'fly.toml'), join(dir, 'fly.toml'));
  writeAtomic(join(dir, 'fly.toml'), 'new', 0o644);
  expect(lstatSync(join(dir, 'fly.toml')).isSymbolicLink()).toBe(true);
  expect(readFileSync(join(dir, 'real', 'fly.toml'), 'utf8')).toBe('new');
});

test('a failed write leaves the old content and no temporary file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-write-'));
  mkdirSync(join(dir, 'Dockerfile')); // renaming a file over a directory fails
  writeFileSync(join(dir, 'Dockerfile', 'keep'), 'mine');
  expect(() => writeAtomic(join(dir, 'Dockerfile'), 'new', 0o644)).toThrow();
  expect(readdirSync(dir)).toEqual(['Dockerfile']);
  expect(readFileSync(join(dir, 'Dockerfile', 'keep'), 'utf8')).toBe('mine');
  expect(readIfExists(join(dir, 'missing'))).toBeNull();
});
