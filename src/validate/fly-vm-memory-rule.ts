/**
 * A [[vm]] asking for more memory than its CPUs can have: at most 2048 MB per shared CPU and 8192 MB per performance
 * CPU (the limits `gpuctl scale vm` keeps, shared/docs/flyio-facts.md §1.3). flyctl does not check it; the Machines
 * API refuses the guest when deploy creates or updates the machines. Only a [[vm]] whose CPUs its size preset gives
 * (no cpus or cpu_kind of its own) is checked; a GPU preset is fly-gpu-retired's.
 */
import { tables } from '../flyio/fly-model.js';
import { finding, type Finding } from '../shared/findings.js';
import { vmSize } from '../flyio/vm-sizes.js';
import type { RuleContext } from './fly-gpu-rules.js';
import { memoryMb } from '../flyio/fly-units.js';

/** `raw` is fly.toml as parsed. */
export function vmMemoryRule(raw: Record<string, unknown>, { file, at }: Pick<RuleContext, 'file' | 'at'>): Finding[] {
  const out: Finding[] = [];
  for (const { table, path } of ['vm', 'compute', 'computes'].flatMap((key) => tables(raw[key], [key]))) {
    const size = typeof table.size === 'string' ? vmSize(table.size) : undefined;
    if (!size || table.cpus !== undefined || table.cpu_kind !== undefined || table.gpu_kind !== undefined) continue;
    // memory_mb wins over memory (flyctl's computeToGuest applies memory, then the guest's own fields)
    const key = table.memory_mb !== undefined ? 'memory_mb' : table.memory !== undefined ? 'memory' : undefined;
    const mb = key === undefined ? null : memoryMb(table[key]);
    if (key === undefined || mb === null || mb <= size.maxMemoryMb) continue;
    out.push(
      finding(
        'vm-memory-too-large',
        file,
        at([...path, key]),
        `${key} = ${JSON.stringify(table[key])} is ${mb} MB, more than ${size.name} can have (at most ${size.maxMemoryMb} MB: ${size.maxMemoryMb / size.cpus} MB per ${size.cpuKind} CPU); the Machines API refuses the machine at deploy.`,
        `Use at most ${size.maxMemoryMb} MB, or a larger size (${size.cpuKind === 'shared' ? 'more shared CPUs, or performance-Nx with up to 8192 MB per CPU' : 'more performance CPUs'}).`,
      ),
    );
  }
  return out;
}
