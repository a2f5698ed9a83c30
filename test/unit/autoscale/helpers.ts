/** Policies and samples for the autoscale unit tests. */
import { parsePolicy } from '../../../src/autoscale/policy.js';
import type { Policy } from '../../../src/autoscale/policy-schema.js';
import type { Read } from '../../../src/autoscale/signals.js';

export const BASE = `
app = "quant-signals"
min = 1
max = 6
interval = "15s"

[scale_up]
above = 80
for = "1m"

[scale_down]
below = 30
for = "2m"
`;

/** Top-level keys in `extra` go before the base's tables; tables after them. */
export function policy(extra = '', base = BASE): Policy {
  return parsePolicy(extra.trimStart().startsWith('[') ? `${base}\n${extra}` : `${extra}\n${base}`, 'test.toml');
}

/** A series sampled every `stepMs`, given oldest first; the last value is the newest (age 0). */
export function series(values: readonly number[], stepMs = 15_000): Read {
  return { kind: 'ok', points: values.map((value, i) => ({ ageMs: (values.length - 1 - i) * stepMs, value })) };
}

/** n samples of the same value. */
export const flat = (value: number, n = 12, stepMs = 15_000): Read =>
  series(
    Array.from({ length: n }, () => value),
    stepMs,
  );

export const missing = (reason = 'Prometheus unreachable'): Read => ({ kind: 'missing', reason });
