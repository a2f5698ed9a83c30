// `nvidia-smi --query-gpu=… -lms N` (or `-l S`): prints the answer at once, then every N ms, until killed.
// FAKE_NVIDIA_SMI_SCRIPT names a JSON file: an array of steps, one per loop, each mapping query field
// names to a value for every GPU or an array of values by GPU position ("$gpus": N keeps only the first N
// GPUs); after the last step the last one repeats. Faults, in the real tool's own words and exit codes:
// FAKE_NVIDIA_SMI_LOOP_FAULT = die (the lost-GPU error, exit 15) | hang (stays alive, prints nothing
// more) | garbage (prints a line that is not CSV, each loop) after FAKE_NVIDIA_SMI_FAULT_AFTER loops
// (default 1), only for the first FAKE_NVIDIA_SMI_FAULT_RUNS invocations counted in FAKE_NVIDIA_SMI_STATE
// (a file; without it every invocation faults). FAKE_NVIDIA_SMI_SCRIPT_LIVE=1 re-reads the script at each
// loop (a test rewrites it to change the load while the agent runs).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The loop period in ms, or undefined when the invocation does not loop. */
export function loopInterval(args) {
  for (const [i, a] of args.entries()) {
    if (a === '-lms' || a === '-l') return Number(args[i + 1]) * (a === '-l' ? 1000 : 1);
    const m = /^--loop(-ms)?=(\d+)$/.exec(a);
    if (m) return Number(m[2]) * (m[1] ? 1 : 1000);
  }
  return undefined;
}

function applyStep(records, step) {
  const kept = step?.$gpus === undefined ? records : records.slice(0, step.$gpus);
  return kept.map((record, i) => {
    const next = { ...record };
    for (const [field, v] of Object.entries(step ?? {})) {
      if (field.startsWith('$')) continue;
      const value = Array.isArray(v) ? v[i] : v;
      if (value !== undefined) next[field] = String(value);
    }
    return next;
  });
}

function faultsThisRun(env) {
  if (!env.FAKE_NVIDIA_SMI_LOOP_FAULT) return false;
  if (!env.FAKE_NVIDIA_SMI_STATE) return true;
  const runs = existsSync(env.FAKE_NVIDIA_SMI_STATE) ? Number(readFileSync(env.FAKE_NVIDIA_SMI_STATE, 'utf8')) + 1 : 1;
  writeFileSync(env.FAKE_NVIDIA_SMI_STATE, String(runs));
  return runs <= Number(env.FAKE_NVIDIA_SMI_FAULT_RUNS ?? Infinity);
}

export function loop(everyMs, records, render, env) {
  if (!Number.isFinite(everyMs) || everyMs <= 0) {
    process.stdout.write("Invalid combination of input arguments. Please run 'nvidia-smi -h' for help.\n\n");
    process.exit(2);
  }
  const read = () => (env.FAKE_NVIDIA_SMI_SCRIPT ? JSON.parse(readFileSync(env.FAKE_NVIDIA_SMI_SCRIPT, 'utf8')) : [{}]);
  let steps = read();
  const fault = faultsThisRun(env) ? env.FAKE_NVIDIA_SMI_LOOP_FAULT : undefined;
  const after = Number(env.FAKE_NVIDIA_SMI_FAULT_AFTER ?? 1);
  let n = 0;
  const tick = () => {
    if (fault && n >= after) {
      if (fault === 'die') {
        process.stdout.write('Unable to determine the device handle for GPU0000:00:06.0: Unknown Error\n');
        process.exit(15);
      }
      if (fault === 'hang') return; // alive (the interval holds it) and silent
      if (fault === 'garbage') {
        process.stdout.write('\u001b[31m<html><body>502 Bad Gateway</body></html>\n');
        n += 1;
        return;
      }
    }
    if (env.FAKE_NVIDIA_SMI_SCRIPT_LIVE === '1') steps = read();
    process.stdout.write(render(applyStep(records, steps[Math.min(n, steps.length - 1)])));
    n += 1;
  };
  setInterval(tick, everyMs);
  tick();
}

/**
 * One-shot `--query-gpu` with FAKE_NVIDIA_SMI_SCRIPT: each call takes the next step, counted in the
 * FAKE_NVIDIA_SMI_STEPS file (without it, always the first step).
 */
export function oneShotRecords(records, env) {
  if (!env.FAKE_NVIDIA_SMI_SCRIPT) return busyRecords(records, env);
  const steps = JSON.parse(readFileSync(env.FAKE_NVIDIA_SMI_SCRIPT, 'utf8'));
  let n = 0;
  if (env.FAKE_NVIDIA_SMI_STEPS) {
    n = existsSync(env.FAKE_NVIDIA_SMI_STEPS) ? Number(readFileSync(env.FAKE_NVIDIA_SMI_STEPS, 'utf8')) : 0;
    writeFileSync(env.FAKE_NVIDIA_SMI_STEPS, String(n + 1));
  }
  return busyRecords(applyStep(records, steps[Math.min(n, steps.length - 1)]), env);
}

/**
 * FAKE_GPU_BUSY_DIR: a GPU whose index names a file there is busy (the fake gpuctl-bench's stress marks the GPU
 * it loads): its utilization.gpu reads 100, as a real one's does while a kernel runs.
 */
function busyRecords(records, env) {
  if (!env.FAKE_GPU_BUSY_DIR) return records;
  return records.map((r) => (existsSync(join(env.FAKE_GPU_BUSY_DIR, String(r.index))) ? { ...r, 'utilization.gpu': '100' } : r));
}

/**
 * `--query-compute-apps=pid,process_name,used_memory,gpu_uuid --format=csv,noheader,nounits`: the
 * processes in FAKE_NVIDIA_SMI_APPS (a JSON file: [{pid, process_name, used_memory, gpu_uuid}]);
 * none prints nothing, as the real tool does.
 */
export function computeApps(spec, format, env) {
  const apps = env.FAKE_NVIDIA_SMI_APPS ? JSON.parse(readFileSync(env.FAKE_NVIDIA_SMI_APPS, 'utf8')) : [];
  const fields = spec.split(',');
  const known = ['timestamp', 'gpu_name', 'gpu_bus_id', 'gpu_serial', 'gpu_uuid', 'pid', 'process_name', 'used_gpu_memory', 'used_memory'];
  const bad = fields.find((f) => !known.includes(f));
  if (bad) return { exitCode: 2, text: `Field "${bad}" is not a valid field to query.\n\n` };
  const opts = new Set(format.split(','));
  const lines = opts.has('noheader')
    ? []
    : [fields.map((f) => (f.startsWith('used') && !opts.has('nounits') ? `${f} [MiB]` : f)).join(', ')];
  for (const app of apps)
    lines.push(
      fields
        .map(
          (f) =>
            String(app[f === 'used_gpu_memory' ? 'used_memory' : f] ?? '[N/A]') +
            (f.startsWith('used') && !opts.has('nounits') ? ' MiB' : ''),
        )
        .join(', '),
    );
  return { exitCode: 0, text: lines.length ? `${lines.join('\n')}\n` : '' };
}
