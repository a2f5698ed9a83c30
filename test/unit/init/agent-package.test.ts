/** The package init writes for the image, read back by the real consumer of tarballs: GNU tar. */
import { execa } from 'execa';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint, loadAgentPackage, tarGz } from '../../../src/init/agent-package.js';

function fakeGpuctl(): string {
  const root = mkdtempSync(join(tmpdir(), 'gpuctl-pkg-'));
  for (const dir of ['bin', 'dist/chunks', 'dist/native', 'dist/image/chunks', 'templates'])
    mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({
      name: 'gpuctl',
      version: '9.9.9',
      type: 'module',
      bin: { gpuctl: 'bin/gpuctl.js' },
      dependencies: { execa: '^9' },
      scripts: { x: 'y' },
    }),
  );
  writeFileSync(join(root, 'bin/gpuctl.js'), '#!/usr/bin/env node\nimport "../dist/cli.js";\n');
  chmodSync(join(root, 'bin/gpuctl.js'), 0o755);
  // The development build (dependencies external) stays out; the bundle in dist/image/ becomes dist/.
  writeFileSync(join(root, 'dist/cli.js'), 'import "execa";\n');
  writeFileSync(join(root, 'dist/cli.js.map'), '{}');
  writeFileSync(join(root, 'dist/chunks/agent-DEV.js'), 'dev\n');
  writeFileSync(join(root, 'dist/image/cli.js'), 'export {};\n');
  writeFileSync(join(root, 'dist/image/chunks/agent-ABC.js'), `// ${'x'.repeat(1000)}\n`);
  writeFileSync(join(root, 'dist/native/gpuctl-bench'), 'ELF');
  writeFileSync(join(root, 'templates/fly.toml'), "app = '{{app}}'\n");
  return root;
}

describe('the agent package', () => {
  it('lays out package/ as npm pack does, the bundle as dist/, no dependencies, maps or benchmark binary; tar reads it back', async () => {
    const pkg = loadAgentPackage(fakeGpuctl());
    expect(pkg.version).toBe('9.9.9');
    const out = mkdtempSync(join(tmpdir(), 'gpuctl-pkg-out-'));
    writeFileSync(join(out, 'gpuctl.tgz'), pkg.bytes);
    const list = await execa('tar', ['-tzf', join(out, 'gpuctl.tgz')]);
    expect(list.stdout.split('\n')).toEqual([
      'package/bin/gpuctl.js',
      'package/dist/chunks/agent-ABC.js',
      'package/dist/cli.js',
      'package/package.json',
      'package/templates/fly.toml',
    ]);
    await execa('tar', ['-xzf', join(out, 'gpuctl.tgz'), '-C', out]);
    expect(readFileSync(join(out, 'package/dist/chunks/agent-ABC.js'), 'utf8')).toBe(`// ${'x'.repeat(1000)}\n`);
    expect(readFileSync(join(out, 'package/dist/cli.js'), 'utf8')).toBe('export {};\n');
    expect(JSON.parse(readFileSync(join(out, 'package/package.json'), 'utf8'))).toEqual({
      name: 'gpuctl',
      version: '9.9.9',
      type: 'module',
      bin: { gpuctl: 'bin/gpuctl.js' },
    });
    expect(statSync(join(out, 'package/bin/gpuctl.js')).mode & 0o777).toBe(0o755);
    expect(statSync(join(out, 'package/package.json')).mtime.toISOString()).toBe('1985-10-26T08:15:00.000Z');
  });

  it('is reproducible: the same files give the same bytes, in any order', () => {
    const a = { path: 'a.js', content: Buffer.from('a'), mode: 0o644 };
    const b = { path: 'b.js', content: Buffer.from('b'), mode: 0o644 };
    expect(Buffer.from(tarGz([a, b])).equals(Buffer.from(tarGz([b, a])))).toBe(true);
    expect(fingerprint(tarGz([a, b]), 'x')).toBe(fingerprint(tarGz([b, a]), 'x'));
    expect(fingerprint(tarGz([a]), 'x')).not.toBe(fingerprint(tarGz([a, b]), 'x'));
  });

  it('refuses a gpuctl that was never built, saying how to build it', () => {
    const root = fakeGpuctl();
    rmSync(join(root, 'dist/image'), { recursive: true });
    expect(() => loadAgentPackage(root)).toThrow(/no built dist\/image\//);
  });
});
