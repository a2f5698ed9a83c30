/**
 * Was the GPU under load (pure)? The clock-event, thermal, power and PCIe checks judge nvidia-smi's samples
 * "under load", so they are only as true as this. The evidence: how the benchmark program ended (its exit,
 * a timeout, a signal, not started), the work it reported (the stress line), and what nvidia-smi saw
 * (`utilization.gpu` in each sample, taken while the program ran). A sample counts as under load when the
 * GPU was busy in it; where the driver reports no utilization, the program's own word decides.
 */
import type { CheckResult } from './health-checks.js';
import type { ProgramRun } from './program-run.js';
import type { SmiHealth } from './smi.js';

/**
 * nvidia-smi's utilization.gpu: percent of the last sample period in which a kernel ran. At or above this, busy.
 * Measured on an H200 (docs/diag.md, "Under load"): the stress reads 100% in every 200 ms sample, idle 0%.
 */
export const BUSY_PCT = 50;

export interface LoadPhase {
  /** The check that says whether (and how) the GPU was loaded. */
  check: CheckResult;
  /** The samples the load checks may judge: taken while the program ran, with the GPU busy. */
  samples: SmiHealth[];
}

const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);

/** How the program ended, when not by its own exit 0 or 1 (1: a check failed, the run itself completed). */
export function abnormalEnd(run: ProgramRun): string | undefined {
  if (run.exitCode === 0 || run.exitCode === 1) return undefined;
  const tail = run.stderrTail ? `: ${run.stderrTail}` : '';
  return run.exitCode === null ? `the benchmark program ${run.outcome}${tail}` : `the benchmark program exited ${run.exitCode}${tail}`;
}

/** The stress the program reports having run (iterations over seconds), in words; undefined without one. */
function stressDone(run: ProgramRun): string | undefined {
  const d = stressLine(run);
  if (!d || !(n(d.iterations) > 0) || !(n(d.seconds) > 0)) return undefined;
  return `${n(d.seconds).toFixed(1)} s of stress (${n(d.iterations)} iterations)`;
}
const stressLine = (run: ProgramRun) => run.lines.find((l) => l.type === 'diag' && l.name === 'stress');

/** The stress seconds diag asked for (`--size seconds=N`), when it did. */
function askedSeconds(run: ProgramRun): number | undefined {
  const size = run.args.find((a) => /^seconds=\d+(\.\d+)?$/.test(a));
  return size === undefined ? undefined : Number(size.slice('seconds='.length));
}

/** A stress that stopped well short of what was asked (the program runs until the time is up, so never less). */
function cutShort(run: ProgramRun): string | undefined {
  const asked = askedSeconds(run),
    ran = n(stressLine(run)?.seconds);
  if (asked === undefined || !Number.isFinite(ran) || ran >= 0.9 * asked) return undefined;
  return `the program reports ${ran.toFixed(1)} s of stress where ${asked} s were asked: it stopped early`;
}

export function loadPhase(run: ProgramRun, samples: readonly SmiHealth[], samplingError?: string): LoadPhase {
  const check = (verdict: CheckResult['verdict'], evidence: string, loaded: SmiHealth[] = []): LoadPhase => ({
    check: { name: 'load', verdict, evidence },
    samples: loaded,
  });
  const reported = samples.filter((s) => s.utilizationPct !== null);
  const busy = reported.filter((s) => s.utilizationPct! >= BUSY_PCT);
  const seen = reported.length
    ? `nvidia-smi saw the GPU busy (utilization >= ${BUSY_PCT}%) in ${busy.length} of ${samples.length} samples`
    : samples.length
      ? `${samples.length} nvidia-smi samples without utilization`
      : `no nvidia-smi sample taken while it ran${samplingError ? ` (${samplingError.replace(/\.$/, '')})` : ''}`;
  const ended = abnormalEnd(run);
  // Cut short: only the samples nvidia-smi saw busy were under load (a crash mid-stress leaves some, a hang none).
  if (ended) return check('fail', `no complete load: ${ended}; ${seen}`, busy);
  const stress = stressDone(run);
  const short = cutShort(run);
  if (short) return check('fail', `${short}; ${seen}`, busy);
  if (!samples.length)
    return stress
      ? check('warn', `the program reports ${stress}, but ${seen}: clocks, temperature, power and link not judged`)
      : check('fail', `no load: no stress result and ${seen}`);
  if (reported.length) {
    if (busy.length) return check('pass', `${stress ?? 'no stress result'}; ${seen}`, busy);
    const top = Math.max(...reported.map((s) => s.utilizationPct!));
    return check(
      'fail',
      `${stress ? `the program reports ${stress}, but` : 'no stress result, and'} nvidia-smi saw this GPU idle in every sample ` +
        `(utilization at most ${top}% in ${samples.length}): the load ran on another GPU or none`,
    );
  }
  // No utilization reported (some drivers, MIG): the program's word decides.
  return stress
    ? check('pass', `${stress}; ${seen} (the program's word)`, [...samples])
    : check('fail', `no load: no stress result and ${seen}`);
}
