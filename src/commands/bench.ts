import type { RawBenchInput } from '../bench/options.js';
import { parseBenchOptions } from '../bench/options.js';
import { bool, list, str, type OptionKeys, type RawInput } from '../shared/options.js';
import { defineCommand } from './define.js';

const options = [
  {
    flags: '--suite <names>',
    description: 'suites to run (comma list: memory,compute,finance,latency,links,collectives)',
    repeatable: true,
  },
  { flags: '--kernel <names>', description: 'kernels to run (comma list; see --list)', repeatable: true },
  { flags: '--quick', description: 'small sizes and few repeats (smoke tests, CI)' },
  { flags: '--size <key=value>', description: 'override a size, e.g. n=4096 or bytes=256Mi (repeatable)', repeatable: true },
  { flags: '--repeat <n>', description: 'timed repetitions per kernel' },
  { flags: '--cpu', description: 'run the multi-threaded CPU implementations only (no GPU needed)' },
  { flags: '--out <file>', description: 'write the --json report to this file (atomically)' },
  { flags: '--force', description: 'let --out replace an existing file' },
  { flags: '--baseline <file>', description: 'compare with a previous --json report; exit 1 on a regression' },
  { flags: '--max-regression <pct>', description: 'slowdown that fails the gate, beyond the noise margin (default 10)' },
  {
    flags: '--gpus <list>',
    description: '"all" or device indices (0,1,…): per-GPU suites on each at once, links/collectives across them (default 0)',
  },
  { flags: '--outlier <pct>', description: 'several GPUs: fail (exit 1) when one is this much worse than its peers’ median (default 10)' },
  { flags: '--list', description: 'list the kernels and exit' },
  { flags: '--build-only', description: 'compile the benchmark program (or find it in the cache) and print its path' },
  { flags: '--arch <sm_XX>', description: 'with --build-only: the GPU architecture to build for (default: this GPU)' },
] as const;

/** commander's values → the raw shape parseBenchOptions validates (wiring only). */
export function rawBenchInput(raw: RawInput<OptionKeys<typeof options>>): RawBenchInput {
  return {
    suite: list(raw, 'suite'),
    kernel: list(raw, 'kernel'),
    size: list(raw, 'size'),
    quick: bool(raw, 'quick'),
    repeat: str(raw, 'repeat'),
    cpu: bool(raw, 'cpu'),
    list: bool(raw, 'list'),
    buildOnly: bool(raw, 'buildOnly'),
    arch: str(raw, 'arch'),
    out: str(raw, 'out'),
    force: bool(raw, 'force'),
    baseline: str(raw, 'baseline'),
    maxRegression: str(raw, 'maxRegression'),
    gpus: str(raw, 'gpus'),
    outlier: str(raw, 'outlier'),
  };
}

export const benchCommand = defineCommand({
  name: 'bench',
  summary: 'Run the bundled CUDA kernel suite: figures against the GPU’s peak, and CI regression gates',
  description:
    'Compiles native/ with nvcc for this GPU (once; cached under ~/.cache/gpuctl/bench) or uses the prebuilt binary\n' +
    'shipped with gpuctl, runs the memory, compute and finance suites, checks every kernel against a float64 reference\n' +
    'and shows each figure as a share of the datasheet peak and of the device-copy ceiling measured in the same run.\n' +
    'A kernel that fails its check gets no figure and the command exits 1; no GPU or a driver too old exits 3.\n' +
    'With --gpus all (or a list) it runs the per-GPU suites on every chosen GPU at once and names any GPU more than\n' +
    '--outlier percent below the median of its peers (exit 1); links and collectives measure the GPUs together.',
  options,
  examples: [
    ['gpuctl bench', 'the whole suite on this GPU, with % of peak and of the copy ceiling'],
    ['gpuctl bench --suite finance --quick', 'the trading kernels at small sizes'],
    ['gpuctl bench --json --out bench.json', 'every sample, the device and clock state, as JSON (schemaVersion 1)'],
    ['gpuctl bench --baseline main.json --max-regression 5', 'in CI: exit 1 when a kernel got more than 5% slower (beyond noise)'],
    ['gpuctl bench --cpu --quick', 'the CPU implementations, on a machine without a GPU'],
    ['gpuctl bench --gpus all --suite memory,finance --outlier 5', 'every GPU at once, side by side; exit 1 if one is >5% below its peers'],
    ['gpuctl bench --gpus all --suite links,collectives,latency', 'P2P bandwidth matrix, NCCL busbw (nccl-tests), p99 request latency'],
    ['gpuctl bench --build-only --arch sm_90', 'compile for H100/H200 and print the path'],
  ],
  parse: (raw) => parseBenchOptions(rawBenchInput(raw)),
  run: async (options, ctx) => {
    const main = await import('../bench/main.js');
    if (options.action === 'list') return main.benchList(options, ctx);
    if (options.action === 'build-only') return main.benchBuildOnly(options, ctx);
    return main.benchRun(options, ctx);
  },
});
