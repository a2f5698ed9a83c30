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
  { flags: '--duration <duration>', description: 'medium and long: how long the stress runs (default medium 90s, long 10m)' },
] as const;

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
  const durationS = Math.max(1, Math.round(durationOption(raw, 'duration', '--duration', level === 'long' ? '10m' : '90s') / 1000));
  return { level, gpus, durationS };
}

export const diagCommand = defineCommand({
  name: 'diag',
  summary: 'Is this GPU healthy enough to trust: health fields, known-result kernels, memory test and verified stress',
  description:
    "Reads nvidia-smi's health fields (uncorrectable ECC, pages pending retirement, remapped rows, clock-event reasons,\n" +
    'temperature, power, and the PCIe link UNDER LOAD against its maximum), the XID events of the kernel log when it can\n' +
    'be read, and runs the benchmark program: known-result kernels, a memory test (walking ones, moving inversions,\n' +
    "random patterns) and a tensor-core stress whose every iteration's output is verified. Each check passes, warns\n" +
    '(never fails) or fails, with its evidence. Exit 0 pass or warn, 1 fail (naming each failed check), 3 no GPU, driver or benchmark program (nvcc, or a packed install).\n' +
    'The last result per GPU is written to $GPUCTL_DIAG_STATE (default ~/.local/state/gpuctl/diag-last.json) for the agent.',
  options,
  examples: [
    ['gpuctl diag', 'quick: under 15 s per GPU'],
    ['gpuctl diag --level medium --json', 'about 2 minutes of stress plus a test of most of the free memory, as JSON'],
    ['gpuctl diag --level long --duration 30m --gpus 0', 'a burn-in of GPU 0'],
  ],
  parse: parseDiagOptions,
  run: async (options, ctx) => {
    const [{ gpuTarget, resolveGpus }, { resolveBinary }, { runDiag }, { renderDiag, renderDiagMarkdown }, state, { appendStepSummary }] =
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
        else state.writeDiagState(path, report);
      } catch (error) {
        ctx.log.warn(`Could not write the diag state file ${path}: ${error instanceof Error ? error.message : String(error)}`);
      }
      ctx.print(report, renderDiag);
      await appendStepSummary(ctx, () => renderDiagMarkdown(report));
      return report.verdict === 'fail' ? ExitCode.failed : ExitCode.ok;
    } finally {
      spinner.stop();
    }
  },
});
