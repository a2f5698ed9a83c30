/**
 * [slow] The real thing: the repository's native/ compiled by the real nvcc for sm_90 (a few minutes),
 * then that program's CPU implementations run through `gpuctl bench --cpu --quick --json`
 * (GPUCTL_BENCH_BIN), and the build found again in the cache. When nvcc is not on PATH the test is
 * skipped with its reason, which the test summary prints in a line of its own.
 */
import { describe, expect, it } from 'vitest';
import { onPath, runGpuctl, tempHome } from '../helpers/cli.js';
import { buildThenRunCpu } from './bench-helpers.js';

const nvcc = onPath('nvcc');

describe(`[slow] real nvcc, real native/ (${nvcc ? `with ${nvcc}` : 'no nvcc'})`, () => {
  const home = tempHome();
  // The host's own PATH: make, g++ and nvcc's toolchain are all real here.
  const env = { PATH: process.env.PATH ?? '', HOME: home, XDG_CACHE_HOME: `${home}/.cache` };

  it(
    'nvcc compiles native/ for sm_90; its CPU implementations pass every check; the build is cached',
    { timeout: 25 * 60_000 },
    async (ctx) => {
      if (!nvcc) ctx.skip('nvcc is not on PATH, so native/ was not compiled with the real nvcc');
      const { binary, report } = await buildThenRunCpu(env);
      expect(binary).toMatchObject({ source: 'built', arch: 'sm_90' });
      expect(report).toMatchObject({
        schemaVersion: 1,
        mode: 'cpu',
        quick: true,
        ok: true,
        failures: [],
        program: { source: 'env', protocol: 1, cudaRuntime: expect.stringMatching(/^1[23]\.\d$/) as string },
      });
      expect(report.results.length).toBeGreaterThanOrEqual(8);
      for (const result of report.results) {
        expect(result.check.passed, `${result.suite}/${result.name}`).toBe(true);
        expect(result.value, `${result.suite}/${result.name}`).toBeGreaterThan(0);
        expect(result.samplesMs.length).toBeGreaterThanOrEqual(3);
      }
      // GPU-only kernels are reported as skipped, not silently dropped.
      expect(report.skipped.map((s) => s.name)).toContain('gemm_bf16');

      // The same sources, nvcc and architecture: found in the cache, not compiled again.
      const again = await runGpuctl(['bench', '--build-only', '--arch', 'sm_90', '--json'], { env, timeoutMs: 60_000 });
      expect(again.exitCode).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ binary: { source: 'cache', path: binary.path } });
    },
  );
});
