/**
 * --verify-gpu: in each started machine, through `flyctl ssh console -C`, ask `gpuctl detect --json`
 * (when the image has gpuctl) and otherwise `nvidia-smi`, and report the GPUs each one sees.
 * --verify-gpu-diag: where the image has gpuctl, also `gpuctl diag --level quick --json`; a failed diag
 * fails the machine with the failed checks.
 */
import { parseDetectJson } from '../detect/schema.js';
import type { FlyClient } from '../flyio/client.js';
import type { FlyMachine } from '../flyio/schemas.js';
import { parseQuery, queryArgs } from '../gpu/nvidia-smi.js';

export const DETECT_COMMAND = 'gpuctl detect --json';
export const DIAG_COMMAND = 'gpuctl diag --level quick --json';
/** The fields asked of a machine without gpuctl; the one argument builder and the one parser (gpu/nvidia-smi.ts). */
const SMI_FIELDS = ['index', 'name', 'memory.total'];
export const SMI_COMMAND = ['nvidia-smi', ...queryArgs(SMI_FIELDS)].join(' ');

export interface GpuCheck {
  machineId: string;
  region: string;
  ok: boolean;
  gpus: string[];
  via: 'gpuctl detect' | 'nvidia-smi' | null;
  detail: string;
  /** --verify-gpu-diag: the quick diag's verdict and failed checks; null when not run. */
  diag?: { verdict: 'pass' | 'warn' | 'fail'; failed: string[] } | null;
}

/** The verdict of `gpuctl diag --json` (schemaVersion 1); undefined when it is not that. */
export function diagFromJson(stdout: string): GpuCheck['diag'] | undefined {
  try {
    const data = JSON.parse(stdout) as { schemaVersion?: unknown; verdict?: unknown; failed?: unknown };
    if (data.schemaVersion !== 1 || (data.verdict !== 'pass' && data.verdict !== 'warn' && data.verdict !== 'fail')) return undefined;
    return { verdict: data.verdict, failed: Array.isArray(data.failed) ? data.failed.map(String) : [] };
  } catch {
    return undefined;
  }
}

async function withDiag(fly: FlyClient, app: string, check: GpuCheck): Promise<GpuCheck> {
  if (!check.ok) return check;
  const run = await fly.ssh(app, check.machineId, DIAG_COMMAND, 180_000);
  const diag = diagFromJson(run.stdout);
  if (!diag)
    return {
      ...check,
      ok: false,
      diag: null,
      detail: `${check.detail}; gpuctl diag gave no verdict${run.kind === 'remote-failed' ? ` (${run.message})` : ''}`,
    };
  if (diag.verdict === 'fail')
    return { ...check, ok: false, diag, detail: `${check.detail}; gpuctl diag failed: ${diag.failed.join(', ')}` };
  return { ...check, diag, detail: `${check.detail}; gpuctl diag --level quick: ${diag.verdict}` };
}

/** GPU names from `gpuctl detect --json` (schemaVersion 1), read with detect's own schema; undefined when it is not that. */
export function gpusFromDetect(stdout: string): string[] | undefined {
  return parseDetectJson(stdout)?.gpus.map((gpu) => gpu.name);
}

/** GPU names from SMI_COMMAND's answer ("0, NVIDIA A10, 23028" per GPU), read by gpu/nvidia-smi.ts parseQuery; a reason when unreadable. */
export function gpusFromSmi(stdout: string): { ok: true; gpus: string[] } | { ok: false; reason: string } {
  const parsed = parseQuery(stdout, SMI_FIELDS);
  return parsed.ok ? { ok: true, gpus: parsed.gpus.map((gpu) => gpu.name) } : parsed;
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
  const listed = gpusFromSmi(smi.stdout);
  if (!listed.ok)
    return {
      ...base,
      ok: false,
      gpus: [],
      via: 'nvidia-smi',
      detail: `no GPU visible: nvidia-smi printed output gpuctl cannot read (${listed.reason})`,
    };
  const gpus = listed.gpus;
  return { ...base, ok: gpus.length > 0, gpus, via: 'nvidia-smi', detail: gpus.length ? gpus.join(', ') : 'nvidia-smi lists no GPU' };
}

export async function verifyGpus(fly: FlyClient, app: string, machines: readonly FlyMachine[], diag = false): Promise<GpuCheck[]> {
  const started = machines.filter((m) => m.state === 'started');
  return Promise.all(
    started.map(async (m) => {
      const check = await checkMachine(fly, app, m);
      return diag && check.via === 'gpuctl detect' ? withDiag(fly, app, check) : check;
    }),
  );
}
