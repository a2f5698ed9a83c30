/**
 * [slow] `make fat` builds SASS for sm_75 (native/fat-arches.json's oldest), where cp.async, TF32 conversion and
 * mma.sync (sm_80+) do not assemble: the sources that use them must compile for it too (quant_zscore.cuh falls back
 * to a plain copy there; meanvar_syrk.cu's tensor-core helpers trap, and run_meanvar skips those forms below sm_80).
 * The real nvcc compiles each of them for sm_75 into a temporary folder (about a minute in all). Without nvcc on PATH
 * the test is skipped with its reason.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { ROOT, onPath } from '../helpers/cli.js';

const nvcc = onPath('nvcc');
const SOURCES = ['quant_zscore.cu', 'quant_zscore_warp.cu', 'meanvar_syrk.cu'];

describe(`[slow] the sources that use sm_80 instructions compile for sm_75 (${nvcc ? `with ${nvcc}` : 'no nvcc'})`, () => {
  for (const source of SOURCES)
    it(`nvcc -arch=sm_75 -c src/${source}`, { timeout: 5 * 60_000 }, (ctx) => {
      if (!nvcc) ctx.skip('nvcc is not on PATH, so the sm_75 compile was not tried');
      expect(readFileSync(join(ROOT, 'native/src', source), 'utf8')).toMatch(/cp_async16\(|cp16\(/);
      const out = join(mkdtempSync(join(tmpdir(), 'gpuctl-sm75-')), `${source}.o`);
      const args = ['-O3', '-std=c++17', '-arch=sm_75', '-c', join('src', source), '-o', out];
      const result = execaSync(nvcc, args, { cwd: join(ROOT, 'native'), reject: false, timeout: 4 * 60_000 });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(statSync(out).size).toBeGreaterThan(0);
    });
});
