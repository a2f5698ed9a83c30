/** diag's decision logic on recorded nvidia-smi outputs (test/fixtures/nvidia-smi/diag, from a real H200 capture). */
import { describe, expect, it } from 'vitest';
import { decideGpu } from '../../../src/diag/decide.js';
import { clockEventsCheck, pcieCheck, thermalCheck } from '../../../src/diag/health-checks.js';
import { check, fixture, line, noXid, program, verdictOf } from './verdict-inputs.js';

describe('diag verdict on recorded nvidia-smi outputs', () => {
  it('the clean H200 capture passes every measurable check; unreported fields are skipped, not passed', () => {
    const r = verdictOf('clean');
    expect(r.verdict).toBe('pass');
    expect(check(r, 'retired-pages')).toMatchObject({ verdict: 'skip' });
    expect(check(r, 'pcie-link').evidence).toBe('PCIe under load: gen 5 x16 (max gen 5 x16)');
  });

  it.each([
    ['ecc-volatile', 'ecc', 'fail', 'volatile 2, aggregate 2'],
    ['ecc-aggregate', 'ecc', 'warn', 'aggregate 1'],
    ['retired-pending', 'retired-pages', 'fail', 'pending retirement: yes'],
    ['remap-pending', 'remapped-rows', 'fail', 'pending: yes'],
    ['remap-failure', 'remapped-rows', 'fail', 'remapping failure: yes'],
    ['link-downgraded', 'pcie-link', 'fail', 'gen 3 x8 (max gen 5 x16)'],
    ['thermal-throttle', 'clock-events', 'fail', 'HW thermal 2'],
    ['thermal-throttle', 'thermal', 'fail', 'max 93 C'],
    ['power-cap', 'clock-events', 'warn', 'power cap reached: normal under stress'],
  ])('%s: %s %s', (smi, name, verdict, evidence) => {
    const r = verdictOf(smi, smi);
    expect(check(r, name).verdict).toBe(verdict);
    expect(check(r, name).evidence).toContain(evidence);
    expect(r.verdict).toBe(verdict);
  });

  it('the boundaries: a link narrower than its maximum at full speed fails; 85 C warns and 92 C fails (at, not only above); SW thermal warns', () => {
    const clean = fixture('h200-clean');
    const narrow = pcieCheck([{ ...clean, linkGen: 5, linkWidth: 8 }]);
    expect(narrow.verdict).toBe('fail');
    expect(narrow.evidence).toContain('gen 5 x8');
    const at = (t: number) => thermalCheck([{ ...clean, temperatureC: t }]).verdict;
    expect([84, 85, 91, 92].map(at)).toEqual(['pass', 'warn', 'warn', 'fail']);
    const sw = clockEventsCheck([
      { ...clean, swThermal: true, swPowerCap: false, hwSlowdown: false, hwThermal: false, hwPowerBrake: false },
    ]);
    expect(sw.verdict).toBe('warn');
    expect(sw.evidence).toContain('the driver slowed the clocks for temperature');
  });

  it('a downgraded link seen only at idle is not judged: without samples under load the check is skipped', () => {
    const s = fixture('link-downgraded');
    const r = decideGpu('quick', { after: s, load: [], program: program(), xid: noXid });
    expect(check(r, 'pcie-link')).toMatchObject({ verdict: 'skip', evidence: 'no sample under load' });
  });

  it('the planted memory fault fails memtest with the error count and first address', () => {
    const bad = line({
      type: 'diag',
      name: 'memtest',
      passed: false,
      errors: 1,
      firstAddresses: ['0x7f6c30d55554'],
      bytesTested: 6e9,
      coverage: 0.04,
      passes: 41,
      GBs: 3934,
    });
    const r = verdictOf('memtest', 'h200-clean', program([bad], ['memtest']));
    expect(check(r, 'memtest')).toMatchObject({ verdict: 'fail' });
    expect(check(r, 'memtest').evidence).toMatch(/^1 errors; first at 0x7f6c30d55554;/);
  });

  it('the planted stress fault fails stress naming the iteration', () => {
    const bad = line({
      type: 'diag',
      name: 'stress',
      passed: false,
      referencePassed: true,
      iterations: 1660,
      badIterations: 1,
      firstBadIteration: 3,
      mismatches: 1,
      seconds: 3.2,
      tflops: 575,
      n: 8192,
    });
    const r = verdictOf('stress', 'h200-clean', program([bad], ['stress']));
    expect(check(r, 'stress').evidence).toMatch(/^1 iterations gave a wrong result \(first: 3, 1 words\)/);
    expect(r.verdict).toBe('fail');
  });

  it('a known-result kernel that failed its check, or a program that died early, fails', () => {
    const failed = program(
      [line({ type: 'error', code: 'check_failed', name: 'gemm_bf16', message: 'rel_l2 0.3 exceeds bound 0.01' })],
      ['gemm_bf16'],
    );
    expect(check(verdictOf('x', 'h200-clean', failed), 'compute').evidence).toBe('gemm_bf16: rel_l2 0.3 exceeds bound 0.01');
    const died = { ...program([], ['stress', 'memtest']), exitCode: null, outcome: 'killed by SIGSEGV' };
    const r = verdictOf('x', 'h200-clean', died);
    expect(check(r, 'stress')).toMatchObject({ verdict: 'fail', evidence: 'no stress result (benchmark program killed by SIGSEGV)' });
  });

  it('a result line without a passed check (garbage from the program) fails compute instead of crashing or passing', () => {
    const bare = program([line({ type: 'result', name: 'gemm_bf16', value: 600 })], ['gemm_bf16']);
    expect(check(verdictOf('x', 'h200-clean', bare), 'compute')).toMatchObject({
      verdict: 'fail',
      evidence: 'gemm_bf16: a result without a passed check (benchmark program exit 0)',
    });
    const unpassed = program(
      [line({ type: 'result', name: 'mc_european', value: 1, check: { passed: false, metric: 'ci' } })],
      ['mc_european'],
    );
    expect(check(verdictOf('x', 'h200-clean', unpassed), 'compute').verdict).toBe('fail');
  });

  it('XID: unreadable log is said, a critical code fails, another warns; only this GPU counts', () => {
    expect(
      check(
        verdictOf('x', 'h200-clean', program(), {
          readable: false,
          reason: 'dmesg exited 1: dmesg: read kernel buffer failed: Operation not permitted',
        }),
        'xid',
      ),
    ).toMatchObject({
      verdict: 'skip',
      evidence: 'kernel log not readable (dmesg exited 1: dmesg: read kernel buffer failed: Operation not permitted)',
    });
    const ev = (code: number, pci = '0000:00:06') => ({
      readable: true as const,
      events: [{ pci, code, text: `NVRM: Xid (PCI:${pci}): ${code}, pid=1` }],
    });
    expect(check(verdictOf('x', 'h200-clean', program(), ev(79)), 'xid').verdict).toBe('fail');
    expect(check(verdictOf('x', 'h200-clean', program(), ev(13)), 'xid').verdict).toBe('warn');
    expect(check(verdictOf('x', 'h200-clean', program(), ev(79, '0000:00:07')), 'xid').verdict).toBe('pass');
  });
});
