/**
 * The CPU layout that replaces a retired GPU guest, in one text for every GPU stop: deploy (preflight, and Fly.io's
 * rejection under --allow-gpu), validate (fly-gpu-retired) and init (its banner and fly.toml comment).
 * performance-8x (CPU_FALLBACK) has a GPU machine's 8 CPUs. Memory: the guest keeps what it wrote; a GPU size preset
 * without memory had 32 GB, more than performance-8x's own 16 GB, so the layout raises it to the preset's; gpu_kind
 * alone got flyctl's performance-8x base (16 GB) and keeps it. `gpuctl init --vm-size performance-8x` rewrites the
 * files with performance-8x's own memory, and the text says so.
 */
import { CPU_FALLBACK } from './gpu-kinds.js';
import { vmSize } from './vm-sizes.js';

export interface CpuLayoutGuest {
  /** memory as the [[vm]] wrote it, if it did. */
  memory?: string | undefined;
  /** The guest came from a GPU size preset (a10, l40s, a100-40gb, a100-80gb: 32 GB). */
  fromPreset: boolean;
  processes?: readonly string[];
}

/** performance-8x's own memory, e.g. "16 GB". */
const OWN_MEMORY = `${(vmSize(CPU_FALLBACK.size)?.memoryMb ?? 0) / 1024} GB`;

/** The init command that writes the CPU layout (in `dir`, when given). */
export function cpuInitCommand(dir?: string): string {
  return `gpuctl init${dir ? ` --dir ${dir}` : ''} --vm-size ${CPU_FALLBACK.size} --force`;
}

/** The memory the CPU layout sets: a GPU preset's 32 GB where the guest wrote none; undefined where it keeps its own. */
export function raisedMemory(guest: CpuLayoutGuest): string | undefined {
  return guest.fromPreset && guest.memory === undefined ? CPU_FALLBACK.memory : undefined;
}

/** The [[vm]] block that replaces the guest: performance-8x, its memory (written, or raised), its processes. */
export function cpuVmBlock(guest: CpuLayoutGuest): string {
  const lines = ['[[vm]]', `  size = "${CPU_FALLBACK.size}"`];
  const memory = guest.memory ?? raisedMemory(guest);
  if (memory) lines.push(`  memory = ${/^\d+$/.test(memory) ? memory : `"${memory}"`}`);
  if (guest.processes?.length) lines.push(`  processes = [${guest.processes.map((p) => `"${p}"`).join(', ')}]`);
  return lines.join('\n');
}

/** The one sentence every GPU stop gives: what to write instead, and the init command that writes it. */
export function cpuLayoutFix(guest: CpuLayoutGuest, initCommand = cpuInitCommand()): string {
  const raise = raisedMemory(guest);
  return (
    `Deploy the CPU layout: in [[vm]], size = '${CPU_FALLBACK.size}' in place of the GPU settings` +
    (raise ? ` and memory = '${raise}' (the GPU preset's; ${CPU_FALLBACK.size} alone has ${OWN_MEMORY})` : '') +
    `, and GPUCTL_DEVICE = 'cpu' in [env]. \`${initCommand}\` rewrites the files for it, with ${CPU_FALLBACK.size}'s own ${OWN_MEMORY}.`
  );
}
