/**
 * diag's samples are "under load" only when the benchmark program really loaded the GPU: the fake gpuctl-bench marks
 * the GPU its stress loads busy (FAKE_GPU_BUSY_DIR) and the fake nvidia-smi reports it so (utilization.gpu 100).
 * When the program skipped its stress, or loaded another GPU than the one sampled, the idle readings must not pass
 * the clock, thermal, power and link checks, nor the GPU.
 */
import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakePath, ROOT, tempHome } from '../helpers/cli.js';
import { diag, diagSetup } from './diag-helpers.js';

interface Report {
  verdict: string;
  failed: string[];
  gpus: Array<{ verdict: string; checks: Array<{ name: string; verdict: string; evidence: string }> }>;
}
const checkOf = (r: Report, name: string) => r.gpus[0]!.checks.find((c) => c.name === name);

describe('gpuctl diag: under load only when the GPU was loaded', () => {
  it('a healthy run: the load check names the stress and the busy samples; the others judge only those', async () => {
    const r = await diag(['--json']).run;
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(checkOf(report, 'load')).toMatchObject({ verdict: 'pass' });
    expect(checkOf(report, 'load')!.evidence).toMatch(
      /^3\.0 s of stress \(\d+ iterations\); nvidia-smi saw the GPU busy \(utilization >= 50%\) in [1-9]\d* of [1-9]\d* samples$/,
    );
    expect(checkOf(report, 'pcie-link')).toMatchObject({ verdict: 'pass' });
  });

  it('the stress ran on another GPU than the one sampled: FAIL naming load, the idle readings are not judged', async () => {
    const r = await diag([], { FAKE_BENCH_BUSY_DEVICE: '1' }).run;
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(
      /load +FAIL +the program reports 3\.0 s of stress \(\d+ iterations\), but nvidia-smi saw this GPU idle in every sample \(utilization at most 0% in \d+\): the load ran on another GPU or none/,
    );
    for (const name of ['clock-events', 'thermal', 'power', 'pcie-link'])
      expect(r.stdout).toMatch(new RegExp(`${name} +skip +no sample under load`));
    expect(r.stdout).not.toContain('under load: gen 5 x16');
    expect(r.stdout.trimEnd().endsWith('FAIL: GPU 0: load')).toBe(true);
  });

  it('the program skipped its stress (no cuBLASLt) and nvidia-smi saw the GPU idle: FAIL naming load, not PASS with warnings', async () => {
    const r = await diag(['--json'], { FAKE_BENCH_STRESS_SKIP: 'cuBLASLt unavailable: libcublasLt.so.13 not found' }).run;
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.failed).toEqual(['GPU 0: load']);
    expect(checkOf(report, 'stress')).toMatchObject({
      verdict: 'warn',
      evidence: 'not run: cuBLASLt unavailable: libcublasLt.so.13 not found',
    });
    expect(checkOf(report, 'load')).toMatchObject({ verdict: 'fail' });
    expect(checkOf(report, 'thermal')).toMatchObject({ verdict: 'skip', evidence: 'no sample under load' });
  });
});

describe('gpuctl diag: Ctrl-C in the middle', () => {
  it('stops the program, exits 130, prints no verdict and leaves the last state file as it was', async () => {
    const home = tempHome();
    const log = join(home, 'bench.log');
    const { env, state } = diagSetup({ FAKE_BENCH_HANG: '1', FAKE_BENCH_LOG: log });
    writeFileSync(state, 'the last real verdict\n');
    const child = execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), 'diag'], {
      reject: false,
      extendEnv: false,
      cwd: home,
      timeout: 20_000,
      env: { PATH: fakePath(['nvidia-smi', 'dmesg']), HOME: home, NO_COLOR: '1', TMPDIR: tmpdir(), ...env },
    });
    await expect.poll(() => existsSync(log), { timeout: 10_000 }).toBe(true);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(String(r.stderr)).toContain('Interrupted while testing GPU 0; no verdict was recorded.');
    expect(String(r.stdout)).toBe('');
    expect(readFileSync(state, 'utf8')).toBe('the last real verdict\n');
  });
});
