/**
 * The one clock (issue 22, Time): runtime.ts builds it, and GPUCTL_NOW, its one test hook, is read
 * there only; the real clock's sleep answers Ctrl-C; the lock waits on the clock it is given; the test
 * helper's fake fires what falls due in order.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { clockFor, createContext } from '../../../src/runtime.js';
import { pinnedClock, realClock } from '../../../src/shared/clock.js';
import { withLock } from '../../../src/shared/lock.js';
import { fakeClock } from '../../helpers/clock.js';

const io = (env: Record<string, string>) => ({
  env,
  cwd: '/',
  stdout: { isTTY: false, write: () => undefined },
  stderr: { isTTY: false, write: () => undefined },
  stdinTTY: false,
  signal: new AbortController().signal,
  host: { nodeVersion: '22.0.0', platform: 'linux', arch: 'x64', pid: 1 },
});

describe('GPUCTL_NOW, read by runtime.ts only', () => {
  it('pins the wall time of ctx.clock; the present and monotonic time stay real', () => {
    const ctx = createContext(io({ GPUCTL_NOW: '2026-11-24T14:20:00Z' }), { json: false, verbose: false, color: false });
    expect(ctx.clock.now().toISOString()).toBe('2026-11-24T14:20:00.000Z');
    expect(ctx.clock.now().toISOString()).toBe('2026-11-24T14:20:00.000Z');
    expect(ctx.clock.present().getFullYear()).toBeGreaterThanOrEqual(2026);
    expect(ctx.clock.present().toISOString()).not.toBe('2026-11-24T14:20:00.000Z');
    const a = ctx.clock.monotonic();
    expect(ctx.clock.monotonic()).toBeGreaterThanOrEqual(a);
  });

  it('unset, the clock is the real one', () => {
    expect(clockFor({})).toBe(realClock);
    const ctx = createContext(io({}), { json: false, verbose: false, color: false });
    expect(ctx.clock).toBe(realClock);
  });

  it('a value that is not a time is a usage error where the time is asked for', () => {
    const clock = clockFor({ GPUCTL_NOW: 'monday' });
    expect(() => clock.now()).toThrow(UsageError);
    expect(() => clock.now()).toThrow(/GPUCTL_NOW="monday" is not a time; use ISO 8601/);
  });
});

describe('the real clock', () => {
  it('a sleep ends at once, false, when the signal aborts (before or during it)', async () => {
    const before = new AbortController();
    before.abort();
    expect(await realClock.sleep(60_000, before.signal)).toBe(false);
    const during = new AbortController();
    const sleeping = realClock.sleep(60_000, during.signal);
    during.abort();
    expect(await sleeping).toBe(false);
  });

  it('pinnedClock holds the wall time and keeps the rest', async () => {
    const fake = fakeClock({ start: '2026-12-04T06:00:00Z' });
    const pinned = pinnedClock(fake, new Date('2026-11-30T14:20:00Z'));
    expect(pinned.now().toISOString()).toBe('2026-11-30T14:20:00.000Z');
    expect(pinned.present().toISOString()).toBe('2026-12-04T06:00:00.000Z');
    let fired = 0;
    pinned.after(100, () => (fired += 1));
    await fake.advance(100);
    expect(fired).toBe(1);
    expect(pinned.monotonic()).toBe(100);
    expect(pinned.now().toISOString()).toBe('2026-11-30T14:20:00.000Z');
  });
});

describe('the lock waits on the clock it is given', () => {
  it('gives up after waitMs of the clock, polling every 500 ms of it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gpuctl-lock-')), 'x.lock');
    const release = await lock(path, { lockfilePath: path, realpath: false });
    const clock = fakeClock({ autoAdvance: true });
    let waited = 0;
    const wait = {
      signal: new AbortController().signal,
      clock,
      waitMs: 60_000,
      onWait: () => (waited += 1),
      timedOut: () => new Error('held for over a minute'),
      interrupted: () => new Error('interrupted'),
    };
    await expect(withLock(path, wait, async () => 'ran')).rejects.toThrow('held for over a minute');
    expect(waited).toBe(1);
    expect(clock.sleeps.every((ms) => ms === 500)).toBe(true);
    expect(clock.sleeps).toHaveLength(121);
    await release();
    expect(await withLock(path, wait, async () => 'ran')).toBe('ran');
  }, 30_000);
});

describe('the fake clock (test/helpers/clock.ts)', () => {
  it('fires timers, intervals and sleeps in time order, only when advanced, and not once cancelled', async () => {
    const clock = fakeClock();
    const seen: string[] = [];
    clock.after(300, () => seen.push(`after@${clock.monotonic()}`));
    const stop = clock.every(100, () => seen.push(`every@${clock.monotonic()}`));
    void clock.sleep(250).then(() => seen.push(`slept@${clock.monotonic()}`));
    const cancelled = clock.after(50, () => seen.push('cancelled'));
    cancelled();
    expect(seen).toEqual([]);
    await clock.advance(300);
    expect(seen).toEqual(['every@100', 'every@200', 'slept@250', 'after@300', 'every@300']);
    stop();
    await clock.advance(1000);
    expect(seen).toHaveLength(5);
    expect(clock.now().toISOString()).toBe('2026-11-22T12:00:01.300Z');
    expect(clock.pending()).toBe(0);
  });
});

describe('realClock timers longer than Node allows (2^31-1 ms, 24.8 days)', () => {
  it('sleep, after and every wait the whole time instead of firing after 1 ms (monitor --interval 30d, GPUCTL_BENCH_TIMEOUT_MS=3e9)', async () => {
    vi.useFakeTimers();
    try {
      const day = 24 * 3600_000;
      const fired: string[] = [];
      const slept = realClock.sleep(30 * day).then(() => fired.push('sleep'));
      realClock.after(30 * day, () => fired.push('after'));
      const stop = realClock.every(30 * day, () => fired.push('every'));
      await vi.advanceTimersByTimeAsync(29 * day);
      expect(fired).toEqual([]);
      await vi.advanceTimersByTimeAsync(day);
      await slept;
      expect(fired.sort()).toEqual(['after', 'every', 'sleep']);
      await vi.advanceTimersByTimeAsync(30 * day);
      expect(fired.filter((f) => f === 'every')).toHaveLength(2);
      stop();
      await vi.advanceTimersByTimeAsync(60 * day);
      expect(fired.filter((f) => f === 'every')).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
