/**
 * [slow] `make fat` builds SASS for sm_75 (native/fat-arches.json's oldest), where cp.async (sm_80+) does not
 * assemble: the zscore sources must compile for it too (quant_zscore.cuh falls back to a plain copy there).
 * The real nvcc compiles each of them for sm_75 into a temporary folder (about 30 s). Without nvcc on PATH the test
 * is skipped with its reason. native/src/meanvar_syrk.cu (cp.async and TF32 mma.sync) is not covered: it does not
 * compile for sm_75 yet.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { ROOT, onPath } from '../helpers/cli.js';

const nvcc = onPath('nvcc');
const SOURCES = ['quant_zscore.cu', 'quant_zscore_warp.cu'];

describe(`[slow] the zscore kernels compile for sm_75 (${nvcc ? `with ${nvcc}` : 'no nvcc'})`, () => {
  for (const source of SOURCES)
    it(`nvcc -arch=sm_75 -c src/${source}`, { timeout: 5 * 60_000 }, (ctx) => {
      if (!nvcc) ctx.skip('nvcc is not on PATH, so the sm_75 compile was not tried');
      expect(readFileSync(join(ROOT, 'native/src', source), 'utf8')).toMatch(/cp_async16\(/);
      const out = join(mkdtempSync(join(tmpdir(), 'gpuctl-sm75-')), `${source}.o`);
      const args = ['-O3', '-std=c++17', '-arch=sm_75', '-c', join('src', source), '-o', out];
      const result = execaSync(nvcc, args, { cwd: join(ROOT, 'native'), reject: false, timeout: 4 * 60_000 });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(statSync(out).size).toBeGreaterThan(0);
    });
});
