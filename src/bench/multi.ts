/**
 * `gpuctl bench --gpus all|LIST` on several GPUs: the per-GPU suites run on every chosen GPU at once (one
 * process per GPU, started together), then the links and collectives suites span them (one process driving
 * all). The figures go side by side with their spread; a GPU more than --outlier percent worse than the
 * median of its peers is named and fails the run (exit 1); the command prints the result. JSON contract: docs/bench.md ("Several GPUs").
 */
import type { Ctx } from '../context.js';
import { ExitCode, InterruptedError } from '../errors.js';
import { VERSION } from '../version.js';
import type { BenchBinary } from './build.js';
import { describeSource } from './build.js';
import { hostInfo, matchGpu } from './device.js';
import { CLUSTER_SUITES, SUITES, type BenchOptions, type Suite } from './options.js';
import { findOutliers, spreadRows, type Outlier, type SpreadRow } from './outlier.js';
import type { DeviceLine, KernelLine } from './protocol.js';
import { renderCollectives, renderLatency, renderLinks, renderSideBySide } from './render-cluster.js';
import { buildReport, BENCH_SCHEMA_VERSION, type BenchReport } from './report.js';
import { kernelName } from './format.js';
import { runSuite } from './run.js';
import type { GpuTarget } from './target.js';
import type { BenchEvents } from './progress.js';
import type { Style } from '../ui/style.js';

export interface MultiGpuReport {
  schemaVersion: typeof BENCH_SCHEMA_VERSION;
  kind: 'multi-gpu';
  gpus: number[];
  outlierPct: number;
  /** Per-GPU suites, one report per GPU (all run at the same time). */
  perGpu: Array<{ gpu: number; report: BenchReport }>;
  /** links and collectives across the chosen GPUs; null when not selected. */
  cluster: BenchReport | null;
  spread: SpreadRow[];
  outliers: Outlier[];
  ok: boolean;
}

const split = (options: BenchOptions, cluster: boolean): Suite[] =>
  (options.suites.length ? options.suites : [...SUITES]).filter((s) => CLUSTER_SUITES.includes(s) === cluster);

/** Several GPUs: the document the command prints, and what its last spinner line says. */
export interface MultiRun {
  kind: 'multi';
  document: MultiGpuReport;
  binary: BenchBinary;
  /** Failed kernel runs, over every GPU and the cluster suites. */
  failures: number;
  elapsedMs: number;
  exitCode: number;
}

export async function benchMulti(ctx: Ctx, options: BenchOptions, binary: BenchBinary, kernels: KernelLine[], target: GpuTarget, gpus: number[], events: BenchEvents = {}): Promise<MultiRun> {
  const perGpuKernels = kernels.filter((k) => !(CLUSTER_SUITES as readonly string[]).includes(k.suite));
  const clusterKernels = kernels.length - perGpuKernels.length;
  const startedAt = ctx.clock.now();
  events.running?.({ kernels: perGpuKernels.length, gpus: gpus.length, cpu: false });
  const report = (lines: Parameters<typeof buildReport>[0]['lines'], gpu: number | null, began: Date): BenchReport => {
    const device = lines.find((l): l is DeviceLine => l.type === 'device') ?? null;
    const detected = gpu === null ? target.gpu : (target.all.find((g) => g.index === gpu) ?? target.gpu);
    return buildReport({ lines, options, binary, gpu: matchGpu([detected], device), driver: target.driver, host: hostInfo(ctx.host), toolVersion: VERSION, startedAt: began, finishedAt: ctx.clock.now() });
  };
  let perGpu: MultiGpuReport['perGpu'] = [];
  let cluster: BenchReport | null = null;
  try {
    if (perGpuKernels.length) {
      let done = 0;
      const selection = { ...options, suites: split(options, false) };
      const outcomes = await Promise.all(
        gpus.map((g) =>
          runSuite(ctx, binary, selection, target.driver.driverVersion, {
            line: (l) => {
              if (l.type === 'result' || l.type === 'skip' || (l.type === 'error' && l.name)) events.kernel?.({ done: ++done, total: perGpuKernels.length * gpus.length, gpu: g, line: l });
            },
          }, [g]),
        ),
      );
      perGpu = outcomes.map((o, i) => ({ gpu: gpus[i]!, report: report(o.lines, gpus[i]!, startedAt) }));
    }
    if (clusterKernels) {
      events.cluster?.(gpus);
      const began = ctx.clock.now();
      const outcome = await runSuite(ctx, binary, { ...options, suites: split(options, true) }, target.driver.driverVersion, {}, gpus);
      cluster = report(outcome.lines, null, began);
    }
  } catch (error) {
    if (!(error instanceof InterruptedError)) events.runFailed?.();
    throw error;
  }
  const spread = spreadRows(perGpu.map((p) => ({ gpu: p.gpu, results: p.report.results })));
  const outliers = findOutliers(spread, options.outlierPct);
  const failures = [...perGpu.flatMap((p) => p.report.failures), ...(cluster?.failures ?? [])].length;
  const ok = failures === 0 && outliers.length === 0 && perGpu.every((p) => p.report.ok) && (cluster?.ok ?? true);
  const elapsedMs = ctx.clock.now().getTime() - startedAt.getTime();
  const document: MultiGpuReport = { schemaVersion: BENCH_SCHEMA_VERSION, kind: 'multi-gpu', gpus, outlierPct: options.outlierPct, perGpu, cluster, spread, outliers, ok };
  return { kind: 'multi', document, binary, failures, elapsedMs, exitCode: ok ? ExitCode.ok : ExitCode.failed };
}

/** How the run on several GPUs ended, in a line: the spinner's last (ok: a success mark, else a failure mark). */
export function multiEndText(run: MultiRun): { ok: boolean; text: string } {
  const { failures, document } = run;
  if (failures) return { ok: false, text: `${failures} kernel run${failures === 1 ? '' : 's'} failed` };
  if (document.outliers.length) return { ok: false, text: `Outlier: GPU ${[...new Set(document.outliers.map((o) => o.gpu))].join(', ')}` };
  return { ok: true, text: `Ran on GPUs ${document.gpus.join(',')} in ${(run.elapsedMs / 1000).toFixed(1)} s` };
}

export function renderMulti(doc: MultiGpuReport, binary: BenchBinary, style: Style): string {
  const first = doc.perGpu[0]?.report ?? doc.cluster;
  const device = first?.device;
  const lines = [`gpuctl-bench ${first?.program.version ?? ''} · ${doc.gpus.length} GPUs (${doc.gpus.join(',')}) · per-GPU suites on all at once · ${first?.quick ? 'quick' : 'full'} sizes`];
  if (device) lines.push(`Device: ${device.name} · driver ${device.driverVersion ?? 'n/a'}`);
  lines.push(`Program: ${describeSource(binary)}`, '');
  if (doc.perGpu.length) lines.push(renderSideBySide(doc.spread, doc.gpus, doc.outliers, doc.outlierPct, style));
  const problems = [...doc.perGpu.flatMap((p) => p.report.failures.map((f) => `GPU${p.gpu} ${kernelName(f)}: ${f.message}`)), ...(doc.cluster?.failures ?? []).map((f) => `${kernelName(f)}: ${f.message}`)];
  for (const p of problems) lines.push(style.red(`✗ ${p}`));
  const skips = [...doc.perGpu.flatMap((p) => p.report.skipped), ...(doc.cluster?.skipped ?? [])];
  const reasons = [...new Set(skips.map((s) => s.reason))];
  for (const r of reasons) lines.push(style.dim(`– skipped, ${r}: ${[...new Set(skips.filter((s) => s.reason === r).map(kernelName))].join(', ')}`));
  const firstGpu = doc.perGpu[0];
  const latency = firstGpu ? renderLatency(firstGpu.report.results, style, ` on GPU${firstGpu.gpu}`) : '';
  for (const view of [latency, renderLinks(doc.cluster?.results ?? [], style), renderCollectives(doc.cluster?.results ?? [], style)]) if (view) lines.push('', view.trimEnd());
  lines.push('', doc.ok ? style.green('OK') : style.red(`FAILED: ${problems.length} failure(s), ${doc.outliers.length} outlier figure(s)`));
  return `${lines.join('\n')}\n`;
}
