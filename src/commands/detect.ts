import { ExitCode } from '../errors.js';
import { bool, type OptionKeys, type RawInput } from '../shared/options.js';
import { defineCommand } from './define.js';

export interface DetectOptions {
  requireGpu: boolean;
}

const options = [{ flags: '--require-gpu', description: 'exit 3 when no NVIDIA GPU is found' }] as const;

export function parseDetectOptions(raw: RawInput<OptionKeys<typeof options>>): DetectOptions {
  return { requireGpu: bool(raw, 'requireGpu') };
}

export const detectCommand = defineCommand({
  name: 'detect',
  summary: 'Show the local GPUs, their profiles, and what they mean for precision and Fly',
  description:
    'Reads every local NVIDIA GPU with one nvidia-smi query, matches it to a profile (architecture, peak bandwidth and\n' +
    'TFLOP/s per precision, best precision, Fly GPU kind), and says what follows. On hosts with two or more GPUs it adds\n' +
    'the topology (nvidia-smi topo -m and nvlink --status). Without nvidia-smi it describes the host.',
  options,
  examples: [
    ['gpuctl detect', 'describe the GPUs on this machine'],
    ['gpuctl detect --json | jq ".gpus[].profile.bestPrecision"', 'machine-readable output (schemaVersion 1)'],
    ['gpuctl detect --json | jq ".topology.links"', 'multi-GPU hosts: the link (NV18, SYS …) between every GPU pair'],
    ['gpuctl detect --require-gpu', 'fail with exit 3 on a machine without a GPU (for CI on GPU runners)'],
  ],
  parse: parseDetectOptions,
  run: async (options, ctx) => {
    const { detect } = await import('../detect/detect.js');
    const [result, { renderDetect }, { renderTopology }] = await Promise.all([
      detect(ctx, options),
      import('../detect/render.js'),
      import('../detect/render-topology.js'),
    ]);
    ctx.print(result, (r, style) => renderDetect(r, style) + renderTopology(r.topology, r.topologyNote, style));
    return ExitCode.ok;
  },
});
