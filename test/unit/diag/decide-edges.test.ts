/** diag's verdict at its edges: each case fails when a comparison or field in decide/health-checks/smi moves (scripts/mutants/diag-*.json). */
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
import { DIAG_FIELDS, parseHealth } from '../../../src/diag/smi.js';
import { busy, check, fixture, noXid, program, verdictOf } from './verdict-inputs.js';

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
    const warm = { ...busy(clean), eccVolatile: 0 };
    const hot = { ...busy(clean), eccVolatile: 3 };
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
