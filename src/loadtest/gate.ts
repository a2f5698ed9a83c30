/**
 * The CI gate: --max-p95 and --min-rps against a run's summary. A gate on latency with no successful
 * response fails (there is nothing that met it); --min-rps counts 2xx responses per second (errors
 * answered fast are not throughput); a run without a single 2xx response fails even without a gate
 * (the target is down or broken, not fast). Pure.
 */
import type { LoadSummary } from './stats.js';

export interface Gate {
  maxP95Ms?: number;
  minRps?: number;
}

export interface GateCheck {
  name: 'p95' | 'rps' | '2xx responses';
  limit: string;
  actual: string;
  passed: boolean;
}

export interface GateVerdict {
  passed: boolean;
  checks: GateCheck[];
}

export const ms = (value: number): string =>
  value >= 100 ? `${value.toFixed(0)} ms` : value >= 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`;

export function evaluateGate(summary: LoadSummary, gate: Gate): GateVerdict {
  const checks: GateCheck[] = [];
  if (summary.ok2xx === 0) checks.push({ name: '2xx responses', limit: '≥ 1', actual: '0', passed: false });
  if (gate.maxP95Ms !== undefined) {
    const p95 = summary.latencyMs?.p95;
    checks.push({
      name: 'p95',
      limit: `≤ ${ms(gate.maxP95Ms)}`,
      actual: p95 === undefined ? 'no 2xx response' : ms(p95),
      passed: p95 !== undefined && p95 <= gate.maxP95Ms,
    });
  }
  if (gate.minRps !== undefined) {
    // 2xx responses per second: a service answering 503 fast must not pass a throughput gate.
    const okRps = summary.durationS > 0 ? summary.ok2xx / summary.durationS : 0;
    const actual = summary.non2xx > 0 ? `${okRps.toFixed(1)} 2xx/s (${summary.rps.toFixed(1)} with non-2xx)` : okRps.toFixed(1);
    checks.push({ name: 'rps', limit: `≥ ${gate.minRps}`, actual, passed: okRps >= gate.minRps });
  }
  return { passed: checks.every((c) => c.passed), checks };
}
