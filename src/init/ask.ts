/**
 * The questions init asks on a terminal, for the inputs no flag gave (only on a first run: once
 * .gpuctl.json exists, its record answers them). Every question goes through ctx.prompt; Ctrl-C there
 * is an InterruptedError before anything is written. The target question suggests the local GPU.
 */
import type { Ctx } from '../context.js';
import { CPU_FALLBACK_SIZE, FLY_GPU_KIND_IDS, FLY_GPU_RETIRED_ON } from '../flyio/gpu-kinds.js';
import type { Choice } from '../ui/prompt.js';
import { checkApp, checkGpuKind, checkRegion, checkVmSize, type InitChoices } from './inputs.js';
import { PROFILES, WORKLOADS, type WorkloadId } from '../shared/profiles.js';
import { defaultRegion, profileForKind, type Target } from './target.js';

export interface DetectedHint {
  name: string;
  architecture: string;
  bestPrecision: string;
  flyGpuKind: string | null;
}

/** The first local GPU as a hint; null without one (or when detection fails: a hint is never worth an error). */
export async function detectHint(ctx: Ctx): Promise<DetectedHint | null> {
  try {
    const { detect } = await import('../detect/detect.js');
    const result = await detect(ctx, { requireGpu: false });
    const gpu = result.gpus[0];
    const profile = gpu?.profile ?? gpu?.derivedProfile;
    if (!gpu || !profile) return null;
    return { name: gpu.name, architecture: profile.architecture, bestPrecision: profile.bestPrecision, flyGpuKind: profile.flyGpuKind };
  } catch (error) {
    ctx.log.debug(`GPU detection for the suggestion failed: ${(error as Error).message}`);
    return null;
  }
}

const CPU_CHOICES = ['shared-cpu-4x', 'performance-2x', 'performance-4x', CPU_FALLBACK_SIZE, 'performance-16x'];

export function targetChoices(hint: DetectedHint | null): Choice<string>[] {
  const local = hint
    ? [
        {
          value: 'local',
          name: `this machine's ${hint.name} ← detected`,
          description: 'the GPU layout for this GPU (Dockerfile, compose.yaml); fly.toml is the CPU layout for Fly',
        },
      ]
    : [];
  const cpu = CPU_CHOICES.map((size) => ({
    value: `cpu:${size}`,
    name: `${size} (CPU)`,
    description: 'deploys on Fly today; the application runs with GPUCTL_DEVICE=cpu',
  }));
  const kinds = [...FLY_GPU_KIND_IDS].sort((a, b) => Number(b === hint?.flyGpuKind) - Number(a === hint?.flyGpuKind));
  const gpu = kinds.map((kind) => ({
    value: `gpu:${kind}`,
    name: `${kind} (${profileForKind(kind).displayName}, retired ${FLY_GPU_RETIRED_ON})${kind === hint?.flyGpuKind ? ' ← detected' : ''}`,
    description: 'renders the GPU layout for migration or other hosts; it no longer deploys on Fly',
  }));
  return [...local, ...cpu, ...gpu];
}

export function targetFromChoice(value: string): Target {
  if (value === 'local') return { kind: 'cpu', vmSize: CPU_FALLBACK_SIZE };
  return value.startsWith('gpu:') ? checkGpuKind(value.slice(4)) : checkVmSize(value.slice(4));
}

export function hintLine(hint: DetectedHint): string {
  const fly = hint.flyGpuKind ? `Fly offered it as ${hint.flyGpuKind} until ${FLY_GPU_RETIRED_ON}` : 'Fly never offered it';
  return `Detected ${hint.name} (${hint.architecture}, best precision ${hint.bestPrecision}); ${fly}.`;
}

/** Asks for each input the flags left out; returns only what was asked. `detected` hears of the local GPU before the target question. */
export async function askInputs(
  ctx: Ctx,
  given: InitChoices,
  defaults: { app: string },
  detected: (hint: DetectedHint) => void = () => undefined,
): Promise<InitChoices> {
  const answers: InitChoices = {};
  if (!given.target && !given.forLocalGpu) {
    const hint = await detectHint(ctx);
    if (hint) detected(hint);
    // With a GPU here, the default is its GPU layout (fly.toml then holds the CPU layout for Fly).
    const choice = await ctx.prompt.select('Target', targetChoices(hint), hint ? 'local' : `cpu:${CPU_FALLBACK_SIZE}`);
    answers.target = targetFromChoice(choice);
    if (choice === 'local') answers.forLocalGpu = true;
  }
  if (!given.workload) {
    const choices = WORKLOADS.map((id) => ({ value: id, name: id, description: PROFILES[id].summary }));
    answers.workload = await ctx.prompt.select<WorkloadId>('Workload', choices, 'inference');
  }
  if (!given.app) {
    answers.app = checkApp((await ctx.prompt.input('Fly app name', { default: defaults.app, validate: validator(checkApp) })).trim());
  }
  if (!given.region) {
    const target = given.target ?? answers.target;
    const suggested = target ? defaultRegion(target) : undefined;
    answers.region = checkRegion(
      (await ctx.prompt.input('Primary region', { default: suggested, validate: validator(checkRegion) })).trim(),
    );
  }
  return answers;
}

function validator(check: (value: string) => unknown): (value: string) => true | string {
  return (value) => {
    try {
      check(value.trim());
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  };
}
