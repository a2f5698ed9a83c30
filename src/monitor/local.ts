/** The local machine as a MonitorSample: one nvidia-smi query for the GPUs, one for their processes. */
import { hostname } from 'node:os';
import type { Ctx } from '../context.js';
import { InterruptedError, isGpuctlError, MissingError } from '../errors.js';
import { queryComputeApps, queryLiveGpus, type ComputeApp } from '../gpu/smi-live.js';
import type { GpuSample } from '../gpu/smi-sample.js';
import type { SampleSource } from './run.js';
import type { MonitorMachine, MonitorSample } from './types.js';

export function toMachine(id: string, gpus: readonly GpuSample[], apps: readonly ComputeApp[]): MonitorMachine {
  const byUuid = new Map(gpus.map((g) => [g.uuid, g.index]));
  return {
    id,
    gpus: gpus.map((g) => ({
      index: g.index,
      name: g.name,
      uuid: g.uuid,
      utilGpuPct: g.utilGpuPct,
      memoryUsedMiB: g.memoryUsedMiB,
      memoryTotalMiB: g.memoryTotalMiB,
      temperatureC: g.temperatureC,
      powerDrawW: g.powerDrawW,
      powerLimitW: g.powerLimitW,
      smClockMHz: g.smClockMHz,
      memClockMHz: g.memClockMHz,
    })),
    processes: apps.map((a) => ({ pid: a.pid, name: a.name, gpu: byUuid.get(a.gpuUuid) ?? null, usedMemoryMiB: a.usedMemoryMiB })),
  };
}

export async function sampleLocal(ctx: Ctx): Promise<MonitorSample> {
  const at = ctx.clock.now().toISOString();
  const gpus = await queryLiveGpus(ctx);
  if (gpus.kind === 'absent') {
    throw new MissingError('nvidia-smi was not found: there is no NVIDIA GPU to monitor here.', 'nvidia-smi', {
      hint: 'Run it on a machine with an NVIDIA driver; for a Fly app, use `gpuctl monitor --app APP --prometheus URL`.',
    });
  }
  // The processes are the second query: when it fails (an error, a line gpuctl cannot read), the GPUs are still shown.
  let apps: readonly ComputeApp[] = [];
  let processesError: string | undefined;
  try {
    apps = await queryComputeApps(ctx);
  } catch (error) {
    if (!isGpuctlError(error) || error instanceof InterruptedError || ctx.signal.aborted) throw error;
    processesError = error.message;
  }
  const machine = toMachine(hostname(), gpus.gpus, apps);
  return { at, machines: [processesError === undefined ? machine : { ...machine, processesError }] };
}

/**
 * A failed nvidia-smi call (a timeout or a failure while a GPU resets) is that sample's answer, not the
 * end of monitor: the machine is shown with the error where its GPUs were, and the next interval samples
 * again, as the remote views do. --once then exits 1 by monitor's one exit rule (monitor/run.ts); no
 * nvidia-smi at all, Ctrl-C and a bug still end it at once.
 */
export function keepGoing(source: SampleSource): SampleSource {
  return async (ctx) => {
    try {
      return await source(ctx);
    } catch (error) {
      if (!isGpuctlError(error) || error instanceof InterruptedError || error instanceof MissingError || ctx.signal.aborted) throw error;
      return { at: ctx.clock.now().toISOString(), machines: [{ id: hostname(), gpus: [], processes: [], error: error.message }] };
    }
  };
}
