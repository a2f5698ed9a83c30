/**
 * --verify-gpu: in each started machine, through `flyctl ssh console -C`, ask `gpuctl detect --json`
 * (when the image has gpuctl) and otherwise `nvidia-smi`, and report the GPUs each one sees.
 */
import type { FlyClient } from '../flyio/client.js';
import type { FlyMachine } from '../flyio/schemas.js';

export const DETECT_COMMAND = 'gpuctl detect --json';
export const SMI_COMMAND = 'nvidia-smi --query-gpu=name,memory.total --format=csv,noheader';

export interface GpuCheck {
  machineId: string;
  region: string;
  ok: boolean;
  gpus: string[];
  via: 'gpuctl detect' | 'nvidia-smi' | null;
  detail: string;
}

/** GPU names from `gpuctl detect --json` (schemaVersion 1); undefined when it is not that. */
export function gpusFromDetect(stdout: string): string[] | undefined {
  try {
    const data = JSON.parse(stdout) as { schemaVersion?: unknown; gpus?: Array<{ name?: unknown }> };
    if (data.schemaVersion !== 1 || !Array.isArray(data.gpus)) return undefined;
    return data.gpus.map((gpu) => (typeof gpu.name === 'string' ? gpu.name : 'unknown GPU'));
  } catch {
    return undefined;
  }
}

/** GPU names from SMI_COMMAND's CSV ("NVIDIA A10, 23028 MiB" per line). */
export function gpusFromSmi(stdout: string): string[] {
  return stdout
    .split(/\r?\n/)
    .map((line) => line.split(',')[0]?.trim() ?? '')
    .filter((name) => name !== '' && !/^(No devices|NVIDIA-SMI has failed)/i.test(name));
}

async function checkMachine(fly: FlyClient, app: string, machine: FlyMachine): Promise<GpuCheck> {
  const base = { machineId: machine.id, region: machine.region };
  const detect = await fly.ssh(app, machine.id, DETECT_COMMAND);
  const detected = detect.kind === 'ok' ? gpusFromDetect(detect.stdout) : undefined;
  if (detected) {
    return {
      ...base,
      ok: detected.length > 0,
      gpus: detected,
      via: 'gpuctl detect',
      detail: detected.length ? detected.join(', ') : 'gpuctl detect sees no GPU',
    };
  }
  const smi = await fly.ssh(app, machine.id, SMI_COMMAND);
  if (smi.kind === 'remote-failed')
    return { ...base, ok: false, gpus: [], via: null, detail: `no GPU visible: nvidia-smi failed (${smi.message})` };
  const gpus = gpusFromSmi(smi.stdout);
  return { ...base, ok: gpus.length > 0, gpus, via: 'nvidia-smi', detail: gpus.length ? gpus.join(', ') : 'nvidia-smi lists no GPU' };
}

export async function verifyGpus(fly: FlyClient, app: string, machines: readonly FlyMachine[]): Promise<GpuCheck[]> {
  const started = machines.filter((m) => m.state === 'started');
  return Promise.all(started.map((m) => checkMachine(fly, app, m)));
}
