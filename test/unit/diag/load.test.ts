/**
 * The load phase (src/diag/load.ts through decideGpu): the clock, thermal, power and PCIe checks judge only samples
 * taken while the program loaded the GPU. A hung, crashed, unstarted or early-exiting program, or a GPU nvidia-smi saw
 * idle, never lets those checks pass on idle readings, nor the GPU pass.
 */
import { describe, expect, it } from 'vitest';
import { decideGpu, type ProgramRun } from '../../../src/diag/decide.js';
import { busy, fixture, noXid, program } from './verdict-inputs.js';

const idle = fixture('h200-clean'); // utilization.gpu 0: the recorded answer after the load
const hot = { ...busy(idle), temperatureC: 93 };
const LOAD_CHECKS = ['clock-events', 'thermal', 'power', 'pcie-link'];
const decide = (run: ProgramRun, load = [idle, idle, idle], samplingError?: string) =>
  decideGpu('quick', { after: idle, load, program: run, xid: noXid, samplingError });
const verdicts = (r: ReturnType<typeof decide>) => Object.fromEntries(r.checks.map((c) => [c.name, c.verdict]));
const evidence = (r: ReturnType<typeof decide>, name: string) => r.checks.find((c) => c.name === name)?.evidence;
const cut = (outcome: string, stderrTail = ''): ProgramRun => ({
  ...program([], ['memtest', 'stress']),
  exitCode: null,
  outcome,
  stderrTail,
});

describe('diag: under load only when the program loaded the GPU', () => {
  it.each([
    ['hung until its timeout', cut('did not finish within 120 s'), 'no complete load: the benchmark program did not finish within 120 s'],
    [
      'killed by a signal',
      cut('killed by SIGSEGV', 'an illegal memory access'),
      'no complete load: the benchmark program killed by SIGSEGV: an illegal memory access',
    ],
    [
      'never started',
      cut('could not start (/opt/gpuctl-bench: no such file)'),
      'no complete load: the benchmark program could not start (/opt/gpuctl-bench: no such file)',
    ],
    [
      'exited 2 (a usage error)',
      { ...program([], ['stress']), exitCode: 2, stderrTail: 'unknown argument' },
      'no complete load: the benchmark program exited 2: unknown argument',
    ],
  ])('%s, idle samples: load fails, the load checks skip instead of passing', (_, run, said) => {
    const r = decide(run);
    expect(r.checks.find((c) => c.name === 'load')).toEqual({
      name: 'load',
      verdict: 'fail',
      evidence: `${said}; nvidia-smi saw the GPU busy (utilization >= 50%) in 0 of 3 samples`,
    });
    for (const name of LOAD_CHECKS) expect(verdicts(r)[name], name).toBe('skip');
    expect(r.verdict).toBe('fail');
  });

  it('a crash in the middle of the stress: the busy samples before it are still judged (and can fail)', () => {
    const r = decide(cut('killed by SIGSEGV'), [busy(idle), hot, idle]);
    expect(verdicts(r)).toMatchObject({ load: 'fail', thermal: 'fail', 'pcie-link': 'pass' });
    expect(evidence(r, 'thermal')).toBe('temperature under load 45 -> 93 C (max 93 C): at or above 92 C');
    expect(evidence(r, 'clock-events')).toMatch(/^2 samples under load:/);
  });

  it('a program that reports its stress while nvidia-smi saw the GPU idle throughout: load fails, nothing is judged idle', () => {
    const r = decide(program());
    expect(verdicts(r)).toMatchObject({
      load: 'fail',
      'clock-events': 'skip',
      thermal: 'skip',
      power: 'skip',
      'pcie-link': 'skip',
      stress: 'pass',
    });
    expect(evidence(r, 'load')).toBe(
      'the program reports 3.2 s of stress (1660 iterations), but nvidia-smi saw this GPU idle in every sample (utilization at most 0% in 3): the load ran on another GPU or none',
    );
    expect(r.verdict).toBe('fail');
  });

  it('only the busy samples are under load: an idle start-up sample with a lowered link does not fail pcie-link', () => {
    const startUp = { ...idle, linkGen: 1, temperatureC: 30 };
    const r = decide(program(), [startUp, busy(idle), busy(idle)]);
    expect(verdicts(r)).toMatchObject({ load: 'pass', 'pcie-link': 'pass' });
    expect(evidence(r, 'load')).toBe(
      '3.2 s of stress (1660 iterations); nvidia-smi saw the GPU busy (utilization >= 50%) in 2 of 3 samples',
    );
    expect(evidence(r, 'thermal')).toBe('temperature under load 45 -> 45 C (max 45 C)');
  });

  it('no sample while it ran (nvidia-smi failing meanwhile): load warns saying why, the load checks skip', () => {
    const r = decide(program(), [], 'nvidia-smi did not answer within 10 s.');
    expect(r.checks.find((c) => c.name === 'load')).toEqual({
      name: 'load',
      verdict: 'warn',
      evidence:
        'the program reports 3.2 s of stress (1660 iterations), but no nvidia-smi sample taken while it ran (nvidia-smi did not answer within 10 s): clocks, temperature, power and link not judged',
    });
    expect(r.verdict).toBe('warn');
  });

  it('a driver that reports no utilization: the program’s reported stress decides; without one there is no load', () => {
    const blind = { ...idle, utilizationPct: null };
    const r = decide(program(), [blind, blind]);
    expect(verdicts(r)).toMatchObject({ load: 'pass', 'pcie-link': 'pass' });
    expect(evidence(r, 'load')).toBe("3.2 s of stress (1660 iterations); 2 nvidia-smi samples without utilization (the program's word)");
    const skipped = program([{ type: 'skip', name: 'stress', reason: 'cuBLASLt unavailable' }], ['stress']);
    expect(verdicts(decide(skipped, [blind, blind]))).toMatchObject({ load: 'fail', stress: 'warn', 'pcie-link': 'skip' });
  });

  it('a stress that stopped well short of the seconds asked (exit 0, every iteration verified): load fails, saying so', () => {
    const asked = (seconds: number, lines = program()) => ({ ...lines, args: ['--size', 'n=16384', '--size', `seconds=${seconds}`] });
    const r = decide(asked(90), [busy(idle), busy(idle)]);
    expect(r.checks.find((c) => c.name === 'load')).toEqual({
      name: 'load',
      verdict: 'fail',
      evidence:
        'the program reports 3.2 s of stress where 90 s were asked: it stopped early; nvidia-smi saw the GPU busy (utilization >= 50%) in 2 of 2 samples',
    });
    expect(verdicts(r)).toMatchObject({ stress: 'pass', thermal: 'pass' }); // the busy samples are still judged
    expect(r.verdict).toBe('fail');
    expect(verdicts(decide(asked(3), [busy(idle)])).load).toBe('pass'); // 3.2 s of 3: the program runs until the time is up
  });

  it('busy means utilization at or above 50%: a sample at 49% is idle (a kernel ran in under half of its period)', () => {
    const at = (pct: number) => ({ ...idle, utilizationPct: pct });
    expect(verdicts(decide(program(), [at(49), at(49)])).load).toBe('fail');
    expect(evidence(decide(program(), [at(49), at(50)]), 'load')).toContain('busy (utilization >= 50%) in 1 of 2 samples');
  });
});
