/**
 * `gpuctl bench`, wired: find the target, get the program (cache, build or prebuilt), run it (its progress as
 * events, progress.ts), build the report, compare with a baseline and return it with the exit code; the command
 * prints it, writes --out and the step summary. Decisions live in the modules it calls.
 */
import type { Ctx } from '../context.js';
import { ExitCode, InterruptedError, MissingError } from '../errors.js';
import { VERSION } from '../version.js';
import { resolveBinary, resolveCpuBinary, describeSource, type BenchBinary } from './build.js';
import type { BenchEvents } from './progress.js';
import { compareRuns, gateFails, type Comparison } from './baseline.js';
import { readBaseline } from './baseline-file.js';
import { hostInfo, matchGpu } from './device.js';
import type { BenchOptions } from './options.js';
import type { DeviceLine, KernelLine } from './protocol.js';
import { renderComparison, renderHeader, renderResults } from './render.js';
import { renderMarkdown } from './render-markdown.js';
import { buildReport, type BenchReport } from './report.js';
import { listKernels, runSuite } from './run.js';
import { buildArch, gpuTarget, resolveGpus } from './target.js';
import { renderCollectives, renderLatency, renderLinks } from './render-cluster.js';
import { checkOut } from './write.js';
import type { Style } from '../ui/style.js';
import type { MultiRun } from './multi.js';
import { renderTable } from '../ui/table.js';

/** arch null: --cpu and --list, which run no GPU code (the CPU-only build, compiled with the host C++ compiler). */
async function getBinary(ctx: Ctx, arch: string | null, events: BenchEvents, requireCompiler = false): Promise<BenchBinary> {
  try {
    const binary = arch === null ? await resolveCpuBinary(ctx, events) : await resolveBinary(ctx, arch, events);
    if (requireCompiler && binary.source === 'prebuilt') {
      throw new MissingError('nvcc is not on PATH: --build-only compiles native/ and needs it.', 'nvcc', { hint: 'Install a CUDA toolkit (12.4 or newer), or set NVCC to its nvcc.' });
    }
    return binary;
  } catch (error) {
    // Ctrl-C is not a failed compile: the spinner ends without "✗ Compiling gpuctl-bench failed" above "Interrupted".
    if (!(error instanceof InterruptedError)) events.buildFailed?.();
    throw error;
  }
}

export async function benchBuildOnly(options: BenchOptions, ctx: Ctx, events: BenchEvents = {}): Promise<{ schemaVersion: 1; binary: BenchBinary }> {
  const arch = await buildArch(ctx, options.arch);
  const binary = await getBinary(ctx, arch, events, true);
  ctx.log.info(`Benchmark program: ${describeSource(binary)}`);
  return { schemaVersion: 1, binary };
}

export type KernelList = { schemaVersion: 1; kernels: Array<Pick<KernelLine, 'suite' | 'name' | 'unit' | 'description'>> };

export async function benchList(options: BenchOptions, ctx: Ctx, events: BenchEvents = {}): Promise<KernelList> {
  const binary = await getBinary(ctx, null, events);
  const kernels = await listKernels(ctx, binary, options);
  return { schemaVersion: 1, kernels: kernels.map(({ suite, name, unit, description }) => ({ suite, name, unit, description })) };
}

export const renderKernelList = (result: KernelList): string => renderTable(['Suite', 'Kernel', 'Unit', 'What it measures'], result.kernels.map((k) => [k.suite, k.name, k.unit, k.description]));

/** One GPU (or the CPU): its report and the comparison with --baseline; the command prints `document`. */
export interface SingleRun {
  kind: 'single';
  document: BenchReport & { baseline: (Comparison & { path: string }) | null };
  report: BenchReport;
  comparison: Comparison | null;
  binary: BenchBinary;
  exitCode: number;
}

export type BenchRun = SingleRun | MultiRun;

export async function benchRun(options: BenchOptions, ctx: Ctx, events: BenchEvents = {}): Promise<BenchRun> {
  if (options.out) await checkOut(options.out, ctx.cwd, options.force, options.baseline);
  const baseline = options.baseline ? await readBaseline(options.baseline, ctx.cwd) : null;
  const target = options.cpu ? null : await gpuTarget(ctx);
  const gpus = target ? resolveGpus(options.gpus, target.all) : [];
  const binary = await getBinary(ctx, target?.arch ?? null, events);
  const kernels = await listKernels(ctx, binary, options);
  if (target && gpus.length > 1) {
    const { benchMulti } = await import('./multi.js');
    return benchMulti(ctx, options, binary, kernels, target, gpus, events);
  }
  const chosen = target ? (target.all.find((g) => g.index === gpus[0]) ?? target.gpu) : null;
  if (target && target.all.length > 1 && options.gpus !== 'all') {
    ctx.log.info(`${target.all.length} GPUs found; measuring GPU ${chosen?.index ?? 0} (${chosen?.name ?? target.gpu.name}); --gpus all measures every one.`);
  }
  const startedAt = ctx.clock.now();
  events.running?.({ kernels: kernels.length, gpus: null, cpu: options.cpu });
  let done = 0;
  let device: DeviceLine | null = null;
  let outcome;
  try {
    outcome = await runSuite(ctx, binary, options, target?.driver.driverVersion ?? null, {
      line: (line) => {
        if (line.type === 'device') device = line;
        if (line.type !== 'result' && line.type !== 'skip' && !(line.type === 'error' && line.name)) return;
        done += 1;
        events.kernel?.({ done, total: kernels.length, gpu: null, line });
      },
    }, gpus);
  } catch (error) {
    if (!(error instanceof InterruptedError)) events.runFailed?.();
    throw error;
  }
  const report = buildReport({
    lines: outcome.lines,
    options,
    binary,
    gpu: chosen ? matchGpu([chosen], device) : null,
    driver: target?.driver ?? { driverVersion: null, cudaVersion: null },
    host: hostInfo(ctx.host),
    toolVersion: VERSION,
    startedAt,
    finishedAt: ctx.clock.now(),
  });
  const failed = report.failures.length;
  const comparison = baseline ? compareRuns(baseline, report, options.maxRegressionPct ?? 10, report.failures) : null;
  const document = { ...report, baseline: comparison && options.baseline ? { path: options.baseline, ...comparison } : null };
  const exitCode = failed || (comparison && gateFails(comparison)) ? ExitCode.failed : ExitCode.ok;
  return { kind: 'single', document, report, comparison, binary, exitCode };
}

/** How a run on one GPU ended, in a line: the spinner's last (ok: a success mark, else a failure mark). */
export function singleEndText(run: SingleRun): { ok: boolean; text: string } {
  const failed = run.report.failures.length;
  if (failed) return { ok: false, text: `${failed} kernel${failed === 1 ? '' : 's'} failed` };
  return { ok: true, text: `Ran ${run.report.results.length} kernels in ${(run.report.durationMs / 1000).toFixed(1)} s` };
}

export function renderSingle(run: SingleRun, baselinePath: string | null, style: Style): string {
  const { report, comparison, binary } = run;
  const views = [renderLatency(report.results, style), renderLinks(report.results, style), renderCollectives(report.results, style)].filter(Boolean);
  return `${renderHeader(report, binary)}\n${renderResults(report, style)}${views.map((v) => `\n${v}`).join('')}` + (comparison ? `\n${renderComparison(comparison, baselinePath ?? 'baseline', style)}` : '');
}

/** The markdown for GITHUB_STEP_SUMMARY (one GPU; several GPUs have none). */
export const runMarkdown = (run: SingleRun, baselinePath: string | null): string => renderMarkdown(run.report, run.comparison, baselinePath);
