/**
 * The CPU layout that replaces a retired GPU guest, in one text for every GPU stop: deploy (preflight, and Fly.io's
 * rejection under --allow-gpu), validate (fly-gpu-retired) and init (its banner and fly.toml comment).
 * performance-8x (CPU_FALLBACK) has a GPU machine's 8 CPUs. Memory: the guest keeps what it wrote; a GPU size preset
 * without memory had 32 GB, more than performance-8x's own 16 GB, so the layout raises it to the preset's; gpu_kind
 * alone got flyctl's performance-8x base (16 GB) and keeps it. The init command it names writes the same memory
 * (`--memory`), or says it writes performance-8x's own where performance-8x cannot have the guest's.
 */
import { CPU_FALLBACK } from './gpu-kinds.js';
import { memoryMb } from './fly-units.js';
import { writtenMemory, type VmSection } from './fly-model.js';
import { isGpuPreset, memoryFits, vmSize } from './vm-sizes.js';

export interface CpuLayoutGuest {
  /** memory as the [[vm]] wrote it, if it did. */
  memory?: string | undefined;
  /** The guest came from a GPU size preset (a10, l40s, a100-40gb, a100-80gb: 32 GB). */
  fromPreset: boolean;
  processes?: readonly string[];
}

/** performance-8x's own memory, e.g. "16 GB". */
const FALLBACK = vmSize(CPU_FALLBACK.size);
const OWN_MEMORY = `${(FALLBACK?.memoryMb ?? 0) / 1024} GB`;

/** The memory the CPU layout sets: a GPU preset's 32 GB where the guest wrote none; undefined where it keeps its own. */
export function raisedMemory(guest: CpuLayoutGuest): string | undefined {
  return guest.fromPreset && guest.memory === undefined ? CPU_FALLBACK.memory : undefined;
}

/** The memory, in MB, the CPU layout keeps (written or raised) where performance-8x can have it; else its own (undefined). */
export function keptMemoryMb(guest: CpuLayoutGuest): number | undefined {
  const mb = memoryMb(guest.memory ?? raisedMemory(guest));
  return mb !== null && FALLBACK && memoryFits(FALLBACK, mb) && mb !== FALLBACK.memoryMb ? mb : undefined;
}

/** The guest a [[vm]] asking for a GPU describes: what it wrote of memory (memory_mb winning), whether a GPU preset, its processes. */
export function layoutGuestOf(vm: Pick<VmSection, 'size' | 'memory' | 'memoryMb' | 'processes'>): CpuLayoutGuest {
  const memory = writtenMemory(vm);
  return { fromPreset: isGpuPreset(vm.size), processes: vm.processes, ...(memory === undefined ? {} : { memory }) };
}

/** The init command that writes the CPU layout (in `dir`, when given), with `--memory` where it keeps more than its own. */
export function cpuInitCommand(dir?: string, memoryMbToKeep?: number): string {
  const memory = memoryMbToKeep === undefined ? '' : ` --memory ${memoryMbToKeep}`;
  return `gpuctl init${dir ? ` --dir ${dir}` : ''} --vm-size ${CPU_FALLBACK.size}${memory} --force`;
}

/** The init command for this guest's CPU layout: the same memory as its [[vm]] block. */
export const cpuInitCommandFor = (guest: CpuLayoutGuest, dir?: string): string => cpuInitCommand(dir, keptMemoryMb(guest));

/** The [[vm]] block that replaces the guest: performance-8x, its memory (written, or raised), its processes. */
export function cpuVmBlock(guest: CpuLayoutGuest): string {
  const lines = ['[[vm]]', `  size = "${CPU_FALLBACK.size}"`];
  const memory = guest.memory ?? raisedMemory(guest);
  if (memory) lines.push(`  memory = ${/^\d+$/.test(memory) ? memory : `"${memory}"`}`);
  if (guest.processes?.length) lines.push(`  processes = [${guest.processes.map((p) => `"${p}"`).join(', ')}]`);
  return lines.join('\n');
}

/**
 * The one sentence every GPU stop gives: what to write instead, and the init command that writes it (by default
 * cpuInitCommandFor(guest); a caller that passes its own, e.g. styled or with --dir, builds it the same way).
 */
export function cpuLayoutFix(guest: CpuLayoutGuest, initCommand = cpuInitCommandFor(guest)): string {
  const raise = raisedMemory(guest);
  const own = keptMemoryMb(guest) === undefined ? `, with ${CPU_FALLBACK.size}'s own ${OWN_MEMORY}` : '';
  return (
    `Deploy the CPU layout: in [[vm]], size = '${CPU_FALLBACK.size}' in place of the GPU settings` +
    (raise ? ` and memory = '${raise}' (the GPU preset's; ${CPU_FALLBACK.size} alone has ${OWN_MEMORY})` : '') +
    `, and GPUCTL_DEVICE = 'cpu' in [env]. \`${initCommand}\` rewrites the files for it${own}.`
  );
}
