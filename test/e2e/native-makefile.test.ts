/**
 * native/Makefile, read by the real make in dry-run mode (`make -n`: nothing is compiled, so no nvcc
 * or C++ compiler is needed): the fat build's -gencode list is native/fat-arches.json's, the CPU-only
 * build never invokes nvcc or names an sm_ architecture, and the version comes from package.json.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { FAT_ARCHES } from '../../src/bench/arch.js';
import { ROOT } from '../helpers/cli.js';

const make = execaSync('sh', ['-c', 'command -v make'], { reject: false }).stdout.trim();
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
});
