// The diag suite of the fake gpuctl-bench (native/src/diag.cu, diag_stress.cu): rows run only when named,
// and their `diag` lines with figures shaped like an H200 (docs/diag.md). --inject-fault reproduces the
// native program's planted faults (mem_bitflip: one error at one address; stress_wrong: iteration 3 wrong).
// FAKE_BENCH_FREE_BYTES sets the free memory the memory test sees (default 141 GiB of an H200).
// FAKE_GPU_BUSY_DIR (a folder shared with the fake nvidia-smi): while the stress runs, the file named after the
// GPU it loads exists there, and the fake nvidia-smi reports that GPU's utilization.gpu as 100 (a real GPU is
// busy only while a kernel runs). FAKE_BENCH_BUSY_DEVICE: the GPU the stress really loads (default --device;
// another one is a program numbering GPUs differently from nvidia-smi). FAKE_BENCH_STRESS_SKIP=reason: the
// stress is skipped as the native program does without cuBLASLt (a `skip` line, no load).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs `work` with the GPU the stress loads marked busy for the fake nvidia-smi. */
function busy(o, env, work) {
  const file = env.FAKE_GPU_BUSY_DIR && join(env.FAKE_GPU_BUSY_DIR, String(env.FAKE_BENCH_BUSY_DEVICE ?? o.device));
  if (file) writeFileSync(file, `${process.pid}\n`);
  try {
    work();
  } finally {
    if (file) rmSync(file, { force: true });
  }
}
export const DIAG_KERNELS = [
  {
    suite: 'diag',
    name: 'memtest',
    unit: 'GB/s',
    description: 'memory test over mem_pct% of free memory: walking ones, moving inversions, random; error counts, first addresses',
  },
  {
    suite: 'diag',
    name: 'stress',
    unit: 'TFLOP/s',
    description: "sustained bf16 tensor-core GEMM + copy kernel for `seconds`, every iteration's output verified",
  },
];

/** The lines of diag kernel `k` for options `o` (sizes, quick, fault). */
export function diagLines(k, o, env) {
  const fault = o.fault ?? '';
  if (k.name === 'memtest') {
    const free = Number(env.FAKE_BENCH_FREE_BYTES ?? 151_397_597_184);
    const pct = o.sizes.mem_pct ?? (o.quick ? 4 : 95);
    const bytes = Math.floor((free * pct) / 100 / 2 ** 21) * 2 ** 21;
    const passes = 42;
    const traffic = bytes * (2 * passes - 2);
    const bad = fault === 'mem_bitflip';
    const line = {
      type: 'diag',
      name: 'memtest',
      passed: !bad,
      errors: bad ? 1 : 0,
      firstAddresses: bad ? ['0x7f2a4c000a80'] : [],
      freeBytes: free,
      totalBytes: 150_109_880_320,
      bytesTested: bytes,
      coverage: bytes / free,
      passes,
      trafficBytes: traffic,
      seconds: traffic / 3.9e12,
      GBs: 3900,
      patterns: 'walking ones (32), moving inversions 0x00000000/0x55555555, random + inverse (Philox)',
      ...(fault ? { faultInjected: fault } : {}),
    };
    const error = bad && {
      type: 'error',
      code: 'check_failed',
      suite: 'diag',
      name: 'memtest',
      message: '1 memory errors; first at ["0x7f2a4c000a80"]',
    };
    return error ? [line, error] : [line];
  }
  if (env.FAKE_BENCH_STRESS_SKIP) return [{ type: 'skip', suite: 'diag', name: 'stress', reason: env.FAKE_BENCH_STRESS_SKIP }];
  const seconds = o.sizes.seconds ?? (o.quick ? 2 : 60);
  // a load window for gpuctl diag's nvidia-smi samples: the stress's seconds, at most 2.5 s
  const ms = Math.min(seconds * 1000, Number(env.FAKE_BENCH_STRESS_MS ?? 2500));
  busy(o, env, () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms));
  const n = o.sizes.n ?? (o.quick ? 1024 : 8192);
  const tflops = Number(env.FAKE_BENCH_STRESS_TFLOPS ?? 640);
  const iterations = Math.max(4, Math.round((tflops * 1e12 * seconds) / (2 * n ** 3)));
  const bad = fault === 'stress_wrong';
  const line = {
    type: 'diag',
    name: 'stress',
    passed: !bad,
    iterations,
    badIterations: bad ? 1 : 0,
    firstBadIteration: bad ? 3 : -1,
    mismatches: bad ? 1 : 0,
    copyMismatches: 0,
    seconds,
    tflops,
    tflopsFirst: tflops * 1.01,
    tflopsLast: tflops * 0.99,
    n,
    precision: 'bf16',
    copyBytesPerIteration: 536870912,
    referencePassed: true,
    referenceError: 0.0021,
    ...(fault ? { faultInjected: fault } : {}),
  };
  const message = `1 of ${iterations} iterations gave a wrong result (first: 3)`;
  return bad ? [line, { type: 'error', code: 'check_failed', suite: 'diag', name: 'stress', message }] : [line];
}
