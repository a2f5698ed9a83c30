/**
 * What a bench run tells its command as it goes, and the words for it: bench emits these events, its command
 * shows them on spinners (one line per finished step in CI logs, nothing with --json). bench writes nothing
 * to the terminal itself.
 */
import type { BuildEvents } from './build.js';
import { figure, kernelName } from './format.js';
import type { ErrorLine, ResultLine, SkipLine } from './protocol.js';

/** The lines that end a kernel: a figure, a skip, a failure. */
export type KernelEndLine = ResultLine | SkipLine | ErrorLine;

/** What a bench run tells its command as it goes (the command shows it on spinners; bench writes nothing to the terminal). */
export interface BenchEvents extends BuildEvents {
  /** Getting the program failed (after `building` when a compile had begun). */
  buildFailed?(): void;
  /** The kernels begin: `kernels` of them, on `gpus` GPUs at once (null: one run, on one GPU or the CPU). */
  running?(run: { kernels: number; gpus: number | null; cpu: boolean }): void;
  /** One kernel ended (a figure, a skip or a failure): the `done`th of `total`; `gpu` is set when several GPUs run at once. */
  kernel?(progress: KernelProgress): void;
  /** Several GPUs: the links and collectives across them begin. */
  cluster?(gpus: readonly number[]): void;
  /** The run stopped before its report (the error follows). */
  runFailed?(): void;
}

export interface KernelProgress {
  done: number;
  total: number;
  gpu: number | null;
  line: KernelEndLine;
}

/** The spinner's text while a kernel ends: "[3/12] triad 2.9 TB/s", or with several GPUs "[3/24] GPU1 triad". */
export function kernelProgressText(p: KernelProgress): string {
  const { line } = p;
  if (p.gpu !== null) return `[${p.done}/${p.total}] GPU${p.gpu} ${kernelName(line)}`;
  const what = line.type === 'result' ? `${kernelName(line)} ${figure(line)}` : line.type === 'skip' ? `${kernelName(line)} skipped` : `${kernelName(line)} FAILED`;
  return `[${p.done}/${p.total}] ${what}`;
}

export const runningText = (run: { kernels: number; gpus: number | null; cpu: boolean }): string =>
  run.gpus === null ? `Running ${run.kernels} kernels${run.cpu ? ' (CPU implementations)' : ''}` : `Running ${run.kernels} kernels on ${run.gpus} GPUs at once`;

export const clusterText = (gpus: readonly number[]): string => `Links and collectives across GPUs ${gpus.join(',')}`;

/** When getting the program (a compile) failed. */
export const BUILD_FAILED_TEXT = 'Compiling gpuctl-bench failed';
/** When the run stopped before its report. */
export const RUN_FAILED_TEXT = 'The benchmark did not complete';
/** Another gpuctl is compiling the same program (a note, not a spinner). */
export const WAITING_TEXT = 'Another gpuctl is compiling the same benchmark program; waiting for it.';
