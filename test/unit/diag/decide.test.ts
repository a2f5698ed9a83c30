/** diag's decision logic on recorded nvidia-smi outputs (test/fixtures/nvidia-smi/diag, from a real H200 capture). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideGpu, decideMissing, hostCopyCheck, memtestCheck, stressCheck, type ProgramRun } from '../../../src/diag/decide.js';
import {
  clockEventsCheck,
  eccCheck,
  pcieCheck,
  powerCheck,
  remappedRowsCheck,
  retiredPagesCheck,
  thermalCheck,
  xidCheck,
} from '../../../src/diag/health-checks.js';
import { DIAG_FIELDS, parseHealth, type SmiHealth } from '../../../src/diag/smi.js';
import type { XidReport } from '../../../src/gpu/xid.js';
import { FIXTURES } from '../../helpers/cli.js';

/** A fixture's one GPU, read by its own header (the fields in the order nvidia-smi printed them). */
function fixture(name: string): SmiHealth {
  const [head, ...rows] = readFileSync(join(FIXTURES, 'nvidia-smi/diag', `${name}.query-gpu.csv`), 'utf8')
    .trim()
    .split('\n');
  const fields = head!.split(', ').map((h) => h.replace(/\s*\[.*\]$/, ''));
  return parseHealth(rows.join('\n'), fields)[0]!;
}

const noXid: XidReport = { readable: true, events: [] };
const line = (o: Record<string, unknown>) => o;
function program(extra: Array<Record<string, unknown>> = [], drop: string[] = []): ProgramRun {
  const ok = { passed: true, metric: 'rel_l2', error: 1e-3, bound: 1e-2 };
  const lines = [
    line({ type: 'result', name: 'gemm_bf16', value: 600, check: ok }),
    line({ type: 'result', name: 'black_scholes', value: 2000, check: ok }),
    line({ type: 'result', name: 'mc_european', value: 6e4, check: { ...ok, metric: 'ci' } }),
    line({
      type: 'diag',
      name: 'memtest',
      passed: true,
      errors: 0,
      firstAddresses: [],
      bytesTested: 6e9,
      coverage: 0.04,
      passes: 41,
      GBs: 3930,
    }),
    line({
      type: 'diag',
      name: 'stress',
      passed: true,
      referencePassed: true,
      iterations: 1660,
      badIterations: 0,
      seconds: 3.2,
      tflops: 575,
      n: 8192,
    }),
  ].filter((l) => !drop.includes(String(l.name)));
  return { args: [], lines: [...lines, ...extra], exitCode: 0, outcome: 'exited', stderrTail: '' };
}
function verdictOf(name: string, smi = 'h200-clean', run = program(), xid = noXid) {
  const s = fixture(smi);
  return decideGpu('quick', { after: s, load: [s, s], program: run, xid });
}
const check = (r: ReturnType<typeof verdictOf>, name: string) => r.checks.find((c) => c.name === name)!;

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

/** Edges: each case fails when a comparison or field in diag's decide/health-checks/smi moves (scripts/mutants/diag-*.json). */
describe('diag verdict edges', () => {
  const clean = fixture('h200-clean');
  const quiet = { swThermal: false, swPowerCap: false, hwSlowdown: false, hwThermal: false, hwPowerBrake: false };
  const run = (lines: Array<Record<string, unknown>>): ProgramRun => ({ args: [], lines, exitCode: 0, outcome: 'exited', stderrTail: '' });
  const memtest = { type: 'diag', name: 'memtest', passed: true, errors: 0, bytesTested: 2 ** 33, coverage: 0.9, passes: 3, GBs: 3000 };

  it('compute: two of three known-result kernels is a failure', () => {
    expect(check(verdictOf('x', 'h200-clean', program([], ['mc_european'])), 'compute')).toMatchObject({
      verdict: 'fail',
      evidence: 'only 2 of 3 known-result kernels reported (benchmark program exit 0)',
    });
  });

  it('memtest: GiB, coverage, the share of the copy ceiling; 90% coverage is enough; a line without passed fails', () => {
    const ceiling = { type: 'result', name: 'memcpy_d2d', value: 4000 };
    expect(memtestCheck(run([memtest, ceiling]), 'medium')).toEqual({
      name: 'memtest',
      verdict: 'pass',
      evidence: '0 errors; 8.0 GiB tested (90.0% of free), 3 passes, 3000 GB/s = 75% of the cudaMemcpy ceiling 4000 GB/s',
    });
    expect(memtestCheck(run([{ ...memtest, coverage: 0.89 }]), 'medium').verdict).toBe('warn');
    expect(memtestCheck(run([{ ...memtest, coverage: 0.89 }]), 'quick').verdict).toBe('pass');
    expect(memtestCheck(run([{ ...memtest, passed: undefined }]), 'quick').verdict).toBe('fail');
  });

  it('stress: a skip line warns with its reason; a line without passed or referencePassed fails', () => {
    expect(stressCheck(run([{ type: 'skip', name: 'stress', reason: 'too little free memory' }]))).toEqual({
      name: 'stress',
      verdict: 'warn',
      evidence: 'not run: too little free memory',
    });
    const stress = { type: 'diag', name: 'stress', passed: true, referencePassed: true };
    expect(stressCheck(run([stress])).verdict).toBe('pass');
    expect(stressCheck(run([{ ...stress, referencePassed: undefined }])).evidence).toMatch(/^reference product wrong/);
    expect(stressCheck(run([{ ...stress, passed: undefined }])).evidence).toMatch(/iterations gave a wrong result/);
  });

  it('host copy: the slower direction against half the link, by generation; the first sample with a link state', () => {
    const copies = (h2d: number, d2h: number) =>
      run([
        { type: 'result', name: 'h2d_pinned', value: h2d },
        { type: 'result', name: 'd2h_pinned', value: d2h },
      ]);
    const link = (linkGen: number | null, linkWidth: number | null) => [{ ...clean, linkGen, linkWidth }];
    expect(hostCopyCheck(copies(10, 20), link(4, 16))).toEqual({
      name: 'host-copy',
      verdict: 'warn',
      evidence: 'pinned H2D 10.0 GB/s, D2H 20.0 GB/s; gen 4 x16 carries 31.5 GB/s: below half of it',
    });
    expect(hostCopyCheck(copies(55, 20), link(5, 16)).verdict).toBe('warn');
    expect(hostCopyCheck(copies(1, 1), link(1, 8)).verdict).toBe('pass'); // exactly half of 2 GB/s
    expect(hostCopyCheck(copies(10, 20), [...link(null, null), ...link(4, 16)]).verdict).toBe('warn');
    expect(hostCopyCheck(copies(10, 20), link(null, null)).verdict).toBe('skip');
  });

  it('host copy is judged from --level medium on, not at quick', () => {
    const s = fixture('h200-clean');
    const e = { after: s, load: [s], program: program(), xid: noXid };
    expect(decideGpu('quick', e).checks.map((c) => c.name)).not.toContain('host-copy');
    expect(decideGpu('medium', e).checks.map((c) => c.name)).toContain('host-copy');
  });

  it('a GPU gone after the run fails even when every other check passes; its counters are the last reading under load', () => {
    const warm = { ...clean, eccVolatile: 0 };
    const hot = { ...clean, eccVolatile: 3 };
    const r = decideMissing('quick', 0, { load: [warm, hot], program: program(), xid: noXid });
    expect(r.verdict).toBe('fail');
    expect(r.checks.find((c) => c.name === 'ecc')?.verdict).toBe('fail');
    const passing = decideMissing('quick', 0, { load: [hot, warm], program: program(), xid: noXid });
    expect(passing.checks.filter((c) => c.verdict === 'fail').map((c) => c.name)).toEqual(['present']);
    expect(passing.verdict).toBe('fail');
  });

  it('ECC, retired pages, remapped rows: one error fails; "no" passes; one field unreported still judges the other', () => {
    expect(eccCheck({ ...clean, eccVolatile: 1, eccAggregate: 1 }).verdict).toBe('fail');
    expect(retiredPagesCheck({ ...clean, retiredPending: false }).verdict).toBe('pass');
    expect(remappedRowsCheck({ ...clean, remapPending: false, remapFailure: null })).toMatchObject({ verdict: 'pass' });
  });

  it('clock events: each hardware reason fails alone; an unreported reason is not counted', () => {
    for (const reason of ['hwSlowdown', 'hwThermal', 'hwPowerBrake'] as const)
      expect(clockEventsCheck([{ ...clean, ...quiet, [reason]: true }]).verdict, reason).toBe('fail');
    const unreported = { ...clean, swThermal: null, swPowerCap: null, hwSlowdown: null, hwThermal: null, hwPowerBrake: null };
    expect(clockEventsCheck([unreported])).toMatchObject({
      verdict: 'pass',
      evidence: '1 samples under load: HW slowdown 0, HW thermal 0, HW power brake 0, SW thermal 0, SW power cap 0',
    });
  });

  it('thermal and power: the maximum under load, first and last temperature; no power reading is said', () => {
    const temps = [70, 93, 80].map((temperatureC) => ({ ...clean, temperatureC }));
    expect(thermalCheck(temps)).toEqual({
      name: 'thermal',
      verdict: 'fail',
      evidence: 'temperature under load 70 -> 80 C (max 93 C): at or above 92 C',
    });
    expect(powerCheck([{ ...clean, powerW: null }])).toEqual({ name: 'power', verdict: 'skip', evidence: 'power draw not reported' });
  });

  it('PCIe: a lower generation at full width fails; without the maximum the link is not judged', () => {
    expect(pcieCheck([{ ...clean, linkGen: 4, linkWidth: 16 }]).verdict).toBe('fail');
    expect(pcieCheck([{ ...clean, linkGenMax: null }])).toMatchObject({ verdict: 'skip', evidence: 'PCIe link not reported' });
  });

  it('XID: the evidence quotes the last event of this GPU', () => {
    const pci = '0000:00:06';
    const events = [13, 31].map((code) => ({ pci, code, text: `Xid ${code}` }));
    expect(xidCheck({ readable: true, events }, clean.busId).evidence).toBe('2 XID events (codes 13, 31); last: Xid 31');
  });

  it('parseHealth: blank lines are no GPU; a number nvidia-smi could not give is null', () => {
    const rows = parseHealth('0, GPU-a, H200, 00000000:00:06.0, ERR!\n\n', DIAG_FIELDS.slice(0, 5));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.temperatureC).toBeNull();
  });
});
