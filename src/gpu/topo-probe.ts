/**
 * The host's GPU topology, effectful half: `nvidia-smi topo -m` and `nvidia-smi nvlink --status`, asked
 * only on hosts with two or more GPUs. Topology is extra information: any failure becomes a reason next
 * to a null topology, never a failed `detect`.
 */
import type { Ctx } from '../context.js';
import { execSmi } from './smi-probe.js';
import { parseNvlinkStatus, parseTopoMatrix, withNvlink, type Topology } from './topology.js';

export interface TopologyOutcome {
  topology: Topology | null;
  /** Why topology is null (or what is missing from it); null when complete. */
  topologyNote: string | null;
}

async function smiText(ctx: Ctx, args: string[]): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  const result = await execSmi(ctx, args);
  const what = `nvidia-smi ${args.join(' ')}`;
  switch (result.kind) {
    case 'ok':
      return { ok: true, text: result.stdout };
    case 'failed':
      return { ok: false, reason: `${what} exited with code ${result.exitCode}` };
    case 'timeout':
      return { ok: false, reason: `${what} did not answer within ${result.timeoutMs / 1000} s` };
    case 'signaled':
      return { ok: false, reason: `${what} was killed by ${result.signal}` };
    default:
      return { ok: false, reason: `${what} could not run` };
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
