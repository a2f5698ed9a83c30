/**
 * `gpuctl diag` over the fakes: nvidia-smi replaying a recorded H200 answer, the fake gpuctl-bench, a fake dmesg,
 * and a folder they share (FAKE_GPU_BUSY_DIR) so that nvidia-smi sees the GPU busy while the fake stress runs.
 */
import { appendFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_BIN, runGpuctl } from '../helpers/cli.js';

/** The environment of a diag run over the fakes, its state file and step summary (which holds an earlier step's line). */
export function diagSetup(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-diag-'));
  const state = join(dir, 'diag-last.json');
  const summary = join(dir, 'summary.md');
  appendFileSync(summary, '# earlier step\n');
  const busy = join(dir, 'busy');
  mkdirSync(busy);
  return {
    state,
    summary,
    env: {
      GPUCTL_BENCH_BIN: join(FAKE_BIN, 'gpuctl-bench-fake'),
      FAKE_NVIDIA_SMI_FIXTURE: 'diag/h200-clean.query-gpu.csv',
      FAKE_BENCH_DEVICE: 'NVIDIA H200',
      GPUCTL_DIAG_STATE: state,
      GITHUB_STEP_SUMMARY: summary,
      FAKE_GPU_BUSY_DIR: busy,
      ...env,
    },
  };
}

/** `gpuctl diag ARGS` over the fakes: the run, the state file and the step summary. */
export function diag(args: string[], env: Record<string, string> = {}) {
  const { state, summary, env: all } = diagSetup(env);
  return { run: runGpuctl(['diag', ...args], { tools: ['nvidia-smi', 'dmesg'], env: all }), state, summary };
}
