/**
 * How runDiag starts the benchmark program and what it makes of the ways a run ends: the program numbers GPUs as
 * nvidia-smi does (whose samples of that GPU diag judges), a missing binary is said in words, and Ctrl-C gives no
 * verdict at all (not a "fail" of a GPU that was only interrupted).
 */
import { describe, expect, it } from 'vitest';
import { runDiag, unusableError } from '../../../src/diag/run.js';
import type { GpuctlError } from '../../../src/errors.js';
import { fakeClock } from '../../helpers/clock.js';
import { exited, makeTestCtx } from '../../helpers/ctx.js';

const PROGRAM = '/opt/gpuctl-bench';
const ROW =
  '0, GPU-abc, NVIDIA H200, 00000000:00:06.0, 45, 300, 700, 1980, 1980, 0, 0, [N/A], No, No, 0x0, Not Active, Not Active, Not Active, Not Active, Not Active, 5, 5, 16, 16, 0\n';
const plan = { level: 'quick' as const, gpus: [0], durationS: 1, program: PROGRAM, fault: undefined };

describe('runDiag and the benchmark program', () => {
  it('runs it in PCI bus order and without CUDA_VISIBLE_DEVICES, so --device N is the GPU nvidia-smi calls N', async () => {
    const ctx = makeTestCtx({
      env: { CUDA_VISIBLE_DEVICES: '1', PATH: '/usr/bin' },
      clock: fakeClock({ autoAdvance: true }),
      rules: [
        { match: (r) => r.file === 'nvidia-smi', result: exited(ROW) },
        { match: (r) => r.file === PROGRAM, result: exited('', 1) },
        { match: (r) => r.file === 'dmesg', result: exited('') },
      ],
    });
    await runDiag(ctx, plan);
    const request = ctx.calls.find((c) => c.file === PROGRAM)!;
    expect(request.args.slice(0, 2)).toEqual(['--device', '0']);
    expect(request.env).toMatchObject({ CUDA_DEVICE_ORDER: 'PCI_BUS_ID', PATH: '/usr/bin' });
    expect(request.env?.CUDA_VISIBLE_DEVICES).toBeUndefined();
  });

  it('a binary gone by the time it runs: "could not start (PATH: no such file)", not "not-found"', async () => {
    const ctx = makeTestCtx({
      clock: fakeClock({ autoAdvance: true }),
      rules: [
        { match: (r) => r.file === 'nvidia-smi', result: exited(ROW) },
        { match: (r) => r.file === PROGRAM, result: { kind: 'not-found', file: PROGRAM } },
        { match: (r) => r.file === 'dmesg', result: exited('') },
      ],
    });
    const report = await runDiag(ctx, plan);
    expect(report.gpus[0]!.checks.find((c) => c.name === 'stress')?.evidence).toBe(
      'no stress result (benchmark program could not start (/opt/gpuctl-bench: no such file))',
    );
    expect(report.failed).toContain('GPU 0: load');
  });

  it('Ctrl-C while the program runs: an InterruptedError, no report (so no verdict reaches the state file)', async () => {
    const controller = new AbortController();
    const base = makeTestCtx({
      clock: fakeClock({ autoAdvance: true }),
      rules: [
        { match: (r) => r.file === 'nvidia-smi', result: exited(ROW) },
        {
          match: (r) => r.file === PROGRAM,
          result: () => {
            controller.abort();
            return { kind: 'interrupted', stdout: '', stderr: '' };
          },
        },
        { match: (r) => r.file === 'dmesg', result: exited('') },
      ],
    });
    const ctx = { ...base, signal: controller.signal };
    await expect(runDiag(ctx, { ...plan, gpus: [0, 1] })).rejects.toMatchObject({
      code: 'interrupted',
      message: 'Interrupted while testing GPU 0; no verdict was recorded.',
    });
    expect(base.calls.filter((c) => c.file === PROGRAM)).toHaveLength(1); // GPU 1 is not started
  });

  it("a later GPU the program cannot use (exit 3) keeps the earlier GPU's verdict; only no GPU measured at all throws", async () => {
    const noDevice = exited('', 3, 'gpuctl-bench: error no_gpu : cudaSetDevice(1): invalid device ordinal\n');
    const rules = (unusable: string[]) => [
      { match: (r: { file: string }) => r.file === 'nvidia-smi', result: exited(ROW) },
      {
        match: (r: { file: string }) => r.file === PROGRAM,
        result: (r: { args: readonly string[] }) => (unusable.includes(r.args[1]!) ? noDevice : exited('', 1)),
      },
      { match: (r: { file: string }) => r.file === 'dmesg', result: exited('') },
    ];
    const report = await runDiag(makeTestCtx({ clock: fakeClock({ autoAdvance: true }), rules: rules(['1']) }), { ...plan, gpus: [0, 1] });
    expect(report.gpus.map((g) => [g.index, g.verdict])).toEqual([[0, 'fail']]);
    expect(report.unusable.map((u) => u.index)).toEqual([1]);
    expect(report.unusable[0]!.message).toMatch(/^No usable GPU 1: .*cudaSetDevice\(1\): invalid device ordinal/);
    expect(unusableError(report)).toMatchObject({ code: 'device_missing', exitCode: 3 });
    const none = makeTestCtx({ clock: fakeClock({ autoAdvance: true }), rules: rules(['0']) });
    const error = await runDiag(none, plan).then(
      () => ({ code: 'none', message: 'no error' }),
      (e: unknown) => e as GpuctlError,
    );
    expect([error.code, error.message.startsWith('No usable GPU 0: ')]).toEqual(['device_missing', true]);
  });

  it("nvidia-smi failing after the run (a GPU fallen off the bus: exit 15) is that GPU's fail, with its words, not a lost report", async () => {
    let calls = 0;
    const ctx = makeTestCtx({
      clock: fakeClock({ autoAdvance: true }),
      rules: [
        {
          match: (r) => r.file === 'nvidia-smi',
          // the pre-flight reading works; once the program has run, the GPU is gone
          result: () =>
            ++calls === 1 ? exited(ROW) : exited('Unable to determine the device handle for GPU0000:00:06.0: Unknown Error\n', 15),
        },
        { match: (r) => r.file === PROGRAM, result: exited('', 1, 'CUDA error: unspecified launch failure\n') },
        { match: (r) => r.file === 'dmesg', result: exited('') },
      ],
    });
    const report = await runDiag(ctx, plan);
    expect(report.verdict).toBe('fail');
    expect(report.gpus[0]!.checks[0]).toEqual({
      name: 'present',
      verdict: 'fail',
      evidence:
        'nvidia-smi could not read GPU 0 after the run: nvidia-smi failed with exit code 15: Unable to determine the device handle for GPU0000:00:06.0: Unknown Error',
    });
  });

  it('garbage from nvidia-smi after the run is said as such, not "GPU 0 is no longer listed"', async () => {
    let calls = 0;
    const ctx = makeTestCtx({
      clock: fakeClock({ autoAdvance: true }),
      rules: [
        {
          match: (r) => r.file === 'nvidia-smi',
          result: () => exited(++calls === 1 ? ROW : '<html><body>502 Bad Gateway</body></html>\n'),
        },
        { match: (r) => r.file === PROGRAM, result: exited('', 1) },
        { match: (r) => r.file === 'dmesg', result: exited('') },
      ],
    });
    const report = await runDiag(ctx, plan);
    expect(report.gpus[0]!.checks[0]?.evidence).toBe(
      'nvidia-smi could not read GPU 0 after the run: nvidia-smi printed output gpuctl cannot read: "<html><body>502 Bad Gateway</body></html>".',
    );
  });

  it('the health query is read before the program starts: a driver nvidia-smi cannot reach stops diag before any stress', async () => {
    const ctx = makeTestCtx({
      clock: fakeClock({ autoAdvance: true }),
      rules: [
        {
          match: (r) => r.file === 'nvidia-smi',
          result: exited("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n", 9),
        },
        { match: (r) => r.file === PROGRAM, result: exited('', 0) },
      ],
    });
    await expect(runDiag(ctx, plan)).rejects.toMatchObject({
      message: 'nvidia-smi cannot reach the NVIDIA driver: it is not loaded or not installed.',
    });
    expect(ctx.calls.map((c) => c.file)).toEqual(['nvidia-smi']);
  });
});
