import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/autoscale/decide.js';
import { activeWindows, inWindow, wallClock } from '../../../src/autoscale/schedule.js';
import { flat, missing, policy } from './helpers.js';

const MARKET = `
[[schedule]]
name = "NYSE"
timezone = "America/New_York"
days = ["mon", "tue", "wed", "thu", "fri"]
start = "09:30"
end = "16:00"
warmup = "15m"
min = 3
`;
const market = policy(MARKET);
const phase = (iso: string) => activeWindows(market.schedule, new Date(iso))[0]?.phase ?? 'closed';

describe('schedule windows in America/New_York', () => {
  it.each([
    // An ordinary winter week (EST, UTC-5).
    ['2026-11-24T14:10:00Z', 'closed', 'Tue 09:10, before the warm-up'],
    ['2026-11-24T14:15:00Z', 'warmup', 'Tue 09:15, the warm-up starts'],
    ['2026-11-24T14:30:00Z', 'open', 'Tue 09:30, the open'],
    ['2026-11-24T20:59:00Z', 'open', 'Tue 15:59'],
    ['2026-11-24T21:00:00Z', 'closed', 'Tue 16:00, the close'],
    ['2026-11-28T15:00:00Z', 'closed', 'Saturday'],
    ['2026-11-30T14:20:00Z', 'warmup', 'Monday warm-up after a weekend'],
    // Spring forward: Sunday 2026-03-08, 02:00 EST -> 03:00 EDT.
    ['2026-03-06T13:30:00Z', 'closed', 'Fri before: 08:30 EST'],
    ['2026-03-06T14:30:00Z', 'open', 'Fri before: 09:30 EST'],
    ['2026-03-06T20:30:00Z', 'open', 'Fri before: 15:30 EST'],
    ['2026-03-09T13:15:00Z', 'warmup', 'Mon after: 09:15 EDT'],
    ['2026-03-09T13:30:00Z', 'open', 'Mon after: 09:30 EDT is 13:30Z'],
    ['2026-03-09T20:00:00Z', 'closed', 'Mon after: 16:00 EDT is 20:00Z'],
    // Fall back: Sunday 2026-11-01, 02:00 EDT -> 01:00 EST.
    ['2026-10-30T13:30:00Z', 'open', 'Fri before: 09:30 EDT'],
    ['2026-11-02T13:30:00Z', 'closed', 'Mon after: 13:30Z is 08:30 EST'],
    ['2026-11-02T14:15:00Z', 'warmup', 'Mon after: 09:15 EST'],
    ['2026-11-02T14:30:00Z', 'open', 'Mon after: 09:30 EST'],
    ['2026-11-02T20:59:00Z', 'open', 'Mon after: 15:59 EST'],
  ])('%s is %s (%s)', (iso, expected) => {
    expect(phase(iso)).toBe(expected);
  });

  it('a wall-clock time repeated in autumn is inside the window both times', () => {
    const night = policy('[[schedule]]\ntimezone = "America/New_York"\ndays = ["sun"]\nstart = "01:00"\nend = "01:30"\nmin = 2')
      .schedule[0]!;
    expect(wallClock(new Date('2026-11-01T05:15:00Z'), 'America/New_York')).toEqual({ day: 'sun', minutes: 75 });
    expect(wallClock(new Date('2026-11-01T06:15:00Z'), 'America/New_York')).toEqual({ day: 'sun', minutes: 75 });
    expect(inWindow(night, new Date('2026-11-01T05:15:00Z'))).toBe(true); // 01:15 EDT
    expect(inWindow(night, new Date('2026-11-01T06:15:00Z'))).toBe(true); // 01:15 EST
    expect(inWindow(night, new Date('2026-11-01T05:45:00Z'))).toBe(false); // 01:45 EDT
  });

  it('a wall-clock time skipped in spring never happens that night', () => {
    const night = policy('[[schedule]]\ntimezone = "America/New_York"\ndays = ["sun", "mon"]\nstart = "02:00"\nend = "02:30"\nmin = 2')
      .schedule[0]!;
    const sunday = Array.from({ length: 12 * 4 }, (_, i) => new Date(Date.parse('2026-03-08T05:00:00Z') + i * 5 * 60_000));
    expect(sunday.filter((t) => inWindow(night, t))).toEqual([]);
    expect(inWindow(night, new Date('2026-03-09T06:15:00Z'))).toBe(true); // Monday 02:15 EDT
  });

  it('a window past midnight belongs to the day it starts', () => {
    const late = policy('[[schedule]]\ntimezone = "Asia/Tokyo"\ndays = ["fri"]\nstart = "22:00"\nend = "02:00"\nmin = 2').schedule[0]!;
    expect(inWindow(late, new Date('2026-11-27T13:30:00Z'))).toBe(true); // Fri 22:30 JST
    expect(inWindow(late, new Date('2026-11-27T16:30:00Z'))).toBe(true); // Sat 01:30 JST
    expect(inWindow(late, new Date('2026-11-28T13:30:00Z'))).toBe(false); // Sat 22:30 JST
    expect(inWindow(late, new Date('2026-11-27T13:00:00Z'))).toBe(true); // Fri 22:00 JST, the start
    expect(inWindow(late, new Date('2026-11-27T17:00:00Z'))).toBe(false); // Sat 02:00 JST, the end
  });

  it('midnight is minute 0, not 24:00', () => {
    expect(wallClock(new Date('2026-11-24T00:30:00Z'), 'UTC')).toEqual({ day: 'tue', minutes: 30 });
  });

  it('a warm-up that is not whole minutes: the open inside it is seen from any second of the minute', () => {
    const w = policy('[[schedule]]\ntimezone = "UTC"\nstart = "10:00"\nend = "11:00"\nwarmup = "90s"\nmin = 2').schedule[0]!;
    // Tuesday 09:58:50 UTC: the window opens 70 s later, inside the 90 s warm-up.
    expect(activeWindows([w], new Date('2026-11-24T09:58:50Z')).map((a) => a.phase)).toEqual(['warmup']);
    expect(activeWindows([w], new Date('2026-11-24T09:58:20Z'))).toEqual([]);
  });
});

describe('decide with a schedule', () => {
  it.each([
    ['2026-11-24T17:00:00Z', { ord: 1 }, flat(50), 'schedule', 3, /NYSE is open/],
    ['2026-11-24T14:20:00Z', { ord: 1 }, flat(50), 'schedule', 3, /warm-up/],
    ['2026-03-09T13:20:00Z', { ord: 1 }, flat(50), 'schedule', 3, /warm-up/],
    ['2026-11-24T17:00:00Z', { ord: 1 }, missing(), 'schedule', 3, /floor of 3/],
    ['2026-11-24T17:00:00Z', { ord: 3 }, flat(5), 'steady', 3, /already at the floor of 3/],
    ['2026-11-24T23:00:00Z', { ord: 3 }, flat(5), 'scale-down', 2, /below 30/],
    ['2026-11-24T23:00:00Z', { ord: 1 }, flat(5), 'steady', 1, /floor of 1/],
    ['2026-11-24T23:00:00Z', { ord: 3 }, missing(), 'no-data', 3, /no action/],
    ['2026-11-02T13:30:00Z', { ord: 1 }, flat(50), 'steady', 1, /not utilisation above/],
  ] as const)('%s with %o', (iso, before, utilization, rule, target, reason) => {
    const d = decide(market, { utilization }, before, {}, new Date(iso));
    expect({ rule: d.rule, target: d.target }, d.reason).toEqual({ rule, target });
    expect(d.reason).toMatch(reason);
  });
});
