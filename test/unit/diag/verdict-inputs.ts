/** diag's verdict tests' inputs: a recorded GPU by fixture name, a benchmark program's run, and the verdict of both. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decideGpu, type ProgramRun } from '../../../src/diag/decide.js';
import { parseHealth, type SmiHealth } from '../../../src/diag/smi.js';
import type { XidReport } from '../../../src/gpu/xid.js';
import { FIXTURES } from '../../helpers/cli.js';

/** A fixture's one GPU, read by its own header (the fields in the order nvidia-smi printed them). */
export function fixture(name: string): SmiHealth {
  const [head, ...rows] = readFileSync(join(FIXTURES, 'nvidia-smi/diag', `${name}.query-gpu.csv`), 'utf8')
    .trim()
    .split('\n');
  const fields = head!.split(', ').map((h) => h.replace(/\s*\[.*\]$/, ''));
  return parseHealth(rows.join('\n'), fields)[0]!;
}

/** A reading taken while the stress ran: the GPU busy (the recorded answers were taken just after a load, utilization 0). */
export const busy = (s: SmiHealth): SmiHealth => ({ ...s, utilizationPct: 100 });
export const noXid: XidReport = { readable: true, events: [] };
export const line = (o: Record<string, unknown>) => o;
export function program(extra: Array<Record<string, unknown>> = [], drop: string[] = []): ProgramRun {
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
export function verdictOf(name: string, smi = 'h200-clean', run = program(), xid = noXid) {
  const s = fixture(smi);
  return decideGpu('quick', { after: s, load: [busy(s), busy(s)], program: run, xid });
}
export const check = (r: ReturnType<typeof verdictOf>, name: string) => r.checks.find((c) => c.name === name)!;
