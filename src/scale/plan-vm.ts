/** `scale vm`'s plan: which groups change from which guest to which, and what it costs. Pure. */
import { FailedError, UsageError } from '../errors.js';
import { CPU_FALLBACK, gpuKindForPreset, retirementMessage } from '../flyio/gpu-kinds.js';
import type { FlyScaleGroup } from '../flyio/schemas.js';
import { hourlyPriceUsd, isGpuPreset, memoryFits, memoryRange, vmSize, VM_SIZES, type VmSize } from '../flyio/vm-sizes.js';

export interface VmRequest {
  size: string;
  memoryMb: number | undefined;
  group: string | undefined;
}

export interface VmPlanGroup {
  group: string;
  count: number;
  from: { cpuKind: string; cpus: number; memoryMb: number; hourlyUsd: number | null };
  to: { cpuKind: string; cpus: number; memoryMb: number; hourlyUsd: number | null };
}

export interface VmPlan {
  size: VmSize;
  memoryMb: number;
  groups: VmPlanGroup[];
  /** For all machines of the changed groups, if all are started. */
  hourlyBefore: number | null;
  hourlyAfter: number | null;
}

/** A GPU preset is refused before anything runs; an unknown size or memory is a usage error. */
export function checkVmRequest(request: VmRequest): { size: VmSize; memoryMb: number } {
  if (isGpuPreset(request.size)) {
    throw new FailedError(retirementMessage(gpuKindForPreset(request.size) ?? request.size), {
      hint: `Use the CPU layout with the GPU preset's ${CPU_FALLBACK.cpus} CPUs and ${CPU_FALLBACK.memoryMb / 1024} GB: \`gpuctl scale vm ${CPU_FALLBACK.size} --memory ${CPU_FALLBACK.memoryMb}\`.`,
    });
  }
  const size = vmSize(request.size);
  if (!size) throw new UsageError(`Unknown VM size "${request.size}".`, { hint: `Sizes: ${VM_SIZES.map((s) => s.name).join(', ')}.` });
  const memoryMb = request.memoryMb ?? size.memoryMb;
  if (!memoryFits(size, memoryMb)) throw new UsageError(`--memory ${memoryMb} does not fit ${size.name}.`, { hint: memoryRange(size) });
  return { size, memoryMb };
}

const sum = (values: Array<number | null>): number | null =>
  values.some((v) => v === null) ? null : values.reduce<number>((a, b) => a + (b ?? 0), 0);

/** `declared`: the app's deployed groups (`flyctl config show`), so a group scaled to zero is not called unknown. */
export function planVm(groups: readonly FlyScaleGroup[], request: VmRequest, declared: readonly string[] = []): VmPlan {
  const { size, memoryMb } = checkVmRequest(request);
  // flyctl would fail too ("No active machines in process group 'app'"), after an empty plan costing $0.
  if (groups.length === 0)
    throw new FailedError('The app has no machines: there is nothing to resize.', {
      hint: "Create one first (`gpuctl scale count 1`), or set the size in fly.toml's [[vm]] for the next deploy.",
    });
  if (!request.group && groups.length > 1) {
    throw new UsageError(`The app has ${groups.length} process groups (${groups.map((g) => g.group).join(', ')}).`, {
      hint: 'Pass --group <name>: flyctl needs it too.',
    });
  }
  const chosen = request.group ? groups.filter((g) => g.group === request.group) : [...groups];
  if (request.group && chosen.length === 0 && declared.includes(request.group))
    throw new FailedError(`Process group "${request.group}" has no machines: there is nothing to resize.`, {
      hint: `Create one first (\`gpuctl scale count 1 --group ${request.group}\`), or set the size in fly.toml's [[vm]] for the next deploy.`,
    });
  if (request.group && chosen.length === 0) {
    const known = [...new Set([...groups.map((g) => g.group), ...declared])].sort();
    throw new UsageError(`The app has no process group "${request.group}".`, { hint: `Groups: ${known.join(', ') || 'none'}.` });
  }
  const planned = chosen.map((g) => {
    const to = { cpuKind: size.cpuKind, cpus: size.cpus, memoryMb };
    return {
      group: g.group,
      count: g.count,
      from: { cpuKind: g.cpuKind, cpus: g.cpus, memoryMb: g.memoryMb, hourlyUsd: hourlyPriceUsd(g) ?? null },
      to: { ...to, hourlyUsd: hourlyPriceUsd(to) ?? null },
    };
  });
  return {
    size,
    memoryMb,
    groups: planned,
    hourlyBefore: sum(planned.map((g) => (g.from.hourlyUsd === null ? null : g.from.hourlyUsd * g.count))),
    hourlyAfter: sum(planned.map((g) => (g.to.hourlyUsd === null ? null : g.to.hourlyUsd * g.count))),
  };
}

/** After `flyctl scale vm`: groups whose guest (from `scale show --json`) is not the one asked for. */
export function vmMismatches(plan: VmPlan, after: readonly FlyScaleGroup[]): string[] {
  return plan.groups.flatMap((g) => {
    const now = after.find((a) => a.group === g.group);
    if (!now) return [`group ${g.group} has no machines any more`];
    const same = now.cpuKind === g.to.cpuKind && now.cpus === g.to.cpus && now.memoryMb === g.to.memoryMb;
    return same
      ? []
      : [`group ${g.group} is ${now.cpuKind} ${now.cpus} CPU ${now.memoryMb} MB, not ${g.to.cpuKind} ${g.to.cpus} CPU ${g.to.memoryMb} MB`];
  });
}
