/**
 * XID events for the agent: the kernel log (`dmesg`, or $GPUCTL_DMESG) read at start and then every
 * `everyMs`, parsed by diag's parser (src/gpu/xid.ts). A log that cannot be read (dmesg_restrict in a
 * container, no dmesg) is reported as not readable, never as "no XID"; a change of readability is logged once.
 */
import { sameDevice, type XidEvent, type XidReport } from '../gpu/xid.js';
import type { Clock } from '../shared/clock.js';

export interface XidWatch {
  /** The last read; null before the first one finished. */
  state(): XidReport | null;
  stop(): void;
}

export function watchXids(read: () => Promise<XidReport>, everyMs: number, onLog: (message: string) => void, clock: Clock): XidWatch {
  let last: XidReport | null = null;
  let cancel: (() => void) | undefined;
  let stopped = false;
  const once = async () => {
    const report = await read().catch((error: unknown): XidReport => ({ readable: false, reason: (error as Error).message }));
    if (stopped) return;
    if (report.readable !== last?.readable)
      onLog(report.readable ? 'kernel log readable: XID events are exported' : `kernel log not readable (${report.reason}): no XID series`);
    last = report;
    cancel = clock.after(everyMs, () => void once());
  };
  void once();
  return {
    state: () => last,
    stop() {
      stopped = true;
      cancel?.();
    },
  };
}

/** Pure: one GPU's XID events (its PCI bus id against the log's), counted per code, and the last code seen. */
export function xidsFor(events: readonly XidEvent[], busId: string): { perCode: Map<number, number>; last: number } {
  const perCode = new Map<number, number>();
  let last = 0;
  for (const e of events)
    if (sameDevice(busId, e.pci)) {
      perCode.set(e.code, (perCode.get(e.code) ?? 0) + 1);
      last = e.code;
    }
  return { perCode, last };
}
