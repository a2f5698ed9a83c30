/**
 * XID events from the kernel log (pure): NVRM lines such as
 * `NVRM: Xid (PCI:0000:00:06): 79, pid=..., GPU has fallen off the bus.` Codes that mean the GPU
 * or its memory cannot be trusted fail; the others warn (NVIDIA's XID catalogue).
 */
export interface XidEvent {
  /** PCI address as the log writes it (domain:bus:device), lower case. */
  pci: string;
  code: number;
  text: string;
}

export type XidReport = { readable: true; events: XidEvent[] } | { readable: false; reason: string };

/** 48 DBE, 63/64 row remapping, 74 NVLink, 79 fallen off the bus, 92 high SBE rate, 94/95 contained/uncontained ECC, 119/120 GSP. */
export const CRITICAL_XIDS: readonly number[] = [48, 63, 64, 74, 79, 92, 94, 95, 119, 120];

export function parseXids(log: string): XidEvent[] {
  const events: XidEvent[] = [];
  for (const line of log.split(/\r?\n/)) {
    const m = /NVRM: Xid \(PCI:([0-9a-fA-F:.]+)\): (\d+)(.*)$/.exec(line);
    if (m) events.push({ pci: m[1]!.toLowerCase(), code: Number(m[2]), text: line.trim() });
  }
  return events;
}

/** nvidia-smi's bus id 00000000:00:06.0 against the log's 0000:00:06 (domain width and function differ). */
export function sameDevice(busId: string, pci: string): boolean {
  const norm = (s: string) => {
    const parts = s
      .toLowerCase()
      .replace(/\.\d+$/, '')
      .split(':');
    const [dom, bus, dev] = parts.length === 3 ? parts : ['0', parts[0] ?? '', parts[1] ?? ''];
    return `${parseInt(dom!, 16)}:${parseInt(bus!, 16)}:${parseInt(dev!, 16)}`;
  };
  return norm(busId) === norm(pci);
}
