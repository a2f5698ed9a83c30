import type { BenchRun } from '../bench/main.js';
import type { BenchOptions, RawBenchInput } from '../bench/options.js';
import type { BenchEvents } from '../bench/progress.js';
import type { Ctx } from '../context.js';
import { ExitCode } from '../errors.js';
import { spinnerSlot } from '../ui/spinner.js';
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
    const [main, progress] = await Promise.all([import('../bench/main.js'), import('../bench/progress.js')]);
    // bench emits; the command shows: the compile and the run on a spinner, then the result.
    const step = spinnerSlot(ctx);
    const events: BenchEvents = {
      waiting: () => ctx.log.info(progress.WAITING_TEXT),
      building: (message) => step.begin(message),
      progress: (message) => step.update(message),
      built: (message) => step.end('succeed', message),
      buildFailed: () => step.end('fail', progress.BUILD_FAILED_TEXT),
      running: (run) => step.begin(progress.runningText(run)),
      kernel: (kernel) => step.update(progress.kernelProgressText(kernel)),
      cluster: (gpus) => step.update(progress.clusterText(gpus)),
      runFailed: () => step.end('fail', progress.RUN_FAILED_TEXT),
    };
    try {
      if (options.action === 'list') {
        ctx.print(await main.benchList(options, ctx, events), main.renderKernelList);
        return ExitCode.ok;
      }
      if (options.action === 'build-only') {
        ctx.print(await main.benchBuildOnly(options, ctx, events), (result) => `${result.binary.path}\n`);
        return ExitCode.ok;
      }
      const run = await main.benchRun(options, ctx, events);
      const end = run.kind === 'multi' ? (await import('../bench/multi.js')).multiEndText(run) : main.singleEndText(run);
      step.end(end.ok ? 'succeed' : 'fail', end.text);
      return await showRun(ctx, options, run);
    } finally {
      step.end('stop');
    }
  },
});

/** The result on stdout, then --out and (one GPU) the step summary. */
async function showRun(ctx: Ctx, options: BenchOptions, run: BenchRun): Promise<number> {
  const [main, { writeReport }, { jsonText }, { appendStepSummary }] = await Promise.all([
    import('../bench/main.js'),
    import('../bench/write.js'),
    import('../ui/output.js'),
    import('../ui/step-summary.js'),
  ]);
  if (run.kind === 'multi') {
    const { renderMulti } = await import('../bench/multi.js');
    ctx.print(run.document, (doc, style) => renderMulti(doc, run.binary, style));
    if (options.out) ctx.log.info(`Wrote ${await writeReport(options.out, ctx.cwd, jsonText(run.document), options.force, null)}`);
    return run.exitCode;
  }
  ctx.print(run.document, (_, style) => main.renderSingle(run, options.baseline, style));
  if (options.out) {
    const path = await writeReport(options.out, ctx.cwd, jsonText(run.document), options.force, options.baseline);
    ctx.log.info(`Wrote ${path}`);
  }
  await appendStepSummary(ctx, () => main.runMarkdown(run, options.baseline));
  return run.exitCode;
}
