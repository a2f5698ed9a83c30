/** The build cache key: which bytes are in it, and that each input changes it. */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheKey, isKeySource, readSources } from '../../../src/bench/cache-key.js';
import { FIXTURES } from '../../helpers/cli.js';

function copyOfFixture(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'native-')), 'native');
  cpSync(join(FIXTURES, 'bench/native'), dir, { recursive: true });
  return dir;
}

const keyOf = async (dir: string, nvcc = 'V13.0.88', arch = 'sm_90') => cacheKey({ sources: await readSources(dir), nvcc, arch });

describe('readSources', () => {
  it('reads the Makefile and sources, sorted, without docs or build outputs', async () => {
    const dir = copyOfFixture();
    mkdirSync(join(dir, 'build/obj-sm_90'), { recursive: true });
    writeFileSync(join(dir, 'build/obj-sm_90/kernels.o'), 'object');
    writeFileSync(join(dir, 'build/gen.cu'), 'generated');
    mkdirSync(join(dir, '.cache'));
    writeFileSync(join(dir, '.cache/x.h'), 'editor');
    expect((await readSources(dir)).map((f) => f.path)).toEqual(['Makefile', 'src/cpu.cpp', 'src/kernels.cu', 'src/kernels.cuh']);
  });

  it.each([
    ['Makefile', true],
    ['src/gemm.cu', true],
    ['src/json.hpp', true],
    ['src/build_info.cc', true],
    ['PROTOCOL.md', false],
    ['src/notes.txt', false],
  ])('%s is a key source: %s', (path, yes) => expect(isKeySource(path)).toBe(yes));
});

describe('cacheKey', () => {
  it('is stable for the same inputs and a sha256', async () => {
    const dir = copyOfFixture();
    const key = await keyOf(dir);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await keyOf(copyOfFixture())).toBe(key);
  });

  it('changes when one source byte changes, and not when a doc changes', async () => {
    const dir = copyOfFixture();
    const before = await keyOf(dir);
    writeFileSync(join(dir, 'README.md'), 'edited docs');
    expect(await keyOf(dir)).toBe(before);
    writeFileSync(join(dir, 'src/kernels.cuh'), '// Fixture source: its bytes are part of the build cache key; the fake nvcc never reads it!\n');
    expect(await keyOf(dir)).not.toBe(before);
  });

  it('the CPU-only build: keyed by the host compiler line, never equal to an nvcc build; the gpuctl version counts', async () => {
    const sources = await readSources(copyOfFixture());
    const gxx = cacheKey({ sources, cxx: 'g++ (Debian 12.2.0-14) 12.2.0', arch: 'cpu' });
    expect(cacheKey({ sources, cxx: 'g++ (Debian 12.2.0-14) 12.2.0', arch: 'cpu' })).toBe(gxx);
    expect(cacheKey({ sources, cxx: 'clang version 18.1.8', arch: 'cpu' })).not.toBe(gxx);
    expect(cacheKey({ sources, nvcc: 'g++ (Debian 12.2.0-14) 12.2.0', arch: 'cpu' })).not.toBe(gxx);
    expect(cacheKey({ sources, cxx: 'g++ (Debian 12.2.0-14) 12.2.0', arch: 'cpu', version: '0.2.0' })).not.toBe(gxx);
  });

  it('changes with the Makefile, a new source file, the nvcc build and the architecture', async () => {
    const dir = copyOfFixture();
    const before = await keyOf(dir);
    expect(await keyOf(dir, 'V13.0.48')).not.toBe(before);
    expect(await keyOf(dir, 'V13.0.88', 'sm_80')).not.toBe(before);
    writeFileSync(join(dir, 'src/extra.cu'), '');
    const withExtra = await keyOf(dir);
    expect(withExtra).not.toBe(before);
    writeFileSync(join(dir, 'Makefile'), 'all:\n');
    expect(await keyOf(dir)).not.toBe(withExtra);
  });

  it('a renamed file gives another key even with the same bytes', () => {
    const content = Buffer.from('x');
    expect(cacheKey({ sources: [{ path: 'a.cu', content }], nvcc: 'V13.0.88', arch: 'sm_90' })).not.toBe(
      cacheKey({ sources: [{ path: 'b.cu', content }], nvcc: 'V13.0.88', arch: 'sm_90' }),
    );
  });
});
