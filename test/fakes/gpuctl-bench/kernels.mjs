// The kernel registry of native/src/common.cpp, with figures shaped like an H100 80GB HBM3's (GPU
// mode) and a 16-thread CPU's (--cpu). `gpu`/`cpu` are the figure in `unit`; `work` is what one
// timed run does (bytes for GB/s, flops for TFLOP/s, paths/steps for the rest).
const GiB = 2 ** 30;
export const KERNELS = [
  { suite: 'memory', name: 'd2d_copy', unit: 'GB/s', gpu: 2950, cpu: 21, bytes: 2 * GiB, description: 'device copy kernel, 16-byte loads/stores (bytes read + written)' },
  { suite: 'memory', name: 'triad', unit: 'GB/s', gpu: 2990, cpu: 24, bytes: 3 * GiB, description: 'STREAM triad a = b + s*c, 16-byte accesses (bytes read + written)' },
  { suite: 'memory', name: 'memcpy_d2d', unit: 'GB/s', gpu: 3001, bytes: 2 * GiB, gpuOnly: true, description: 'cudaMemcpyAsync device-to-device: the ceiling (bytes read + written)' },
  { suite: 'memory', name: 'h2d_pinned', unit: 'GB/s', gpu: 47, bytes: GiB, gpuOnly: true, description: 'host-to-device copy from pinned memory (bytes transferred)' },
  { suite: 'memory', name: 'd2h_pinned', unit: 'GB/s', gpu: 49, bytes: GiB, gpuOnly: true, description: 'device-to-host copy to pinned memory (bytes transferred)' },
  { suite: 'memory', name: 'h2d_pageable', unit: 'GB/s', gpu: 12, bytes: GiB, gpuOnly: true, description: 'host-to-device copy from pageable memory (bytes transferred)' },
  { suite: 'memory', name: 'd2h_pageable', unit: 'GB/s', gpu: 9, bytes: GiB, gpuOnly: true, description: 'device-to-host copy to pageable memory (bytes transferred)' },
  { suite: 'compute', name: 'gemm_fp32', unit: 'TFLOP/s', gpu: 51, flops: 2 * 8192 ** 3, precision: 'fp32', gpuOnly: true, description: 'cuBLASLt GEMM n^3, fp32 in/out, fp32 compute' },
  { suite: 'compute', name: 'gemm_tf32', unit: 'TFLOP/s', gpu: 392, flops: 2 * 8192 ** 3, precision: 'tf32', gpuOnly: true, description: 'cuBLASLt GEMM n^3, fp32 in/out, tf32 tensor cores' },
  { suite: 'compute', name: 'gemm_fp16', unit: 'TFLOP/s', gpu: 728, flops: 2 * 8192 ** 3, precision: 'fp16', gpuOnly: true, description: 'cuBLASLt GEMM n^3, fp16 in/out, fp32 accumulate' },
  { suite: 'compute', name: 'gemm_bf16', unit: 'TFLOP/s', gpu: 755, flops: 2 * 8192 ** 3, precision: 'bf16', gpuOnly: true, description: 'cuBLASLt GEMM n^3, bf16 in/out, fp32 accumulate' },
  { suite: 'compute', name: 'gemm_fp8', unit: 'TFLOP/s', gpu: 1310, flops: 2 * 8192 ** 3, precision: 'fp8', gpuOnly: true, description: 'cuBLASLt GEMM n^3, fp8 e4m3 in, bf16 out, fp32 accumulate (sm_89+)' },
  { suite: 'compute', name: 'launch_latency', unit: 'us', gpu: 2.1, launches: 1000, gpuOnly: true, description: 'empty kernel, back-to-back stream launches: time per launch' },
  { suite: 'compute', name: 'graph_launch_latency', unit: 'us', gpu: 0.9, launches: 1000, gpuOnly: true, description: 'empty kernel, CUDA graph replay: time per kernel node' },
  { suite: 'finance', name: 'sma', unit: 'GB/s', gpu: 2610, cpu: 18, bytes: 2 * 4096 * 16384 * 4, description: 'simple moving average n=20 over series x steps (float32)' },
  { suite: 'finance', name: 'ema', unit: 'GB/s', gpu: 2400, cpu: 9, bytes: 2 * 4096 * 16384 * 4, description: 'exponential moving average n=20 (alpha=2/21, SMA seed), chunked scan' },
  { suite: 'finance', name: 'bollinger', unit: 'GB/s', gpu: 2550, cpu: 15, bytes: 4 * 4096 * 16384 * 4, description: 'Bollinger bands n=20, k=2: mid, upper, lower (population std, two-pass/Welford)' },
  { suite: 'finance', name: 'rsi', unit: 'GB/s', gpu: 2300, cpu: 8, bytes: 2 * 4096 * 16384 * 4, description: 'Wilder RSI(14), chunked scan of the smoothing recurrence' },
  { suite: 'finance', name: 'black_scholes', unit: 'GB/s', gpu: 2700, cpu: 20, bytes: 5 * 4 * 64 * 2 ** 20, flops: 64 * 2 ** 20 * 60, description: 'Black-Scholes call and put, NVIDIA sample inputs' },
  { suite: 'finance', name: 'mc_european', unit: 'Mpaths/s', gpu: 52000, cpu: 900, paths: 64 * 2 ** 20, metric: 'ci', description: 'Monte Carlo European call, in-kernel Philox4x32-10' },
  { suite: 'finance', name: 'mc_asian', unit: 'Mpaths/s', gpu: 1100, cpu: 14, paths: 4 * 2 ** 20, metric: 'ci', description: 'Monte Carlo arithmetic Asian call, 64 monitoring steps, Philox4x32-10' },
  { suite: 'finance', name: 'var_historical', unit: 'TFLOP/s', gpu: 44, cpu: 0.9, flops: 2 * 1024 * 4096 * 2048, precision: 'fp32', description: 'historical VaR 99%: P&L GEMM (fp32) + per-portfolio 1% quantile' },
  { suite: 'finance', name: 'backtest_grid', unit: 'Gsteps/s', gpu: 310, cpu: 4.2, steps: 256 * 16384 * 64, description: 'MA-crossover backtest, 8 fast x 8 slow windows, PnL per (series, fast, slow)' },
];

/** Work per run, and the scale that turns work/ms into the unit (value = work / ms / scale). */
export function workOf(k) {
  if (k.unit === 'GB/s') return { work: k.bytes, scale: 1e6 };
  if (k.unit === 'TFLOP/s') return { work: k.flops, scale: 1e9 };
  if (k.unit === 'Mpaths/s') return { work: k.paths, scale: 1e3 };
  if (k.unit === 'Gsteps/s') return { work: k.steps, scale: 1e6 };
  return { work: k.launches, scale: null }; // us per launch: value = ms * 1000 / launches
}

export const SIZE_KEYS = ['bytes', 'n', 'series', 'steps', 'options', 'paths', 'asian_paths', 'asian_steps', 'portfolios', 'scenarios', 'assets', 'grid_series', 'grid_steps', 'coll_max', 'requests'];
