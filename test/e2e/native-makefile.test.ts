/**
 * native/Makefile, read by the real make in dry-run mode (`make -n`: nothing is compiled, so no nvcc
 * or C++ compiler is needed): the fat build's -gencode list is native/fat-arches.json's, less what the
 * nvcc at hand cannot build (the fake nvcc's `--list-gpu-code` of 12.4 and 13.0), the CPU-only build never
 * invokes nvcc or names an sm_ architecture, and the version comes from package.json.
 */
import { copyFileSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { FAT_ARCHES } from '../../src/bench/arch.js';
import { FAKE_BIN, onPath, ROOT } from '../helpers/cli.js';

const make = onPath('make');
const dryRun = (...args: string[]) => {
  const out = mkdtempSync(join(tmpdir(), 'gpuctl-make-n-'));
  const result = execaSync('make', ['-n', '-C', join(ROOT, 'native'), ...args, `OUT=${out}`, 'NVCC=nvcc', 'CXX=c++'], { reject: false });
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout.split('\n');
};
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('native/Makefile (make -n)', () => {
  it('make fat compiles every .cu for exactly the architectures of native/fat-arches.json', (ctx) => {
    if (!make) ctx.skip('make is not on PATH');
    const expected = FAT_ARCHES.sass.map((sm) => {
      const n = sm.slice(3);
      return `-gencode arch=compute_${n},code=${FAT_ARCHES.ptx === `compute_${n}` ? `[sm_${n},compute_${n}]` : `sm_${n}`}`;
    });
    const compiles = dryRun('fat').filter((line) => / -c src\/\w+\.cu /.test(line));
    expect(compiles.length).toBeGreaterThanOrEqual(7);
    for (const line of compiles) expect(line.match(/-gencode \S+/g)).toEqual(expected);
    expect(dryRun('fat').join('\n')).toContain(`fat:${FAT_ARCHES.sass.join(',')}+${FAT_ARCHES.ptx}`);
  });

  it("make cpu uses only the C++ compiler, no CUDA file and no sm_ architecture; the version is package.json's", (ctx) => {
    if (!make) ctx.skip('make is not on PATH');
    const lines = dryRun('cpu').filter((line) => /^c\+\+ /.test(line) || /nvcc/.test(line));
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.filter((line) => /nvcc|\.cu\b|sm_\d|cublaslt/.test(line))).toEqual([]);
    expect(lines.some((line) => line.includes(`-DGPUCTL_VERSION=\\"${version}\\"`))).toBe(true);
    expect(lines.some((line) => line.includes('src/gpu_none.cc'))).toBe(true);
  });

  it('make (one architecture) builds sm_90 SASS + PTX by default, with header dependency files', (ctx) => {
    if (!make) ctx.skip('make is not on PATH');
    const compiles = dryRun().filter((line) => / -c src\/\w+\.(cu|cpp) /.test(line));
    for (const line of compiles) expect(line).toMatch(/-MMD -MP -MF \S+\.d/);
    for (const line of compiles.filter((l) => l.includes('.cu ')))
      expect(line).toContain('-gencode arch=compute_90,code=[sm_90,compute_90]');
  });

  it('make fat keeps the listed architectures this nvcc knows: CUDA 12.4 stops at sm_90 (PTX falls back to compute_90), 13.0 builds all', (ctx) => {
    if (!make) ctx.skip('make is not on PATH');
    // A copy of the Makefile beside a list that names Blackwell, as a future fat-arches.json might.
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-make-fat-'));
    copyFileSync(join(ROOT, 'native/Makefile'), join(dir, 'Makefile'));
    symlinkSync(join(ROOT, 'native/src'), join(dir, 'src'));
    writeFileSync(join(dir, 'fat-arches.json'), JSON.stringify({ sass: ['sm_75', 'sm_90', 'sm_100', 'sm_120'], ptx: 'compute_120' }));
    const fat = (release: string) => {
      const args = ['-n', '-C', dir, 'fat', `OUT=${join(dir, 'out')}`, `NVCC=${join(FAKE_BIN, 'nvcc')}`, 'CXX=c++'];
      const result = execaSync('make', args, { reject: false, env: { FAKE_NVCC_RELEASE: release } });
      expect(result.exitCode, result.stderr).toBe(0);
      const line = result.stdout.split('\n').find((l) => / -c src\/memory\.cu /.test(l)) ?? '';
      return { gencode: line.match(/-gencode \S+/g), stamp: /fat:\S+?\\"/.exec(result.stdout)?.[0] };
    };
    expect(fat('12.4.131')).toEqual({
      gencode: ['-gencode arch=compute_75,code=sm_75', '-gencode arch=compute_90,code=[sm_90,compute_90]'],
      stamp: 'fat:sm_75,sm_90+compute_90\\"',
    });
    expect(fat('13.0.88')).toEqual({
      gencode: [
        '-gencode arch=compute_75,code=sm_75',
        '-gencode arch=compute_90,code=sm_90',
        '-gencode arch=compute_100,code=sm_100',
        '-gencode arch=compute_120,code=[sm_120,compute_120]',
      ],
      stamp: 'fat:sm_75,sm_90,sm_100,sm_120+compute_120\\"',
    });
  });

  it('make fat with an nvcc that builds none of the list stops and says which it targets', (ctx) => {
    if (!make) ctx.skip('make is not on PATH');
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-make-fat-'));
    copyFileSync(join(ROOT, 'native/Makefile'), join(dir, 'Makefile'));
    symlinkSync(join(ROOT, 'native/src'), join(dir, 'src'));
    writeFileSync(join(dir, 'fat-arches.json'), JSON.stringify({ sass: ['sm_100', 'sm_120'], ptx: 'compute_120' }));
    const args = ['-n', '-C', dir, 'fat', `OUT=${join(dir, 'out')}`, `NVCC=${join(FAKE_BIN, 'nvcc')}`];
    const result = execaSync('make', args, { reject: false, env: { FAKE_NVCC_RELEASE: '12.4.131' } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("builds none of fat-arches.json's architectures (sm_100 sm_120); it targets sm_50");
  });
});
