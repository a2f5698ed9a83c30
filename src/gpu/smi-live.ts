/**
 * nvidia-smi, one-shot live readings: every GPU's sample (the agent's fields, parsed by smi-sample.ts)
 * and the compute processes (`--query-compute-apps`). An old driver's unknown field is dropped and the
 * query asked again, as querySmi does; every other failure is smi-probe.ts's one clear error.
 */
import type { Ctx } from '../context.js';
import { ToolError } from '../errors.js';
import { dropField, invalidField, queryArgs } from './nvidia-smi.js';
import { runSmi, smiFailure } from './smi-probe.js';
import { parseSampleLine, REQUIRED_FIELDS, SAMPLE_FIELDS, type GpuSample } from './smi-sample.js';
import { smiValue } from './smi-text.js';

export interface ComputeApp {
  pid: number;
  name: string;
  usedMemoryMiB: number | null;
  gpuUuid: string;
}

export type LiveGpus = { kind: 'absent' } | { kind: 'ok'; gpus: GpuSample[]; fields: readonly string[] };

const APP_FIELDS = ['pid', 'process_name', 'used_memory', 'gpu_uuid'] as const;
export async function queryLiveGpus(ctx: Ctx, fields: readonly string[] = SAMPLE_FIELDS): Promise<LiveGpus> {
  const result = await runSmi(ctx, queryArgs(fields));
  if (result.kind === 'absent') return result;
  if (result.kind === 'failed') {
    const fewer = dropField(invalidField(result.output), fields, REQUIRED_FIELDS);
    if (fewer) return queryLiveGpus(ctx, fewer);
    smiFailure(result.output, result.exitCode);
  }
  const gpus: GpuSample[] = [];
  for (const line of result.stdout.split('\n').filter((l) => l.trim() !== '')) {
    const parsed = parseSampleLine(line, fields);
    if (!parsed.ok) throw new ToolError(`nvidia-smi printed output gpuctl cannot read: ${parsed.reason}.`, 'nvidia-smi', 'bad_output');
    gpus.push(parsed.sample);
  }
  return { kind: 'ok', gpus, fields };
}

/** The processes using a GPU now ("[N/A]" memory, as in some containers, reads as null). */
export async function queryComputeApps(ctx: Ctx): Promise<ComputeApp[]> {
  const result = await runSmi(ctx, queryArgs(APP_FIELDS, { target: 'compute-apps' }));
  if (result.kind === 'absent') return [];
  if (result.kind === 'failed') smiFailure(result.output, result.exitCode);
  return parseComputeApps(result.stdout);
}

export function parseComputeApps(stdout: string): ComputeApp[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^No running/i.test(l))
    .map((line) => {
      const [pid, name, memory, uuid] = line.split(', ').map((c) => c.trim());
      const mem = Number(smiValue(memory) ?? Number.NaN);
      if (!/^\d+$/.test(pid ?? '') || !uuid)
        throw new ToolError(`nvidia-smi printed a process line gpuctl cannot read: "${line.slice(0, 80)}".`, 'nvidia-smi', 'bad_output');
      return { pid: Number(pid), name: name ?? '', usedMemoryMiB: Number.isFinite(mem) ? mem : null, gpuUuid: uuid };
    });
}
