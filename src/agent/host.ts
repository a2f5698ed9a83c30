/** Host CPU and memory from Node's os module (no process started): utilisation over the last interval. */
import { cpus, freemem, loadavg, totalmem } from 'node:os';

export interface HostSample {
  cpuCount: number;
  /** Busy share of all CPUs since the previous reading, 0–1; null on the first reading. */
  cpuBusyRatio: number | null;
  load1: number;
  memoryTotalBytes: number;
  /** What the kernel says can be allocated without swapping (MemAvailable on Linux). */
  memoryAvailableBytes: number;
}

interface CpuTimes {
  busy: number;
  total: number;
}

function cpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const t = cpu.times;
    const all = t.user + t.nice + t.sys + t.irq + t.idle;
    total += all;
    busy += all - t.idle;
  }
  return { busy, total };
}

export function busyRatio(before: CpuTimes, after: CpuTimes): number | null {
  const total = after.total - before.total;
  return total > 0 ? Math.min(1, Math.max(0, (after.busy - before.busy) / total)) : null;
}

export class HostMeter {
  private previous = cpuTimes();
  private ratio: number | null = null;

  /** Called once per interval (not per request): folds the CPU time since the last call into a ratio. */
  tick(): void {
    const now = cpuTimes();
    this.ratio = busyRatio(this.previous, now) ?? this.ratio;
    this.previous = now;
  }

  read(): HostSample {
    return {
      cpuCount: cpus().length,
      cpuBusyRatio: this.ratio,
      load1: loadavg()[0] ?? 0,
      memoryTotalBytes: totalmem(),
      memoryAvailableBytes: freemem(),
    };
  }
}
