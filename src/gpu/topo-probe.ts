/**
 * The host's GPU topology, effectful half: `nvidia-smi topo -m` and `nvidia-smi nvlink --status`, asked
 * only on hosts with two or more GPUs. Topology is extra information: any failure becomes a reason next
 * to a null topology, never a failed `detect`.
 */
import type { Ctx } from '../context.js';
import { InterruptedError } from '../errors.js';
import { smiBinary, smiTimeoutMs } from './smi-probe.js';
import { parseNvlinkStatus, parseTopoMatrix, withNvlink, type Topology } from './topology.js';

export interface TopologyOutcome {
  topology: Topology | null;
  /** Why topology is null (or what is missing from it); null when complete. */
  topologyNote: string | null;
}

async function smiText(ctx: Ctx, args: string[]): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  const timeoutMs = smiTimeoutMs(ctx);
  const result = await ctx.exec({ file: smiBinary(ctx), args, timeoutMs });
  switch (result.kind) {
    case 'exited':
      return result.exitCode === 0
        ? { ok: true, text: result.stdout }
        : { ok: false, reason: `nvidia-smi ${args.join(' ')} exited with code ${result.exitCode}` };
    case 'interrupted':
      throw new InterruptedError('Interrupted while nvidia-smi was running.');
    case 'timeout':
      return { ok: false, reason: `nvidia-smi ${args.join(' ')} did not answer within ${timeoutMs / 1000} s` };
    case 'signaled':
      return { ok: false, reason: `nvidia-smi ${args.join(' ')} was killed by ${result.signal}` };
    default:
      return { ok: false, reason: `nvidia-smi ${args.join(' ')} could not run` };
  }
}

export async function probeTopology(ctx: Ctx, architectureOf: (gpu: number) => string | null): Promise<TopologyOutcome> {
  const matrix = await smiText(ctx, ['topo', '-m']);
  if (!matrix.ok) return { topology: null, topologyNote: matrix.reason };
  const parsed = parseTopoMatrix(matrix.text);
  if (!parsed.ok) return { topology: null, topologyNote: `nvidia-smi topo -m printed a matrix gpuctl cannot read: ${parsed.reason}` };
  const nvlink = await smiText(ctx, ['nvlink', '--status']);
  const status = nvlink.ok ? parseNvlinkStatus(nvlink.text) : null;
  return {
    topology: withNvlink(parsed.topology, status, architectureOf),
    topologyNote: nvlink.ok ? null : `no NVLink state: ${nvlink.reason}`,
  };
}
