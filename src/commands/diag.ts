import { ExitCode, UsageError } from '../errors.js';
import { durationOption, str, type OptionKeys, type RawInput } from '../shared/options.js';
import { defineCommand } from './define.js';

export type DiagLevel = 'quick' | 'medium' | 'long';
export interface DiagOptions {
  level: DiagLevel;
  gpus: 'all' | number[];
  /** Stress seconds: medium 90 s unless --duration, long --duration (default 10m). */
  durationS: number;
}

const options = [
  { flags: '--level <level>', description: 'quick (< 15 s per GPU), medium (about 2 min) or long (--duration)', default: 'quick' },
  { flags: '--gpus <list>', description: '"all" or device indices (0,1,…)', default: 'all' },
  {
    flags: '--duration <duration>',
    description: 'medium and long: how long the stress runs on each GPU, 1s to 576h (default medium 90s, long 10m)',
  },
] as const;

/** The longest stress per GPU: 24 days, which with the program's 10 min of grace stays within one Node timer (2^31-1 ms). */
export const MAX_DURATION_S = 576 * 3600;

export function parseDiagOptions(raw: RawInput<OptionKeys<typeof options>>): DiagOptions {
  const level = str(raw, 'level') ?? 'quick';
  if (level !== 'quick' && level !== 'medium' && level !== 'long')
    throw new UsageError(`--level "${level}" is not a level.`, { hint: 'Use --level quick, medium or long.' });
  const gpusText = (str(raw, 'gpus') ?? 'all').trim();
  let gpus: DiagOptions['gpus'] = 'all';
  if (gpusText !== 'all') {
    const parts = gpusText.split(',').map((p) => p.trim());
    if (!parts.every((p) => /^\d+$/.test(p)))
      throw new UsageError(`--gpus "${gpusText}" is not "all" or a list of GPU indices.`, { hint: 'e.g. --gpus 0,1' });
    gpus = [...new Set(parts.map(Number))];
  }
  if (level === 'quick' && str(raw, 'duration') !== undefined)
    throw new UsageError('--duration applies to --level medium and long; quick has a fixed length.', {
      hint: 'e.g. gpuctl diag --level long --duration 30m',
    });
  const text = str(raw, 'duration');
  const durationS = durationOption(raw, 'duration', '--duration', level === 'long' ? '10m' : '90s') / 1000;
  if (durationS < 1)
    throw new UsageError(`--duration ${text} is shorter than the 1 s a stress needs.`, { hint: 'Use at least 1s, e.g. --duration 90s.' });
  if (durationS > MAX_DURATION_S)
    throw new UsageError(`--duration ${text} is longer than the ${MAX_DURATION_S / 3600}h (24 days) a diag stress may take.`, {
      hint: 'Use at most 576h; for a longer burn-in, run diag again (each run records its verdict).',
    });
  return { level, gpus, durationS: Math.round(durationS) };
}

export const diagCommand = defineCommand({
  name: 'diag',
  summary: 'Is this GPU healthy enough to trust: health fields, known-result kernels, memory test and verified stress',
  description:
    "Reads nvidia-smi's health fields (uncorrectable ECC, pages pending retirement, remapped rows, clock-event reasons,\n" +
    'temperature, power, and the PCIe link UNDER LOAD against its maximum), the XID events of the kernel log when it can\n' +
    'be read, and runs the benchmark program: known-result kernels, a memory test (walking ones, moving inversions,\n' +
    "random patterns) and a tensor-core stress whose every iteration's output is verified. A sample counts as under load\n" +
    'only while the program runs and nvidia-smi sees the GPU busy (the load check fails when it hung, died or loaded\n' +
    'another GPU). Each check passes, warns (never fails) or fails, with its evidence. Exit 0 pass or warn, 1 fail (naming\n' +
    'each failed check), 3 no GPU, driver or benchmark program (nvcc, or a packed install) or a GPU it cannot use (the\n' +
    "others still tested and recorded), 130 Ctrl-C (no verdict recorded). Each tested GPU's verdict, with its time and\n" +
    'level, is merged into $GPUCTL_DIAG_STATE (default ~/.local/state/gpuctl/diag-last.json) for the agent; other\n' +
    "GPUs' earlier verdicts stay until retested, or until the GPU is gone (no GPU or another UUID at that index).",
  options,
  examples: [
    ['gpuctl diag', 'quick: under 15 s per GPU'],
    ['gpuctl diag --level medium --json', 'about 2 minutes of stress plus a test of most of the free memory, as JSON'],
    ['gpuctl diag --level long --duration 30m --gpus 0', 'a burn-in of GPU 0'],
  ],
  parse: parseDiagOptions,
  run: async (options, ctx) => {
    const [{ gpuTarget, resolveGpus }, { resolveBinary }, { runDiag, unusableError }, render, state, { appendStepSummary }] =
      await Promise.all([
        import('../bench/target.js'),
        import('../bench/build.js'),
        import('../diag/run.js'),
        import('../diag/render.js'),
        import('../diag/state.js'),
        import('../ui/step-summary.js'),
      ]);
    const target = await gpuTarget(ctx, 'gpuctl diag tests an NVIDIA GPU: run it on the GPU machine, where nvidia-smi works.');
    const gpus = resolveGpus(options.gpus, target.all);
    const binary = await resolveBinary(ctx, target.arch, { building: (m) => ctx.log.info(m), built: (m) => ctx.log.info(m) });
    const notice = render.renderLongRunNotice(options, gpus.length, ctx.clock.now());
    if (notice) ctx.log.warn(notice);
    const spinner = ctx.spinner(`diag --level ${options.level}`);
    try {
      const report = await runDiag(
        ctx,
        { ...options, gpus, program: binary.path, fault: ctx.env.GPUCTL_DIAG_INJECT_FAULT || undefined },
        (i) => spinner.update(`diag --level ${options.level}: GPU ${i}`),
      );
      spinner.stop();
      const path = state.diagStatePath(ctx.env);
      try {
        if (path === undefined) ctx.log.warn('No diag state file written: HOME is empty; set GPUCTL_DIAG_STATE for the agent.');
        else state.writeDiagState(path, report, target.all, (m) => ctx.log.warn(m));
      } catch (error) {
        ctx.log.warn(`Could not write the diag state file ${path}: ${error instanceof Error ? error.message : String(error)}`);
      }
      ctx.print(report, render.renderDiag);
      await appendStepSummary(ctx, () => render.renderDiagMarkdown(report));
      // Exit 3 is the worst: a GPU that could not be tested outranks the others' fail, which the report and state keep.
      const missing = unusableError(report);
      if (missing) throw missing.asReported();
      return report.verdict === 'fail' ? ExitCode.failed : ExitCode.ok;
    } finally {
      spinner.stop();
    }
  },
});
