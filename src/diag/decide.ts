/**
 * The verdict (pure): every check of one GPU from its evidence (nvidia-smi before/under load/after,
 * the kernel log, the benchmark program's lines), then the GPU's and the run's verdict.
 * fail > warn > pass; a skipped check (not measurable here) never passes or fails a GPU by itself.
 */
import { parseHealth, type SmiHealth } from './smi.js';
import type { XidReport } from '../gpu/xid.js';
import * as h from './health-checks.js';
import { loadPhase } from './load.js';
import type { ProgramRun } from './program-run.js';
import type { CheckResult, Verdict } from './health-checks.js';

export type { ProgramRun } from './program-run.js';

export type Level = 'quick' | 'medium' | 'long';
export interface GpuEvidence {
  after: SmiHealth;
  load: SmiHealth[];
  program: ProgramRun;
  xid: XidReport;
  /** Why an nvidia-smi sample during the run failed (the first reason), if one did. */
  samplingError?: string | undefined;
}
export interface GpuResult {
  index: number;
  uuid: string;
  name: string;
  verdict: Verdict;
  checks: CheckResult[];
}

const COMPUTE = ['gemm_bf16', 'black_scholes', 'mc_european'];
const n = (v: unknown) => (typeof v === 'number' ? v : NaN);
const fixed = (v: unknown, d = 1) => (Number.isFinite(n(v)) ? n(v).toFixed(d) : 'n/a');

function errorFor(run: ProgramRun, name: string) {
  return run.lines.find((l) => l.type === 'error' && l.name === name);
}
function find(run: ProgramRun, type: string, name: string) {
  return run.lines.find((l) => l.type === type && l.name === name);
}

export function computeCheck(run: ProgramRun): CheckResult {
  const bad = COMPUTE.map((k) => errorFor(run, k)).filter(Boolean);
  if (bad.length)
    return { name: 'compute', verdict: 'fail', evidence: bad.map((e) => `${String(e!.name)}: ${String(e!.message)}`).join('; ') };
  const done = COMPUTE.map((k) => find(run, 'result', k)).filter(Boolean);
  // The protocol gives a failed check an error line and no result; a result without a passed check is not a match either.
  const unchecked = done.filter((r) => (r!.check as { passed?: unknown } | undefined)?.passed !== true);
  if (unchecked.length)
    return {
      name: 'compute',
      verdict: 'fail',
      evidence: `${unchecked.map((r) => String(r!.name)).join(', ')}: a result without a passed check (${programState(run)})`,
    };
  if (done.length < COMPUTE.length)
    return {
      name: 'compute',
      verdict: 'fail',
      evidence: `only ${done.length} of ${COMPUTE.length} known-result kernels reported (${programState(run)})`,
    };
  const text = done.map(
    (r) =>
      `${String(r!.name)} ${String((r!.check as { metric?: string }).metric)} ${Number((r!.check as { error?: number }).error).toExponential(1)}`,
  );
  return { name: 'compute', verdict: 'pass', evidence: `known results matched: ${text.join(', ')}` };
}

export function memtestCheck(run: ProgramRun, level: Level): CheckResult {
  const d = find(run, 'diag', 'memtest');
  if (!d) return { name: 'memtest', verdict: 'fail', evidence: `no memory test result (${programState(run)})` };
  const ceiling = find(run, 'result', 'memcpy_d2d');
  const ofCeiling = ceiling
    ? ` = ${((100 * n(d.GBs)) / n(ceiling.value)).toFixed(0)}% of the cudaMemcpy ceiling ${fixed(ceiling.value, 0)} GB/s`
    : '';
  const text = `${fixed(n(d.bytesTested) / 2 ** 30)} GiB tested (${fixed(100 * n(d.coverage))}% of free), ${String(d.passes)} passes, ${fixed(d.GBs, 0)} GB/s${ofCeiling}`;
  if (d.passed !== true) {
    const first = Array.isArray(d.firstAddresses) ? d.firstAddresses.join(', ') : 'n/a';
    return { name: 'memtest', verdict: 'fail', evidence: `${String(d.errors)} errors; first at ${first}; ${text}` };
  }
  if (level !== 'quick' && n(d.coverage) < 0.9)
    return { name: 'memtest', verdict: 'warn', evidence: `${text}: covered less than 90% of free memory` };
  return { name: 'memtest', verdict: 'pass', evidence: `0 errors; ${text}` };
}

export function stressCheck(run: ProgramRun): CheckResult {
  const d = find(run, 'diag', 'stress');
  if (!d) {
    const skip = find(run, 'skip', 'stress');
    if (skip) return { name: 'stress', verdict: 'warn', evidence: `not run: ${String(skip.reason)}` };
    return { name: 'stress', verdict: 'fail', evidence: `no stress result (${programState(run)})` };
  }
  const text = `${String(d.iterations)} iterations in ${fixed(d.seconds)} s, ${fixed(d.tflops, 0)} TFLOP/s sustained bf16 n=${String(d.n)} (first ${fixed(d.tflopsFirst, 0)}, last ${fixed(d.tflopsLast, 0)})`;
  if (d.referencePassed !== true)
    return { name: 'stress', verdict: 'fail', evidence: `reference product wrong (rel_l2 ${String(d.referenceError)}); ${text}` };
  if (d.passed !== true)
    return {
      name: 'stress',
      verdict: 'fail',
      evidence: `${String(d.badIterations)} iterations gave a wrong result (first: ${String(d.firstBadIteration)}, ${String(d.mismatches)} words); ${text}`,
    };
  return { name: 'stress', verdict: 'pass', evidence: `every iteration verified; ${text}` };
}

/** GB/s per lane of one PCIe generation (after encoding), x the width. */
const LANE_GBS: Record<number, number> = { 1: 0.25, 2: 0.5, 3: 0.985, 4: 1.969, 5: 3.938, 6: 7.563 };
export function hostCopyCheck(run: ProgramRun, load: readonly SmiHealth[]): CheckResult {
  const up = find(run, 'result', 'h2d_pinned'),
    down = find(run, 'result', 'd2h_pinned');
  const s = load.find((x) => x.linkGen !== null && x.linkWidth !== null);
  if (!up || !down || !s) return { name: 'host-copy', verdict: 'skip', evidence: 'pinned copies or link state not measured' };
  const ceiling = (LANE_GBS[s.linkGen!] ?? 0) * s.linkWidth!;
  const worst = Math.min(n(up.value), n(down.value));
  const text = `pinned H2D ${fixed(up.value)} GB/s, D2H ${fixed(down.value)} GB/s; gen ${s.linkGen} x${s.linkWidth} carries ${fixed(ceiling)} GB/s`;
  return {
    name: 'host-copy',
    verdict: worst < 0.5 * ceiling ? 'warn' : 'pass',
    evidence: worst < 0.5 * ceiling ? `${text}: below half of it` : text,
  };
}

function programState(run: ProgramRun): string {
  return run.exitCode === null
    ? `benchmark program ${run.outcome}`
    : `benchmark program exit ${run.exitCode}${run.stderrTail ? `: ${run.stderrTail}` : ''}`;
}

export function decideGpu(level: Level, e: GpuEvidence): GpuResult {
  // Only samples of a GPU shown to be under load are judged as such (load.ts); the load check says why not.
  const load = loadPhase(e.program, e.load, e.samplingError);
  const checks: CheckResult[] = [
    h.eccCheck(e.after),
    h.retiredPagesCheck(e.after),
    h.remappedRowsCheck(e.after),
    load.check,
    h.clockEventsCheck(load.samples),
    h.thermalCheck(load.samples),
    h.powerCheck(load.samples),
    h.pcieCheck(load.samples),
    h.xidCheck(e.xid, e.after.busId),
    computeCheck(e.program),
    memtestCheck(e.program, level),
    stressCheck(e.program),
  ];
  if (level !== 'quick') checks.push(hostCopyCheck(e.program, load.samples));
  const verdict: Verdict = checks.some((c) => c.verdict === 'fail') ? 'fail' : checks.some((c) => c.verdict === 'warn') ? 'warn' : 'pass';
  return { index: e.after.index, uuid: e.after.uuid, name: e.after.name, verdict, checks };
}

/**
 * A GPU nvidia-smi no longer lists, or cannot read (`unread`: its error), after the run (fallen off the bus: XID 79, or a driver reset): a failure of its own, beside
 * what the program and the kernel log said. Its counters are the last reading under load, else none (the checks skip).
 */
export function decideMissing(level: Level, index: number, e: Omit<GpuEvidence, 'after'>, unread?: string): GpuResult {
  const after = e.load.at(-1) ?? parseHealth(String(index))[0]!;
  const evidence = unread
    ? `nvidia-smi could not read GPU ${index} after the run: ${unread}`
    : `GPU ${index} is no longer listed by nvidia-smi after the run`;
  const gone = { name: 'present', verdict: 'fail' as const, evidence };
  const result = decideGpu(level, { ...e, after });
  return { ...result, index, verdict: 'fail', checks: [gone, ...result.checks] };
}
