/**
 * [slow] The real thing: the repository's native/ compiled by the real nvcc (about a minute per
 * architecture), then `gpuctl bench --cpu --quick --json` run against it — exactly what CI runs.
 * Skipped, visibly, only when nvcc is not on PATH.
 */
import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../../src/bench/report.js';
import { runGpuctl, tempHome } from '../helpers/cli.js';

const nvcc = execaSync('sh', ['-c', 'command -v nvcc'], { reject: false }).stdout.trim();
const reason = nvcc ? `with ${nvcc}` : 'SKIPPED: nvcc is not on PATH, so the real native/ cannot be compiled here';

describe(`[slow] real nvcc, real native/ (${reason})`, () => {
  const home = tempHome();
  // The host's own PATH: make, g++ and nvcc's toolchain are all real here.
  const env = { PATH: process.env.PATH ?? '', HOME: home, XDG_CACHE_HOME: `${home}/.cache` };

  it.skipIf(!nvcc)('gpuctl bench --cpu --quick --json compiles native/, runs every CPU kernel and passes every check', { timeout: 20 * 60_000 }, async () => {
    const run = await runGpuctl(['bench', '--cpu', '--quick', '--json'], { env, timeoutMs: 19 * 60_000 });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as BenchReport;
    expect(report).toMatchObject({ schemaVersion: 1, mode: 'cpu', quick: true, ok: true, failures: [], program: { source: 'built', arch: 'sm_90', protocol: 1, cudaRuntime: '13.0' } });
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
    expect(JSON.parse(again.stdout)).toMatchObject({ binary: { source: 'cache', path: report.program.path } });
  });
});
