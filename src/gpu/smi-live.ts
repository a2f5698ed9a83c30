/**
 * nvidia-smi, one-shot live readings: every GPU's sample (the agent's fields, parsed by smi-sample.ts)
 * and the compute processes (`--query-compute-apps`). An old driver's unknown field is dropped and the
 * query asked again, as querySmi does; every other failure is one clear error.
 */
import type { Ctx } from '../context.js';
import { InterruptedError, MissingError, ToolError } from '../errors.js';
import { smiBinary, smiTimeoutMs } from './smi-probe.js';
import { parseSampleLine, REQUIRED_FIELDS, SAMPLE_FIELDS, type GpuSample } from './smi-sample.js';

export interface ComputeApp {
  pid: number;
  name: string;
  usedMemoryMiB: number | null;
  gpuUuid: string;
}

export type LiveGpus = { kind: 'absent' } | { kind: 'ok'; gpus: GpuSample[]; fields: readonly string[] };

const APP_FIELDS = ['pid', 'process_name', 'used_memory', 'gpu_uuid'] as const;
const INVALID_FIELD = /Field "([^"]+)" is not a valid field to query/;

async function run(
  ctx: Ctx,
  args: string[],
): Promise<{ kind: 'absent' } | { kind: 'ok'; stdout: string } | { kind: 'failed'; output: string; exitCode: number }> {
  const timeoutMs = smiTimeoutMs(ctx);
  const result = await ctx.exec({ file: smiBinary(ctx), args, timeoutMs });
  switch (result.kind) {
    case 'not-found':
      return { kind: 'absent' };
    case 'interrupted':
      throw new InterruptedError('Interrupted while nvidia-smi was running.');
    case 'timeout':
      throw new ToolError(`nvidia-smi did not answer within ${timeoutMs / 1000} s.`, 'nvidia-smi', 'tool_timeout', {
        hint: 'The driver may be hung; check `dmesg` for NVRM/Xid errors.',
      });
    case 'spawn-failed':
    case 'signaled':
      throw new ToolError(
        `nvidia-smi could not run: ${result.kind === 'signaled' ? `killed by ${result.signal}` : result.message}.`,
        'nvidia-smi',
        'tool_failed',
      );
    case 'exited':
      return result.exitCode === 0
        ? { kind: 'ok', stdout: result.stdout }
        : { kind: 'failed', output: `${result.stdout}\n${result.stderr}`, exitCode: result.exitCode };
  }
}

function failure(output: string, exitCode: number): never {
  if (/couldn't communicate with the NVIDIA driver|No devices were found/i.test(output)) {
    throw new MissingError(`nvidia-smi found no usable NVIDIA GPU: ${output.trim().split('\n')[0]}`, 'gpu', { code: 'device_missing' });
  }
  throw new ToolError(
    `nvidia-smi failed with exit code ${exitCode}: ${output.trim().split('\n')[0] || 'no message'}`,
    'nvidia-smi',
    'tool_failed',
    { hint: 'Run `nvidia-smi` yourself to see the full message.' },
  );
}

export async function queryLiveGpus(ctx: Ctx, fields: readonly string[] = SAMPLE_FIELDS): Promise<LiveGpus> {
  const result = await run(ctx, [`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits']);
  if (result.kind === 'absent') return result;
  if (result.kind === 'failed') {
    const unknown = INVALID_FIELD.exec(result.output)?.[1];
    if (unknown && fields.includes(unknown) && !REQUIRED_FIELDS.includes(unknown))
      return queryLiveGpus(
        ctx,
        fields.filter((f) => f !== unknown),
      );
    failure(result.output, result.exitCode);
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
  const result = await run(ctx, [`--query-compute-apps=${APP_FIELDS.join(',')}`, '--format=csv,noheader,nounits']);
  if (result.kind === 'absent') return [];
  if (result.kind === 'failed') failure(result.output, result.exitCode);
  return parseComputeApps(result.stdout);
}

export function parseComputeApps(stdout: string): ComputeApp[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^No running/i.test(l))
    .map((line) => {
      const [pid, name, memory, uuid] = line.split(', ').map((c) => c.trim());
      const mem = Number(memory);
      if (!/^\d+$/.test(pid ?? '') || !uuid)
        throw new ToolError(`nvidia-smi printed a process line gpuctl cannot read: "${line.slice(0, 80)}".`, 'nvidia-smi', 'bad_output');
      return { pid: Number(pid), name: name ?? '', usedMemoryMiB: Number.isFinite(mem) && memory !== '' ? mem : null, gpuUuid: uuid };
    });
}
