/**
 * fly.toml, as deploy's preflight sees it: does it parse, which app and region does it name, and
 * does it ask for a GPU guest (retired on Fly.io since 2026-08-01). Pure: text in, facts out.
 * The full rule set lives in `gpuctl validate`; preflight takes it as a ConfigCheck, which the
 * deploy command (commands/deploy.ts) hands in, so that this feature does not import validate.
 */
import { layoutGuestOf } from '../flyio/cpu-layout.js';
import { gpuKindForPreset } from '../flyio/gpu-kinds.js';
import { launchConfigOf, type VmSection } from '../flyio/fly-model.js';
import { parseFlyToml, type ParsedFlyToml } from '../flyio/fly-toml.js';
import { finding, type Finding } from '../shared/findings.js';

export type ConfigCheck = (flyToml: { path: string; text: string; bytes?: Uint8Array }) => Finding[];

export interface GpuGuest {
  /** gpu_kind as written, or the kind a GPU size preset selects. */
  kind: string;
  line: number | undefined;
  processes: string[];
  memory: string | undefined;
  /** The guest came from a GPU size preset (8 CPUs, 32 GB), not from gpu_kind alone (flyctl: performance-8x's 16 GB). */
  fromPreset: boolean;
}

export interface FlyTomlFacts {
  app: string | undefined;
  primaryRegion: string | undefined;
  gpuGuests: GpuGuest[];
  /** What a machine of this process group gets from fly.toml, as flyctl's skipLaunch reads it (flyio/fly-model.ts). */
  launchConfig: (group: string) => { services: boolean; autoscales: boolean };
}

export type ReadFlyToml = { ok: true; facts: FlyTomlFacts } | { ok: false; finding: Finding };

/** The GPU a [[vm]] asks for, and the key that asks: gpu_kind, a GPU size preset, or gpus alone. */
function gpuGuestOf(vm: VmSection): { kind: string; key: string } | undefined {
  if (vm.gpuKind !== undefined && vm.gpuKind !== '' && vm.gpuKind !== 'none') return { kind: vm.gpuKind, key: 'gpu_kind' };
  const preset = vm.size ? gpuKindForPreset(vm.size) : undefined;
  if (preset) return { kind: preset, key: 'size' };
  return vm.gpus !== undefined && vm.gpus > 0 ? { kind: 'unspecified', key: 'gpus' } : undefined;
}

/** Deploy's facts from fly.toml, read by the one reader (flyio/fly-toml.ts) and its model. */
export function readFlyToml(path: string, source: string | ParsedFlyToml): ReadFlyToml {
  const parsed = typeof source === 'string' ? parseFlyToml(source) : source;
  if (!parsed.ok) {
    const { line, column, message } = parsed.problem;
    return {
      ok: false,
      finding: finding('toml-syntax', path, { line, column }, message, 'Fix the syntax at this line and column; nothing else was checked.'),
    };
  }
  const { model, at } = parsed;
  const gpuGuests = model.vms.flatMap((vm): GpuGuest[] => {
    const gpu = gpuGuestOf(vm);
    if (!gpu) return [];
    const { memory, fromPreset } = layoutGuestOf(vm);
    return [{ kind: gpu.kind, line: at([...vm.path, gpu.key]).line, processes: vm.processes, memory, fromPreset }];
  });
  return {
    ok: true,
    facts: {
      app: model.app || undefined,
      primaryRegion: model.primaryRegion || undefined,
      gpuGuests,
      launchConfig: (group) => launchConfigOf(model, group),
    },
  };
}
