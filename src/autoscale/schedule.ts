/**
 * Schedule windows in an IANA time zone, with Intl only. Every instant is converted to the zone's
 * wall clock on its own, so daylight-saving changes need no special case: 09:30 New York is 14:30Z
 * in winter and 13:30Z in summer; a wall-clock time skipped in spring never occurs, and one
 * repeated in autumn is inside the window both times.
 */
import { DAYS, type Day, type Window } from './policy-schema.js';

export interface WallClock {
  day: Day;
  /** Minutes after local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = formatter(timeZone).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = get('weekday').toLowerCase().slice(0, 3) as Day;
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const previousDay = (day: Day): Day => DAYS[(DAYS.indexOf(day) + 6) % 7]!;

/** Is this instant inside the window proper (no warm-up)? */
export function inWindow(window: Window, instant: Date): boolean {
  const { day, minutes } = wallClock(instant, window.timeZone);
  if (window.end > window.start) return window.days.includes(day) && minutes >= window.start && minutes < window.end;
  // Past midnight: the evening part belongs to its own day, the morning part to the day before.
  return (window.days.includes(day) && minutes >= window.start) || (window.days.includes(previousDay(day)) && minutes < window.end);
}

export type WindowState = { window: Window; phase: 'open' | 'warmup' };

/** The windows in force now: open, or opening within their warm-up. */
export function activeWindows(windows: readonly Window[], now: Date): WindowState[] {
  const states: WindowState[] = [];
  for (const window of windows) {
    if (inWindow(window, now)) states.push({ window, phase: 'open' });
    else if (window.warmupMs > 0 && opensWithin(window, now, window.warmupMs)) states.push({ window, phase: 'warmup' });
  }
  return states;
}

/** True when the window opens at some instant in (now, now + ms]: checked minute by minute (warm-ups are short). */
function opensWithin(window: Window, now: Date, ms: number): boolean {
  const base = Math.floor(now.getTime() / 60_000) * 60_000;
  for (let t = base + 60_000; t <= now.getTime() + ms; t += 60_000) if (inWindow(window, new Date(t))) return true;
  return false;
}

export function describeWindow(w: Window): string {
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const warm = w.warmupMs ? `, warm-up ${Math.round(w.warmupMs / 60_000)} min` : '';
  return `${w.name} (${w.days.join(',')} ${hhmm(w.start)}-${hhmm(w.end)} ${w.timeZone}${warm}, min ${w.min})`;
}
