/** Shared set-up for `gpuctl bench` process tests: fake nvcc, c++, nvidia-smi and the fixture native/. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { BenchReport } from '../../src/bench/report.js';
import { fakePath, FIXTURES, onPath, runGpuctl, tempHome, type CliRun } from '../helpers/cli.js';

export const H100 = 'public/split/nvidia-h100-80gb-hbm3__590.48.01/load.query-gpu.csv';
const MAKE = onPath('make');

export interface BenchEnv {
  home: string;
  /** Every nvcc call, one argv per line. */
  nvccLog: string;
  /** Every (fake) c++ call, one argv per line, the compiler's name first. */
  cxxLog: string;
  /** Every call of the (fake) benchmark program. */
  benchLog: string;
  env: Record<string, string>;
}

/** tools: which fakes are on PATH (make always is); one HOME, so the build cache persists across runs. */
export function benchEnv(tools: readonly string[] = ['nvcc', 'nvidia-smi', 'c++'], extra: Record<string, string> = {}): BenchEnv {
  const home = tempHome();
  const logs = mkdtempSync(join(tmpdir(), 'bench-logs-'));
  const nvccLog = join(logs, 'nvcc.jsonl');
  const benchLog = join(logs, 'bench.jsonl');
  const cxxLog = join(logs, 'cxx.jsonl');
  return {
    home,
    nvccLog,
    cxxLog,
    benchLog,
    env: {
      PATH: fakePath(tools, { make: MAKE }),
      HOME: home,
      XDG_CACHE_HOME: join(home, '.cache'),
      GPUCTL_NATIVE_DIR: join(FIXTURES, 'bench/native'),
      GPUCTL_BENCH_PREBUILT: join(home, 'no-prebuilt/gpuctl-bench'),
      FAKE_NVIDIA_SMI_FIXTURE: H100,
      FAKE_NVCC_LOG: nvccLog,
      FAKE_CXX_LOG: cxxLog,
      FAKE_BENCH_LOG: benchLog,
      ...extra,
    },
  };
}

export function bench(args: readonly string[], setup: BenchEnv, env: Record<string, string> = {}, timeoutMs?: number): Promise<CliRun> {
  return runGpuctl(['bench', ...args], { env: { ...setup.env, ...env }, cwd: setup.home, ...(timeoutMs ? { timeoutMs } : {}) });
}

export function calls(log: string): string[][] {
  try {
    return readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string[]);
  } catch {
    return [];
  }
}

/** nvcc calls that link the program (compiles have -c; probes have --version / --list-gpu-code). */
export const links = (log: string) => calls(log).filter((argv) => argv.includes('-o') && !argv.includes('-c'));

export interface BuiltBinary {
  source: string;
  path: string;
  arch: string;
  nvcc: string;
}

/**
 * The real-compiler tests' two steps: `gpuctl bench --build-only --arch sm_90` with the host's tools in
 * `env` (it must succeed), then that program's CPU implementations through `bench --cpu --quick --json`
 * (GPUCTL_BENCH_BIN), which must print nothing on stderr and exit 0. Returns both for the test's checks.
 */
export async function buildThenRunCpu(env: Record<string, string>): Promise<{ binary: BuiltBinary; report: BenchReport }> {
  const build = await runGpuctl(['bench', '--build-only', '--arch', 'sm_90', '--json'], { env, timeoutMs: 20 * 60_000 });
  expect(build.exitCode, build.stderr).toBe(0);
  const { binary } = JSON.parse(build.stdout) as { binary: BuiltBinary };
  const run = await runGpuctl(['bench', '--cpu', '--quick', '--json'], {
    env: { ...env, GPUCTL_BENCH_BIN: binary.path },
    timeoutMs: 4 * 60_000,
  });
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  return { binary, report: JSON.parse(run.stdout) as BenchReport };
}
