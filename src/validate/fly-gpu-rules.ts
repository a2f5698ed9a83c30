/** fly.toml rules about the machine: GPU guests, kinds, regions, sizes, memory, volumes. */
import {
  CPU_FALLBACK_SIZE,
  FLY_GPU_KINDS,
  FLY_GPU_KIND_IDS,
  gpuKindForPreset,
  isFlyGpuKind,
  retirementMessage,
  type FlyGpuKindId,
} from '../flyio/gpu-kinds.js';
import { isGpuPreset, vmSize } from '../flyio/vm-sizes.js';
import { cpuLayoutFix, layoutGuestOf } from '../flyio/cpu-layout.js';
import { isWorkload, PROFILES } from '../shared/profiles.js';
import { finding, type Finding } from '../shared/findings.js';
import { envValue, type FlyModel, type VmSection } from '../flyio/fly-model.js';
import type { TomlPath } from '../shared/toml-scan.js';
import { memoryMb } from '../flyio/fly-units.js';

export interface RuleContext {
  model: FlyModel;
  file: string;
  at: (path: TomlPath) => { line: number; column: number };
  workload?: string;
}

/** The GPU kind a [[vm]] asks for, if any: its gpu_kind, or the kind behind a GPU size preset. */
export function vmGpuKind(vm: VmSection): string | undefined {
  if (vm.gpuKind !== undefined) return isFlyGpuKind(vm.gpuKind) ? vm.gpuKind : (gpuKindForPreset(vm.gpuKind) ?? vm.gpuKind);
  return isGpuPreset(vm.size) ? gpuKindForPreset(vm.size ?? '') : undefined;
}

/**
 * The fixes of the GPU findings besides fly-gpu-retired: a corrected kind would still be refused, since no region serves
 * GPUs any more (so no rule suggests a GPU region either), and the retirement's fix is the one that deploys.
 */
const NOT_A_FIX = 'Correcting it would not deploy it: Fly.io runs no GPU guest (fly-gpu-retired has the CPU layout).';

export const isGpuVm = (vm: VmSection): boolean => vm.gpuKind !== undefined || isGpuPreset(vm.size) || (vm.gpus ?? 0) > 0;

export function gpuRules({ model, file, at }: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const vm of model.vms) {
    const kind = vmGpuKind(vm);
    const where = at(
      vm.gpuKind !== undefined ? [...vm.path, 'gpu_kind'] : isGpuPreset(vm.size) ? [...vm.path, 'size'] : [...vm.path, 'gpus'],
    );
    if (isGpuVm(vm)) {
      // The one text of the CPU layout (flyio/cpu-layout.ts), as deploy and init give it.
      // A GPU preset that wrote no memory had 32 GB: the fix raises it (memory written stays as it is).
      out.push(finding('fly-gpu-retired', file, where, retirementMessage(vm.gpuKind ?? kind), cpuLayoutFix(layoutGuestOf(vm))));
    }
    if (vm.gpuKind !== undefined && !isFlyGpuKind(vm.gpuKind)) {
      const real = gpuKindForPreset(vm.gpuKind);
      if (real) {
        out.push(
          finding(
            'gpu-kind-size-alias',
            file,
            where,
            `gpu_kind = '${vm.gpuKind}' is the size preset's name, not a GPU kind.`,
            `${NOT_A_FIX} For this layout elsewhere: gpu_kind = '${real}' (or size = '${vm.gpuKind}' without gpu_kind).`,
          ),
        );
      } else {
        out.push(
          finding(
            'gpu-kind-unknown',
            file,
            where,
            `gpu_kind = '${vm.gpuKind}' is not a GPU kind Fly offered.`,
            `${NOT_A_FIX} Fly's kinds were ${FLY_GPU_KIND_IDS.join(', ')}.`,
          ),
        );
      }
    }
    if (vm.gpus !== undefined && vm.gpuKind === undefined && !isGpuPreset(vm.size)) {
      out.push(
        finding(
          'gpus-without-gpu-kind',
          file,
          at([...vm.path, 'gpus']),
          `gpus = ${vm.gpus} without gpu_kind: flyctl needs gpu_kind to choose the GPU.`,
          isGpuVm(vm) ? `${NOT_A_FIX} Remove gpus (the CPU layout has none).` : 'Remove gpus.',
        ),
      );
    }
    if (vm.size !== undefined && !vmSize(vm.size) && !isGpuPreset(vm.size)) {
      out.push(
        finding(
          'vm-size-unknown',
          file,
          at([...vm.path, 'size']),
          `size = '${vm.size}' is not a Fly Machine preset.`,
          'Use a preset such as shared-cpu-2x or performance-8x (fly platform vm-sizes).',
        ),
      );
    }
  }
  if (model.vms.some(isGpuVm) && model.mounts.length === 0) {
    const vm = model.vms.find(isGpuVm);
    out.push(
      finding(
        'gpu-without-volume',
        file,
        at(vm ? vm.path : []),
        'A GPU layout without a volume: model weights would be downloaded on every start or baked into the image.',
        "Add [[mounts]] with source = 'models', destination = '/models' and an initial_size for the weights (Fly's GPU default was 100gb).",
      ),
    );
  }
  return out;
}

/** Memory a [[vm]] gets, as flyctl resolves it: memory_mb over memory over the size preset (gpu_kind alone: performance-8x). */
export function vmMemoryMb(vm: VmSection): number | null {
  const explicit = memoryMb(vm.memoryMb) ?? memoryMb(vm.memory);
  if (explicit !== null) return explicit;
  const kind = vmGpuKind(vm);
  if (vm.size && isGpuPreset(vm.size) && kind) return FLY_GPU_KINDS[kind as FlyGpuKindId].guest.memoryMb;
  return vmSize(vm.size ?? (kind ? CPU_FALLBACK_SIZE : 'shared-cpu-1x'))?.memoryMb ?? null;
}

export function memoryRule({ model, file, at, workload }: RuleContext): Finding[] {
  const declared = envValue(model, 'GPUCTL_WORKLOAD') ?? workload;
  if (!declared || !isWorkload(declared)) return [];
  const need = PROFILES[declared].minMemoryMb;
  const vms: VmSection[] = model.vms.length ? model.vms : [{ path: [], processes: [] }];
  return vms.flatMap((vm) => {
    const have = vmMemoryMb(vm);
    if (have === null || have >= need) return [];
    const what = model.vms.length
      ? `This [[vm]] gets ${have} MB`
      : `fly.toml sizes no machine, so new ones get shared-cpu-1x with ${have} MB`;
    return [
      finding(
        'memory-below-workload',
        file,
        at(vm.memoryPath ?? (vm.size ? [...vm.path, 'size'] : vm.path)),
        `${what}; the ${declared} profile needs at least ${need} MB.`,
        `Set memory = '${need / 1024}gb' in [[vm]] (or choose a larger size).`,
      ),
    ];
  });
}
