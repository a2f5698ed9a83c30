/**
 * `gpuctl bench`, wired: find the target, get the program (cache, build or prebuilt), run it with
 * progress, build the report, compare with a baseline, print, write files, return the exit code.
 * Decisions live in the modules it calls; this file only sequences effects and owns the spinners.
 */
import type { Ctx } from '../context.js';
import { ExitCode, MissingError } from '../errors.js';
import { VERSION } from '../version.js';
import { resolveBinary, resolveCpuBinary, describeSource, type BenchBinary, type BuildEvents } from './build.js';
import { compareRuns, gateFails, type Comparison } from './baseline.js';
import { readBaseline } from './baseline-file.js';
import { hostInfo, matchGpu } from './device.js';
import { kernelName, figure } from './format.js';
import type { BenchOptions } from './options.js';
import type { DeviceLine } from './protocol.js';
import { renderComparison, renderHeader, renderResults } from './render.js';
import { renderMarkdown } from './render-markdown.js';
import { buildReport, type BenchReport } from './report.js';
import { listKernels, runSuite } from './run.js';
import { buildArch, gpuTarget, resolveGpus } from './target.js';
import { renderCollectives, renderLatency, renderLinks } from './render-cluster.js';
import { checkOut, writeReport } from './write.js';
import { jsonText } from '../ui/output.js';
import { appendStepSummary } from '../ui/step-summary.js';
import { renderTable } from '../ui/table.js';

function buildEvents(ctx: Ctx): BuildEvents & { close(ok: boolean): void } {
  let spinner: ReturnType<Ctx['spinner']> | undefined;
  return {
    waiting: () => ctx.log.info('Another gpuctl is compiling the same benchmark program; waiting for it.'),
    building: (message) => void (spinner = ctx.spinner(message)),
    progress: (message) => spinner?.update(message),
    built: (message) => spinner?.succeed(message),
    close: (ok) => void (ok ? undefined : spinner?.fail('Compiling gpuctl-bench failed')),
  };
}

/** arch null: --cpu and --list, which run no GPU code (the CPU-only build, compiled with the host C++ compiler). */
async function getBinary(ctx: Ctx, arch: string | null, requireCompiler = false): Promise<BenchBinary> {
  const events = buildEvents(ctx);
  try {
    const binary = arch === null ? await resolveCpuBinary(ctx, events) : await resolveBinary(ctx, arch, events);
    if (requireCompiler && binary.source === 'prebuilt') {
      throw new MissingError('nvcc is not on PATH: --build-only compiles native/ and needs it.', 'nvcc', { hint: 'Install a CUDA toolkit (12.4 or newer), or set NVCC to its nvcc.' });
    }
    events.close(true);
    return binary;
  } catch (error) {
    events.close(false);
    throw error;
  }
}

export async function benchBuildOnly(options: BenchOptions, ctx: Ctx): Promise<number> {
  const arch = await buildArch(ctx, options.arch);
  const binary = await getBinary(ctx, arch, true);
  ctx.log.info(`Benchmark program: ${describeSource(binary)}`);
  ctx.print({ schemaVersion: 1, binary }, (result) => `${result.binary.path}\n`);
  return ExitCode.ok;
}

export async function benchList(options: BenchOptions, ctx: Ctx): Promise<number> {
  const binary = await getBinary(ctx, null);
  const kernels = await listKernels(ctx, binary, options);
  const list = kernels.map(({ suite, name, unit, description }) => ({ suite, name, unit, description }));
  ctx.print({ schemaVersion: 1, kernels: list }, (result) => renderTable(['Suite', 'Kernel', 'Unit', 'What it measures'], result.kernels.map((k) => [k.suite, k.name, k.unit, k.description])));
  return ExitCode.ok;
}

export async function benchRun(options: BenchOptions, ctx: Ctx): Promise<number> {
  if (options.out) await checkOut(options.out, ctx.cwd, options.force, options.baseline);
  const baseline = options.baseline ? await readBaseline(options.baseline, ctx.cwd) : null;
  const target = options.cpu ? null : await gpuTarget(ctx);
  const gpus = target ? resolveGpus(options.gpus, target.all) : [];
  const binary = await getBinary(ctx, target?.arch ?? null);
  const kernels = await listKernels(ctx, binary, options);
  if (target && gpus.length > 1) {
    const { benchMulti } = await import('./multi.js');
    return benchMulti(ctx, options, binary, kernels, target, gpus);
  }
  const chosen = target ? (target.all.find((g) => g.index === gpus[0]) ?? target.gpu) : null;
  if (target && target.all.length > 1 && options.gpus !== 'all') {
    ctx.log.info(`${target.all.length} GPUs found; measuring GPU ${chosen?.index ?? 0} (${chosen?.name ?? target.gpu.name}); --gpus all measures every one.`);
  }
  const startedAt = ctx.clock.now();
  const spinner = ctx.spinner(`Running ${kernels.length} kernels${options.cpu ? ' (CPU implementations)' : ''}`);
  let done = 0;
  let device: DeviceLine | null = null;
  let outcome;
  try {
    outcome = await runSuite(ctx, binary, options, target?.driver.driverVersion ?? null, {
      line: (line) => {
        if (line.type === 'device') device = line;
        if (line.type !== 'result' && line.type !== 'skip' && !(line.type === 'error' && line.name)) return;
        done += 1;
        const what = line.type === 'result' ? `${kernelName(line)} ${figure(line)}` : line.type === 'skip' ? `${kernelName(line)} skipped` : `${kernelName(line)} FAILED`;
        spinner.update(`[${done}/${kernels.length}] ${what}`);
      },
    }, gpus);
  } catch (error) {
    spinner.fail('The benchmark did not complete');
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
  if (failed) spinner.fail(`${failed} kernel${failed === 1 ? '' : 's'} failed`);
  else spinner.succeed(`Ran ${report.results.length} kernels in ${(report.durationMs / 1000).toFixed(1)} s`);
  const comparison = baseline ? compareRuns(baseline, report, options.maxRegressionPct ?? 10, report.failures) : null;
  await emit(ctx, options, binary, report, comparison);
  return failed || (comparison && gateFails(comparison)) ? ExitCode.failed : ExitCode.ok;
}

async function emit(ctx: Ctx, options: BenchOptions, binary: BenchBinary, report: BenchReport, comparison: Comparison | null): Promise<void> {
  const document = { ...report, baseline: comparison && options.baseline ? { path: options.baseline, ...comparison } : null };
  ctx.print(document, (_, style) => {
    const views = [renderLatency(report.results, style), renderLinks(report.results, style), renderCollectives(report.results, style)].filter(Boolean);
    return `${renderHeader(report, binary)}\n${renderResults(report, style)}${views.map((v) => `\n${v}`).join('')}` + (comparison ? `\n${renderComparison(comparison, options.baseline ?? 'baseline', style)}` : '');
  });
  if (options.out) {
    const path = await writeReport(options.out, ctx.cwd, jsonText(document), options.force, options.baseline);
    ctx.log.info(`Wrote ${path}`);
  }
  await appendStepSummary(ctx, () => renderMarkdown(report, comparison, options.baseline));
}
