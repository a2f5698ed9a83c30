/**
 * A GPU that nvidia-smi stops listing during the diag (fallen off the bus) fails the diag with a check that says so,
 * keeping what the program and the kernel log said; it is not "an unexpected error" (a bug in gpuctl).
 */
import { describe, expect, it } from 'vitest';
import { decideMissing, type ProgramRun } from '../../../src/diag/decide.js';
import { runDiag } from '../../../src/diag/run.js';
import { DIAG_FIELDS, parseHealth } from '../../../src/diag/smi.js';
import { fakeClock } from '../../helpers/clock.js';
import { exited, makeTestCtx } from '../../helpers/ctx.js';

const PROGRAM = '/opt/gpuctl-bench';
const crashed: ProgramRun = { args: [], lines: [], exitCode: 1, outcome: 'exited', stderrTail: 'CUDA error: unspecified launch failure' };

describe('a GPU gone from nvidia-smi after the run', () => {
  it('runDiag: GPU 0 fails on "present" (and what the program said); the report is written, not thrown', async () => {
    const ctx = makeTestCtx({
      rules: [
        { match: (r) => r.file === 'nvidia-smi', result: exited('') }, // after the run: no GPU listed
        { match: (r) => r.file === PROGRAM, result: exited('', 1, 'CUDA error: unspecified launch failure\n') },
        { match: (r) => r.file === 'dmesg', result: exited('[  812.1] NVRM: Xid (PCI:0000:00:06): 79, GPU has fallen off the bus.\n') },
      ],
    });
    const report = await runDiag(ctx, { level: 'quick', gpus: [0], durationS: 1, program: PROGRAM, fault: undefined });
    expect(report.verdict).toBe('fail');
    expect(report.failed).toEqual(expect.arrayContaining(['GPU 0: present', 'GPU 0: compute', 'GPU 0: memtest', 'GPU 0: stress']));
    expect(report.gpus[0]).toMatchObject({ index: 0, verdict: 'fail' });
    expect(report.gpus[0]!.checks[0]).toEqual({
      name: 'present',
      verdict: 'fail',
      evidence: 'GPU 0 is no longer listed by nvidia-smi after the run',
    });
  });

  it('decideMissing: the last reading under load stands in for the counters; without one, the counter checks skip', () => {
    // the query's first ten fields (index … ecc.errors.uncorrected.volatile.total)
    const load = parseHealth('0, GPU-abc, NVIDIA H200, 00000000:00:06.0, 40, 300, 700, 1980, 1980, 2', DIAG_FIELDS.slice(0, 10));
    const xid = { readable: true as const, events: [] };
    const withLoad = decideMissing('quick', 0, { load, program: crashed, xid });
    expect(withLoad).toMatchObject({ index: 0, uuid: 'GPU-abc', name: 'NVIDIA H200', verdict: 'fail' });
    expect(withLoad.checks.find((c) => c.name === 'ecc')?.verdict).toBe('fail');
    const blind = decideMissing('quick', 3, { load: [], program: crashed, xid });
    expect(blind).toMatchObject({ index: 3, uuid: '', verdict: 'fail' });
    expect(blind.checks.find((c) => c.name === 'ecc')?.verdict).toBe('skip');
  });
});

describe('how the benchmark program ended, in words', () => {
  const health = (ctx: ReturnType<typeof makeTestCtx>) =>
    runDiag(ctx, { level: 'quick', gpus: [0], durationS: 1, program: PROGRAM, fault: undefined }).catch((e: unknown) => e as Error);

  it('killed by a signal: the evidence names the signal (it said "benchmark program signaled")', async () => {
    const ctx = makeTestCtx({
      clock: fakeClock({ autoAdvance: true }), // the sampler's sleeps pass at once
      rules: [
        { match: (r) => r.file === 'nvidia-smi', result: exited('') },
        { match: (r) => r.file === PROGRAM, result: { kind: 'signaled', signal: 'SIGSEGV', stdout: '', stderr: '' } },
        { match: (r) => r.file === 'dmesg', result: exited('') },
      ],
    });
    const report = (await health(ctx)) as Awaited<ReturnType<typeof runDiag>>;
    expect(report.gpus[0]!.checks.find((c) => c.name === 'compute')?.evidence).toBe(
      'only 0 of 3 known-result kernels reported (benchmark program killed by SIGSEGV)',
    );
  });

  it('no usable GPU: what the program said, without its advice to use --cpu (diag has none)', async () => {
    const error = JSON.stringify({
      type: 'error',
      code: 'no_gpu',
      message: 'no NVIDIA driver found (libcuda.so.1 could not be loaded); use --cpu to run the CPU implementations',
    });
    const ctx = makeTestCtx({
      clock: fakeClock({ autoAdvance: true }),
      rules: [
        { match: (r) => r.file === 'nvidia-smi', result: exited('') },
        {
          match: (r) => r.file === PROGRAM,
          result: (r) => {
            r.onLine?.(error, 'stdout');
            return exited(`${error}\n`, 3);
          },
        },
      ],
    });
    await expect(health(ctx)).resolves.toMatchObject({
      message: 'No usable GPU 0: no NVIDIA driver found (libcuda.so.1 could not be loaded)',
    });
  });
});
