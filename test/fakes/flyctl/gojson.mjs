/**
 * Go's encoding/json as flyctl uses it. render.JSON is a json.Encoder with SetIndent("", "    ")
 * and HTML escaping on, plus a trailing newline; `version --json` is json.NewEncoder without an
 * indent (one compact line). Go map keys come out sorted: build maps with `sortedMap`.
 * Struct field order is the caller's job (insertion order of the object literal).
 */

const escapeHtml = (text) => text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** render.JSON: 4-space indent, HTML-escaped, newline-terminated. */
export const goJson = (value) => `${escapeHtml(JSON.stringify(value, null, 4))}\n`;

/** json.NewEncoder(w).Encode(v): compact, HTML-escaped, newline-terminated. */
export const goJsonCompact = (value) => `${escapeHtml(JSON.stringify(value))}\n`;

/** A copy of a string map with its keys in Go's sorted order. */
export function sortedMap(map) {
  const out = {};
  for (const key of Object.keys(map ?? {}).sort(compareGo)) out[key] = map[key];
  return out;
}

/** Go compares strings bytewise; for the ASCII keys used here that is plain code-unit order. */
export const compareGo = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** time.Duration.String(): "15s", "1m0s", "500ms", "1h30m0s". */
export function goDuration(ms) {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = String(rest / 1000);
  if (hours) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/**
 * Parses a fly.toml / flag duration: Go duration strings ("5m", "1m30s", "500ms") or a bare
 * integer. Bare integers mean `intUnitMs` each (checks: milliseconds; --wait-timeout: seconds).
 * Returns milliseconds, or undefined when the text is not a duration.
 */
export function parseDuration(value, intUnitMs = 1) {
  if (typeof value === 'number') return Number.isFinite(value) ? value * intUnitMs : undefined;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * intUnitMs;
  const units = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
  const re = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(re)) {
    total += Number(match[1]) * units[match[2]];
    consumed += match[0].length;
  }
  return consumed === text.length && consumed > 0 ? Math.round(total) : undefined;
}
