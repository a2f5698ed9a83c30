import { bool } from '../shared/options.js';
import { defineCommand } from './define.js';

export interface DetectOptions {
  requireGpu: boolean;
}

export const detectCommand = defineCommand<DetectOptions>({
  name: 'detect',
  summary: 'Show the local GPUs, their profiles, and what they mean for precision and Fly',
  description:
    'Reads every local NVIDIA GPU with one nvidia-smi query, matches it to a profile (architecture, peak bandwidth and\n' +
    'TFLOP/s per precision, best precision, Fly GPU kind), and says what follows. Without nvidia-smi it describes the host.',
  options: [{ flags: '--require-gpu', description: 'exit 3 when no NVIDIA GPU is found' }],
  examples: [
    ['gpuctl detect', 'describe the GPUs on this machine'],
    ['gpuctl detect --json | jq ".gpus[].profile.bestPrecision"', 'machine-readable output (schemaVersion 1)'],
    ['gpuctl detect --require-gpu', 'fail with exit 3 on a machine without a GPU (for CI on GPU runners)'],
  ],
  parse: (raw) => ({ requireGpu: bool(raw, 'requireGpu') }),
  run: async (options, ctx) => {
    const { detect } = await import('../detect/detect.js');
    const result = await detect(ctx, options);
    if (ctx.flags.json) {
      ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const { renderDetect } = await import('../detect/render.js');
      ctx.stdout.write(renderDetect(result, ctx.style));
    }
    return 0;
  },
});
