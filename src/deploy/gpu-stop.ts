/**
 * Deploy's GPU stops, each with what works today (flyio/cpu-layout.ts, the one text validate and init give too):
 * preflight's stop on a GPU guest, Fly.io's rejection of one under --allow-gpu, and --verify-gpu on a CPU layout.
 */
import { FailedError, UsageError } from '../errors.js';
import { cpuLayoutFix, cpuVmBlock } from '../flyio/cpu-layout.js';
import { FlyError } from '../flyio/failures.js';
import { FLY_GPU_RETIRED_ON, retirementMessage } from '../flyio/gpu-kinds.js';
import type { GpuGuest } from './config.js';

const at = (path: string, guest: GpuGuest) => (guest.line ? `${path}:${guest.line}` : path);

/** cpuLayoutFix, then the [[vm]] block that replaces this guest in this file. */
export const cpuLayoutHint = (path: string, guest: GpuGuest): string =>
  `${cpuLayoutFix(guest)} That [[vm]] in ${path} becomes:\n\n${cpuVmBlock(guest)}\n`;

export function gpuStopError(path: string, guest: GpuGuest): FailedError {
  return new FailedError(`${at(path, guest)} asks for a GPU guest (gpu_kind "${guest.kind}"). ${retirementMessage(guest.kind)}`, {
    hint: `${cpuLayoutHint(path, guest)}\nThen run \`gpuctl deploy\` again. --allow-gpu deploys the GPU layout anyway (Fly.io will reject it).`,
  });
}

/** Fly.io's rejection of the guest --allow-gpu let through: what happened, in flyctl's words, and what works today. */
export function gpuRejectedError(path: string, guest: GpuGuest, rejection: FlyError): FlyError {
  const said = rejection.said ? `: flyctl said "${rejection.said}"` : '';
  return new FlyError(
    `Fly.io rejected the GPU guest ${at(path, guest)} asks for${said}. ${retirementMessage(guest.kind)}`,
    'gpu-rejected',
    {
      hint: `Today only a CPU layout deploys. ${cpuLayoutHint(path, guest)}\nThen run \`gpuctl deploy\` again, without --allow-gpu.`,
      said: rejection.said,
    },
  );
}

/** --verify-gpu on a fly.toml that asks for no GPU: nothing to verify, and nothing Fly.io could give it. Bad input (exit 2). */
export function verifyWithoutGpuError(path: string, flag: '--verify-gpu' | '--verify-gpu-diag'): UsageError {
  return new UsageError(`${flag} checks the GPUs of the new machines, and ${path} asks for none: no [[vm]] has a gpu_kind or a GPU size.`, {
    hint:
      `A GPU layout needs a [[vm]] with gpu_kind (\`gpuctl init --gpu-kind <kind>\` writes one); Fly.io retired GPU Machines on ` +
      `${FLY_GPU_RETIRED_ON}, so deploying one needs --allow-gpu and Fly.io rejects it. To deploy this CPU layout, drop ${flag}.`,
  });
}
