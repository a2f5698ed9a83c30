/** Every way `gpuctl bench` can fail, each faked at the process boundary, with its exit code and words. */
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../../src/bench/report.js';
import { FAKE_BIN } from '../helpers/cli.js';
import { bench, benchEnv, calls, links } from './bench-helpers.js';

describe('the GPU and its driver', () => {
  it('no nvidia-smi: exit 3 with the --cpu remedy, and nothing compiled', async () => {
    const setup = benchEnv(['nvcc']);
    const run = await bench([], setup);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('Error: No NVIDIA GPU found: nvidia-smi is not on PATH.');
    expect(run.stderr).toContain('`gpuctl bench --cpu` runs the CPU implementations');
    expect(links(setup.nvccLog)).toHaveLength(0);
  });

  it('nvidia-smi present but the program finds no driver: exit 3 with its reason', async () => {
    const run = await bench([], benchEnv(), { FAKE_BENCH_NO_GPU: '1' });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('Error: No usable GPU: no NVIDIA driver found (libcuda.so.1 could not be loaded)');
  });

  it('a driver too old: exit 3 naming the driver, both CUDA versions and the remedy', async () => {
    // An H200 on driver 550 (CUDA 12.4), as recorded; the program is built with CUDA 13.0.
    const run = await bench([], benchEnv(), {
      FAKE_NVIDIA_SMI_FIXTURE: 'public/gls__H200.nvidia-smi-q.txt',
      FAKE_BENCH_DEVICE: 'NVIDIA H200',
      FAKE_BENCH_DRIVER_CUDA: '12040',
    });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(
      'Error: NVIDIA driver 550.90.12 is too old for this benchmark program: driver supports CUDA 12.4 (12040), this program needs CUDA 13.0 (13000)',
    );
    expect(run.stderr).toContain('Hint: Update the NVIDIA driver to R580 or newer (CUDA 13.0)');
  });

  it('--json errors are JSON on stdout', async () => {
    const run = await bench(['--json'], benchEnv(), { FAKE_BENCH_NO_GPU: '1' });
    expect(run.exitCode).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'device_missing', exitCode: 3 } });
  });
});

describe('kernels and the program', () => {
  it('a kernel failing its check: exit 1, FAILED with the error, and no figure for it', async () => {
    const setup = benchEnv();
    const run = await bench(['--suite', 'finance'], setup, { FAKE_BENCH_FAIL_CHECK: 'ema' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/finance\/ema\s+FAILED\s+check_failed/);
    expect(run.stdout).toContain('✗ finance/ema: rel_l2 0.0312 exceeds bound 0.00001 (check_failed)');
    expect(run.stdout).toContain('12 passed, 1 failed, 0 skipped');
    const json = await bench(['--suite', 'finance', '--json'], setup, { FAKE_BENCH_FAIL_CHECK: 'ema' });
    expect(json.exitCode).toBe(1);
    const report = JSON.parse(json.stdout) as BenchReport;
    expect(report.ok).toBe(false);
    expect(report.results.map((r) => r.name)).not.toContain('ema');
    expect(report.failures).toEqual([
      { suite: 'finance', name: 'ema', code: 'check_failed', message: 'rel_l2 0.0312 exceeds bound 0.00001' },
    ]);
  });

  it('a garbage line: exit 1 naming the line', async () => {
    const run = await bench([], benchEnv(), { FAKE_BENCH_GARBAGE: 'nvlink: warning, degraded link' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /gpuctl-bench printed line 2, which is not protocol JSON \(it is not JSON\): "nvlink: warning, degraded link"\./,
    );
  });

  it('output cut short: exit 1 saying where', async () => {
    const run = await bench([], benchEnv(), { FAKE_BENCH_TRUNCATE: '1' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/gpuctl-bench's output ends in the middle of line 5: "\{"type":"result"/);
  });

  it('a crash: exit 1 with the signal and its last words', async () => {
    const run = await bench([], benchEnv(), { FAKE_BENCH_CRASH: '1' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /gpuctl-bench crashed \(SIGSEGV\) after 2 results\.\n {2}gpuctl-bench: fatal: an illegal memory access was encountered/,
    );
  });

  it('a hang: killed at the timeout, exit 1', async () => {
    const run = await bench([], benchEnv(), { FAKE_BENCH_HANG: '1', GPUCTL_BENCH_TIMEOUT_MS: '1500' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('did not finish within 2 s (0 results so far).');
  });
});

describe('building', () => {
  it('no nvcc and no prebuilt binary: exit 3 naming both remedies', async () => {
    const run = await bench([], benchEnv(['nvidia-smi', 'c++']));
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(
      'Error: No benchmark program for sm_90: nvcc is not on PATH, and this gpuctl ships no prebuilt gpuctl-bench',
    );
    expect(run.stderr).toContain('Install a CUDA toolkit (12.4 or newer; 13 for the newest GPUs)');
    expect(run.stderr).toContain('npm run build:native-fat');
  });

  it('--cpu with no C++ compiler and no prebuilt binary: exit 3 naming the compiler, no sm_ architecture', async () => {
    const run = await bench(['--cpu'], benchEnv(['nvcc']));
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(
      'Error: No benchmark program for the CPU suite: no C++ compiler on PATH (tried c++, g++, clang++), and this gpuctl ships no prebuilt gpuctl-bench',
    );
    expect(run.stderr).toContain('apt-get install g++ make');
    expect(run.stderr).not.toMatch(/sm_\d/);
  });

  it("--cpu: a C++ compile error is exit 1 with the compiler's first error lines", async () => {
    const run = await bench(['--cpu'], benchEnv(['c++']), { FAKE_CXX_MODE: 'fail' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      "(CPU suite) with c++ (Debian 12.2.0-14+deb12u1) 12.2.0 failed (make exit 2):\n  src/cpu.cpp:12:10: error: 'undefined_symbol' was not declared in this scope",
    );
  });

  it('no nvcc but a prebuilt binary: runs it and says so', async () => {
    const setup = benchEnv(['nvidia-smi'], { GPUCTL_BENCH_PREBUILT: join(FAKE_BIN, 'gpuctl-bench-fake') });
    const run = await bench(['--quick'], setup);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'Program: the prebuilt fat binary shipped with gpuctl (sm_75, sm_80, sm_86, sm_89, sm_90 + PTX; nvcc not found)',
    );
    expect((await bench(['--build-only', '--arch', 'sm_90'], setup)).stderr).toContain(
      'nvcc is not on PATH: --build-only compiles native/ and needs it.',
    );
  });

  it("a compile error: exit 1 with the compiler's first error lines", async () => {
    const setup = benchEnv();
    const run = await bench([], setup, { FAKE_NVCC_MODE: 'fail' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      'for sm_90 with nvcc V13.0.88 failed (make exit 2):\n  src/kernels.cu(12): error: identifier "undefined_symbol" is undefined\n        return undefined_symbol;',
    );
    expect(run.stderr).toMatch(/Hint: The full compiler output is in .*build-[0-9a-f]{12}\.log\./);
    expect(readdirSync(join(setup.home, '.cache/gpuctl/bench')).filter((n) => !n.endsWith('.log'))).toEqual([]);
  });

  it('nvcc that hangs: killed at the build timeout, exit 1, nothing cached', async () => {
    const setup = benchEnv();
    const run = await bench(['--build-only', '--arch', 'sm_80'], setup, { FAKE_NVCC_MODE: 'hang', GPUCTL_BENCH_BUILD_TIMEOUT_MS: '1500' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('for sm_80 with nvcc V13.0.88 did not finish within 2 s.');
    expect(readdirSync(join(setup.home, '.cache/gpuctl/bench')).filter((n) => !n.endsWith('.log'))).toEqual([]);
  });

  it('nvcc that cannot start its own libraries: exit 1, told to fix or remove it', async () => {
    const run = await bench([], benchEnv(), { FAKE_NVCC_MODE: 'broken-version' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('nvcc is on PATH but does not work');
  });

  it('--build-only --arch sm_70: Volta is not supported, exit 2, nothing run', async () => {
    const setup = benchEnv();
    const run = await bench(['--build-only', '--arch', 'sm_70'], setup);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Error: gpuctl-bench does not support sm_70 (Volta or older): it needs Turing (sm_75) or newer.');
    expect(calls(setup.nvccLog)).toEqual([]);
  });

  it('a Volta GPU: exit 3 naming it', async () => {
    const run = await bench([], benchEnv(), { FAKE_NVIDIA_SMI_FIXTURE: 'public/gls__V100_x8.nvidia-smi-q.txt' });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/Error: Tesla V100-SXM2-\S+ is sm_70: gpuctl-bench does not support sm_70/);
  });

  it('--build-only prints just the path (for scripts), builds for the GPU found, and needs no GPU with --arch', async () => {
    const setup = benchEnv(['nvcc']);
    const noGpu = await bench(['--build-only'], setup);
    expect(noGpu.exitCode).toBe(2);
    expect(noGpu.stderr).toContain('No GPU found to take the architecture from: pass --arch.');
    const run = await bench(['--build-only', '--arch', 'sm_89'], setup);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^\/.*\/gpuctl\/bench\/[0-9a-f]{64}\/gpuctl-bench$/);
    expect(existsSync(run.stdout)).toBe(true);
    expect(links(setup.nvccLog)[0]).toContain('arch=compute_89,code=[sm_89,compute_89]');
    chmodSync(run.stdout, 0o755);
  });
});
