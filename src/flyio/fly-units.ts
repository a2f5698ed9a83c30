/**
 * fly.toml's units, read the way flyctl reads them: durations are Go duration strings or integer
 * milliseconds; kill_timeout is an integer of seconds or a duration; memory is an integer of MB
 * or a size string ("2gb", "512mb", binary multiples).
 */
const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or null when the value is not a duration flyctl would accept. */
export function durationMs(value: unknown): number | null {
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '0') return 0;
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    part.lastIndex = at;
    const match = part.exec(text);
    if (!match?.[1] || !match[2]) return null;
    total += Number(match[1]) * (DURATION_UNITS_MS[match[2]] ?? Number.NaN);
    at = part.lastIndex;
  }
  return at === 0 || Number.isNaN(total) ? null : total;
}

/** kill_timeout: an integer is seconds; a string is a duration. */
export function killTimeoutSeconds(value: unknown): number | null {
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  const ms = durationMs(value);
  return ms === null ? null : ms / 1000;
}

/** Go's time.Duration.String() for whole milliseconds: 90000 → "1m30s", 500 → "500ms", 0 → "0s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

const SIZE_MB: Readonly<Record<string, number>> = {
  '': 1,
  k: 1 / 1024,
  kb: 1 / 1024,
  m: 1,
  mb: 1,
  g: 1024,
  gb: 1024,
  t: 1024 * 1024,
  tb: 1024 * 1024,
};

/** Memory in MB: an integer is MB; "2gb" / "2GB" / "512mb" / "1.5g" use binary multiples (as flyctl does). */
export function memoryMb(value: unknown): number | null {
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*?)(?:i?b)?\s*$/i.exec(value);
  if (!match?.[1]) return null;
  const unit = (match[2] ?? '').toLowerCase();
  const factor = SIZE_MB[unit] ?? SIZE_MB[`${unit}b`];
  return factor === undefined ? null : Math.round(Number(match[1]) * factor);
}
