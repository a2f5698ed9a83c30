/**
 * [slow] native/ compiled by a real CUDA 12 nvcc (issue 13: the sources build with CUDA 12.4+ as well as
 * 13): `gpuctl bench --build-only --arch sm_90` with NVCC pointing at it (a few minutes), then that
 * program's CPU implementations through `gpuctl bench --cpu --quick --json`; its version line reports
 * the CUDA 12 runtime it was linked with. The nvcc is $GPUCTL_NVCC12, else the one that
 * scripts/cuda12-toolkit.sh leaves in its default cache (~/.cache/gpuctl/cuda12 of the user running the
 * tests). Without either the test is skipped with its reason, which the test summary prints in a line
 * of its own. Not in .ci/run: fetching the toolkit is a 1 GB download.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli.js';
import { buildThenRunCpu } from './bench-helpers.js';

const cached = join(userInfo().homedir, '.cache/gpuctl/cuda12/root/usr/lib/nvidia-cuda-toolkit/bin/nvcc');
const nvcc12 = process.env.GPUCTL_NVCC12 || (existsSync(cached) ? cached : '');
const why = process.env.GPUCTL_NVCC12 ? '' : `GPUCTL_NVCC12 is not set and ${cached} does not exist (scripts/cuda12-toolkit.sh fetches it)`;

describe(`[slow] CUDA 12 nvcc, real native/ (${nvcc12 ? `with ${nvcc12}` : 'no CUDA 12 nvcc'})`, () => {
  const home = tempHome();
  // The host's own PATH for make and g++; nvcc is the CUDA 12 one, through NVCC.
  const env = { PATH: process.env.PATH ?? '', HOME: home, XDG_CACHE_HOME: `${home}/.cache`, NVCC: nvcc12 };

  it(
    'a CUDA 12 nvcc compiles native/ for sm_90; the program reports CUDA 12 and its CPU implementations pass',
    { timeout: 25 * 60_000 },
    async (ctx) => {
      if (!nvcc12) ctx.skip(why);
      const release = execaSync(nvcc12, ['--version'], { reject: false, timeout: 15_000 });
      expect(release.stdout, `${nvcc12} --version`).toMatch(/release 12\.([4-9]), V12\./);

      const { binary, report } = await buildThenRunCpu(env);
      expect(binary).toMatchObject({ source: 'built', arch: 'sm_90', nvcc: expect.stringMatching(/^12\.\d$/) as string });
      expect(report).toMatchObject({ mode: 'cpu', ok: true, failures: [], program: { source: 'env', cudaRuntime: binary.nvcc } });
      expect(report.results.length).toBeGreaterThanOrEqual(8);
      for (const result of report.results) expect(result.check.passed, `${result.suite}/${result.name}`).toBe(true);
    },
  );
});
