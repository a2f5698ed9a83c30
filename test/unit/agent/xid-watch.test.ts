import { describe, expect, it } from 'vitest';
import type { XidReport } from '../../../src/gpu/xid.js';
import { parseXids } from '../../../src/gpu/xid.js';
import { watchXids, xidsFor } from '../../../src/agent/xid-watch.js';
import { fakeClock } from '../../helpers/clock.js';

describe('the agent XID watch', () => {
  it('reads at once and every interval, keeps the last read, and logs only when readability changes', async () => {
    const clock = fakeClock();
    const reads: XidReport[] = [
      { readable: false, reason: 'dmesg exited 1: dmesg: read kernel buffer failed: Operation not permitted' },
      { readable: false, reason: 'dmesg exited 1: dmesg: read kernel buffer failed: Operation not permitted' },
      { readable: true, events: [] },
    ];
    let n = 0;
    const log: string[] = [];
    const watch = watchXids(
      async () => reads[Math.min(n++, reads.length - 1)]!,
      30_000,
      (m) => log.push(m),
      clock,
    );
    expect(watch.state()).toBeNull();
    await clock.advance(0);
    expect(watch.state()).toMatchObject({ readable: false });
    await clock.advance(29_999);
    expect(n).toBe(1); // the interval is the clock's: nothing before it has passed
    await clock.advance(1);
    await clock.advance(30_000);
    expect(n).toBe(3);
    expect(watch.state()).toEqual({ readable: true, events: [] });
    expect(log).toEqual([
      'kernel log not readable (dmesg exited 1: dmesg: read kernel buffer failed: Operation not permitted): no XID series',
      'kernel log readable: XID events are exported',
    ]);
    watch.stop();
    await clock.advance(90_000);
    expect(n).toBe(3);
    expect(clock.pending()).toBe(0);
  });

  it('turns a read that throws into "not readable" with its message', async () => {
    const clock = fakeClock();
    const watch = watchXids(
      () => Promise.reject(new Error('spawn EACCES')),
      1000,
      () => undefined,
      clock,
    );
    await clock.advance(0);
    expect(watch.state()).toEqual({ readable: false, reason: 'spawn EACCES' });
    watch.stop();
  });

  it("counts one GPU's events per code by its bus id (the log drops the domain width and function)", () => {
    const events = parseXids(
      '[1.0] NVRM: Xid (PCI:0000:18:00): 79, pid=1, GPU has fallen off the bus.\n' +
        '[2.0] NVRM: Xid (PCI:0000:18:00): 13, pid=2, Graphics Exception\n' +
        '[3.0] NVRM: Xid (PCI:0000:18:00): 13, pid=3, Graphics Exception\n' +
        '[4.0] NVRM: Xid (PCI:0000:2a:00): 48, pid=4, DBE\n',
    );
    expect(xidsFor(events, '00000000:18:00.0')).toEqual({
      perCode: new Map([
        [79, 1],
        [13, 2],
      ]),
      last: 13,
    });
    expect(xidsFor(events, '00000000:3A:00.0')).toEqual({ perCode: new Map(), last: 0 });
  });
});
