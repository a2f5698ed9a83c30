/**
 * init's inputs: what each source offers (flags, the recorded .gpuctl.json, an existing fly.toml,
 * prompts), how they resolve to one complete set, and which of them are worth recording (non-defaults).
 * All pure; the values are checked here, so a bad flag and a bad recorded value read alike.
 */
import { UsageError } from '../errors.js';
import { checkFlyAppName } from '../flyio/app-name.js';
import { CPU_FALLBACK_SIZE, FLY_GPU_KINDS, FLY_GPU_RETIRED_ON, gpuKindForPreset, isFlyGpuKind } from '../flyio/gpu-kinds.js';
import { GPU_SIZE_PRESETS, memoryFits, memoryRange, vmSize, VM_SIZES } from '../flyio/vm-sizes.js';
import { isWorkload, PROFILES, WORKLOADS, type WorkloadId } from '../shared/profiles.js';
import { defaultRegion, memoryFor, type Target } from './target.js';

export interface InitInputs {
  app: string;
  region: string;
  target: Target;
  workload: WorkloadId;
  port: number;
  volumeGb: number;
  /** The application's command, as argv (the start script execs it). */
  cmd: string[];
  /** --for-local-gpu: the GPU layout for this machine's GPU (compose.yaml), fly.toml the CPU layout for Fly. */
  forLocalGpu: boolean;
  /** --memory: the CPU layout's memory in MB; null: the size's own, raised to what the workload needs. */
  memoryMb: number | null;
}

/** What one source provides; resolution takes the first source that has a value. */
export type InitChoices = Partial<InitInputs>;

export const DEFAULT_PORT = 8080;
export const DEFAULT_CMD = ['python3', '-m', 'app'] as const;
export const DEFAULT_TARGET: Target = { kind: 'cpu', vmSize: CPU_FALLBACK_SIZE };
export const DEFAULT_WORKLOAD: WorkloadId = 'inference';
export const MAX_VOLUME_GB = 500;

/** A Fly app name from a directory name: lowercase, dashes for anything else ("My Model_v2" → "my-model-v2"). */
export function appNameFrom(dirName: string): string {
  const name = dirName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(?=[0-9])/, 'app-')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'gpu-app';
}

export function checkApp(value: string): string {
  return checkFlyAppName(value, '--app');
}

export function checkRegion(value: string): string {
  if (!/^[a-z]{3}$/.test(value))
    throw new UsageError(`"${value}" is not a Fly region code.`, {
      hint: 'Region codes are three letters, e.g. ord, iad, ams (fly platform regions).',
    });
  return value;
}

export function checkGpuKind(value: string): Target {
  if (isFlyGpuKind(value)) return { kind: 'gpu', gpuKind: value };
  const kind = gpuKindForPreset(value);
  const hint = kind
    ? `"${value}" is the size preset; the gpu_kind is "${kind}": pass --gpu-kind ${kind}.`
    : `--gpu-kind takes one of Fly.io's GPU kinds, ${Object.keys(FLY_GPU_KINDS).join(', ')} (all retired with Fly's GPU Machines on ${FLY_GPU_RETIRED_ON}). For the GPU of this machine, whatever its model, use --for-local-gpu.`;
  throw new UsageError(`Unknown GPU kind "${value}".`, { hint });
}

/**
 * A CPU size preset, or one of Fly's GPU size presets (a10, l40s, a100-40gb, a100-80gb), which name the
 * GPU layout of their kind exactly as flyctl resolved `--vm-size a100-80gb` (gpu_kind a100-sxm4-80gb).
 */
export function checkVmSize(value: string): Target {
  if (vmSize(value)) return { kind: 'cpu', vmSize: value };
  const kind = gpuKindForPreset(value);
  if (kind) return { kind: 'gpu', gpuKind: kind };
  throw new UsageError(`Unknown VM size "${value}".`, {
    hint: `Use a Fly preset such as shared-cpu-2x or performance-8x (fly platform vm-sizes), or a GPU preset: ${GPU_SIZE_PRESETS.join(', ')}.`,
  });
}

export function checkWorkload(value: string): WorkloadId {
  if (!isWorkload(value)) throw new UsageError(`Unknown workload "${value}".`, { hint: `Choose one of ${WORKLOADS.join(', ')}.` });
  return value;
}

function checkInt(value: string | number, what: string, min: number, max: number): number {
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${what} must be a whole number from ${min} to ${max}, not "${value}".`);
  return n;
}

export const checkPort = (value: string | number): number => checkInt(value, 'The port', 1, 65535);
export const checkVolume = (value: string | number): number => checkInt(value, 'The volume size (GB)', 1, MAX_VOLUME_GB);
/** Whole MB, as `gpuctl scale vm --memory` takes it; whether the size can have it is checkCompatible's. */
export const checkMemory = (value: string | number): number =>
  checkInt(value, 'The memory (MB)', 256, Math.max(...VM_SIZES.map((size) => size.maxMemoryMb)));

export function checkCmd(value: string): string[] {
  const words = value.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0)
    throw new UsageError('The command is empty.', {
      hint: 'e.g. --cmd "python3 -m app"; for anything a shell would do, point it at a script.',
    });
  return words;
}

function first<K extends keyof InitInputs>(layers: readonly InitChoices[], key: K): InitInputs[K] | undefined {
  for (const layer of layers) if (layer[key] !== undefined) return layer[key];
  return undefined;
}

/** Raw values as flags or the record give them, each checked the same way. */
export interface RawChoices {
  app?: string;
  region?: string;
  gpuKind?: string;
  vmSize?: string;
  workload?: string;
  port?: string | number;
  volumeSize?: string | number;
  cmd?: string;
  forLocalGpu?: boolean;
  memory?: string | number;
}

export function checkChoices(raw: RawChoices): InitChoices {
  const choices: InitChoices = {};
  if (raw.app !== undefined) choices.app = checkApp(raw.app);
  if (raw.region !== undefined) choices.region = checkRegion(raw.region);
  if (raw.gpuKind !== undefined) choices.target = checkGpuKind(raw.gpuKind);
  if (raw.vmSize !== undefined) choices.target = checkVmSize(raw.vmSize);
  if (raw.workload !== undefined) choices.workload = checkWorkload(raw.workload);
  if (raw.port !== undefined) choices.port = checkPort(raw.port);
  if (raw.volumeSize !== undefined) choices.volumeGb = checkVolume(raw.volumeSize);
  if (raw.cmd !== undefined) choices.cmd = checkCmd(raw.cmd);
  if (raw.forLocalGpu !== undefined) choices.forLocalGpu = raw.forLocalGpu;
  if (raw.memory !== undefined) choices.memoryMb = checkMemory(raw.memory);
  return choices;
}

export function defaultVolumeGb(target: Target, workload: WorkloadId): number {
  return PROFILES[workload].volumeGb[target.kind];
}

/**
 * The complete inputs: the first source with a value wins (flags, prompts, recorded, fly.toml), then
 * defaults. A region that only came along from an older file gives way when the GPU kind was never
 * offered there; one given as a flag (layers[0]) is checked instead.
 */
export function resolveInputs(layers: readonly InitChoices[], dirName: string): InitInputs {
  const target = first(layers, 'target') ?? DEFAULT_TARGET;
  const workload = first(layers, 'workload') ?? DEFAULT_WORKLOAD;
  let region = first(layers, 'region') ?? defaultRegion(target);
  if (target.kind === 'gpu' && layers[0]?.region === undefined && !FLY_GPU_KINDS[target.gpuKind].regions.includes(region)) {
    region = defaultRegion(target);
  }
  const inputs: InitInputs = {
    app: first(layers, 'app') ?? appNameFrom(dirName),
    region,
    target,
    workload,
    port: first(layers, 'port') ?? DEFAULT_PORT,
    volumeGb: first(layers, 'volumeGb') ?? defaultVolumeGb(target, workload),
    cmd: first(layers, 'cmd') ?? [...DEFAULT_CMD],
    forLocalGpu: first(layers, 'forLocalGpu') ?? false,
    memoryMb: first(layers, 'memoryMb') ?? null,
  };
  checkCompatible(inputs);
  return inputs;
}

/** Combinations no file could serve: a size too small for the workload or memory it cannot have, a GPU kind outside its regions. */
export function checkCompatible(inputs: InitInputs): void {
  const profile = PROFILES[inputs.workload];
  if (inputs.memoryMb !== null) checkMemoryFor(inputs, inputs.memoryMb, profile.minMemoryMb);
  const memory = memoryFor(inputs.target, profile.minMemoryMb, inputs.memoryMb);
  if ('tooSmall' in memory) {
    const bigger = `performance-${Math.max(1, Math.ceil(profile.minMemoryMb / 8192))}x`;
    throw new UsageError(
      `${memory.tooSmall.name} holds at most ${memory.tooSmall.maxMemoryMb} MB; the ${inputs.workload} profile needs ${profile.minMemoryMb} MB.`,
      { hint: `Choose a larger size, e.g. --vm-size ${bigger}.` },
    );
  }
  if (inputs.forLocalGpu && inputs.target.kind === 'gpu') {
    throw new UsageError('--for-local-gpu renders the CPU layout for Fly; it excludes --gpu-kind.', {
      hint: 'Drop --gpu-kind (or gpuKind in .gpuctl.json); --vm-size picks the Fly CPU size.',
    });
  }
  if (inputs.target.kind === 'gpu') {
    const regions = FLY_GPU_KINDS[inputs.target.gpuKind].regions;
    if (!regions.includes(inputs.region)) {
      throw new UsageError(`Fly offered ${inputs.target.gpuKind} only in ${regions.join(', ')}, not in ${inputs.region}.`, {
        hint: `Pass --region ${regions[0]}, or leave --region out.`,
      });
    }
  }
}

/** --memory: the CPU layout's only (a GPU kind's guest has its kind's), within what the size can have and the workload needs. */
function checkMemoryFor(inputs: InitInputs, memoryMb: number, minMemoryMb: number): void {
  if (inputs.target.kind === 'gpu')
    throw new UsageError("--memory sets the CPU layout's memory; the GPU layout's guest has its kind's.", {
      hint: 'Drop --memory (or memory in .gpuctl.json), or pass --vm-size for the CPU layout.',
    });
  const size = vmSize(inputs.target.vmSize);
  if (size && !memoryFits(size, memoryMb))
    throw new UsageError(`--memory ${memoryMb} does not fit ${size.name}.`, { hint: memoryRange(size) });
  if (memoryMb < minMemoryMb)
    throw new UsageError(`--memory ${memoryMb} is less than the ${inputs.workload} profile needs (${minMemoryMb} MB).`, {
      hint: `Pass --memory ${minMemoryMb} or more, or leave it out.`,
    });
}
