/** The Prometheus text format read back with a real parser (parse-prometheus-text-format), never by string matching. */
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';

export type { PromFamily };

export function parseMetrics(text: string): Map<string, PromFamily> {
  return new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family]));
}

/** The value of the one series of `name` whose labels include `labels`; undefined when none. */
export function seriesValue(families: Map<string, PromFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const match = families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return match?.value === undefined ? undefined : Number(match.value);
}
