// The links, collectives and latency suites of the fake gpuctl-bench: every such row of native/src/kernels.inc
// (test/unit/bench/kernel-table.test.ts keeps them equal), and the result lines a run on `gpus` emits (per
// ordered pair, per message size, per request), with figures shaped like 2 x H200 joined by NV18.
export const CLUSTER_KERNELS = [
  {
    suite: 'links',
    name: 'p2p_ce_uni',
    unit: 'GB/s',
    description: 'peer copy, copy engine (cudaMemcpyPeerAsync), one direction; per ordered GPU pair',
  },
  {
    suite: 'links',
    name: 'p2p_ce_bidir',
    unit: 'GB/s',
    description: 'peer copy, copy engine, both directions at once: per-direction figure; per pair',
  },
  {
    suite: 'links',
    name: 'p2p_sm_uni',
    unit: 'GB/s',
    description: 'peer copy, SM copy kernel on the source writing to the peer, one direction; per pair',
  },
  {
    suite: 'links',
    name: 'p2p_sm_bidir',
    unit: 'GB/s',
    description: 'peer copy, SM copy kernels both ways at once: per-direction figure; per pair',
  },
  {
    suite: 'links',
    name: 'p2p_latency',
    unit: 'us',
    description: "peer read latency: dependent loads (pointer chase) from the peer's memory; per pair",
  },
  {
    suite: 'links',
    name: 'h2d_numa',
    unit: 'GB/s',
    description: "host-to-device copy per GPU from pinned memory on the GPU's own NUMA node",
  },
  {
    suite: 'collectives',
    name: 'all_reduce',
    unit: 'GB/s',
    description: 'NCCL all-reduce fp32 sum, 8 B .. 1 GiB: busbw = algbw x 2(n-1)/n (nccl-tests)',
  },
  {
    suite: 'collectives',
    name: 'all_gather',
    unit: 'GB/s',
    description: 'NCCL all-gather fp32, 8 B .. 1 GiB total: busbw = algbw x (n-1)/n',
  },
  {
    suite: 'collectives',
    name: 'reduce_scatter',
    unit: 'GB/s',
    description: 'NCCL reduce-scatter fp32 sum, 8 B .. 1 GiB total: busbw = algbw x (n-1)/n',
  },
  { suite: 'collectives', name: 'broadcast', unit: 'GB/s', description: 'NCCL broadcast from rank 0, 8 B .. 1 GiB: busbw = algbw' },
  {
    suite: 'latency',
    name: 'lat_ind_1x1024_stream',
    unit: 'us',
    description:
      'request: SMA+EMA+Bollinger+RSI on 1 x 1024, one kernel on mapped pinned host memory (LAT_FORM=copy: H2D, 4 kernels, D2H); stream; p99',
  },
  { suite: 'latency', name: 'lat_ind_1x1024_graph', unit: 'us', description: 'the same request replayed as one CUDA graph; p99' },
  {
    suite: 'latency',
    name: 'lat_ind_64x1024_stream',
    unit: 'us',
    description: 'request: indicators on 64 assets x 1024 steps; stream launches; p99',
  },
  { suite: 'latency', name: 'lat_ind_64x1024_graph', unit: 'us', description: 'indicators on 64 x 1024 as one CUDA graph; p99' },
  {
    suite: 'latency',
    name: 'lat_bs_1024_stream',
    unit: 'us',
    description: 'request: Black-Scholes call+put for 1024 options on mapped pinned host memory (LAT_FORM=copy: H2D..D2H); stream; p99',
  },
  { suite: 'latency', name: 'lat_bs_1024_graph', unit: 'us', description: 'Black-Scholes 1024 options as one CUDA graph; p99' },
  { suite: 'latency', name: 'lat_bs_65536_stream', unit: 'us', description: 'request: Black-Scholes for 65536 options; stream; p99' },
  { suite: 'latency', name: 'lat_bs_65536_graph', unit: 'us', description: 'Black-Scholes 65536 options as one CUDA graph; p99' },
  {
    suite: 'latency',
    name: 'lat_var_1_stream',
    unit: 'us',
    description: 'request: VaR 99% update of one portfolio (new weights, 4096 resident scenarios x 512 assets); stream; p99',
  },
  { suite: 'latency', name: 'lat_var_1_graph', unit: 'us', description: 'the VaR update as one CUDA graph; p99' },
];

const check = { passed: true, metric: 'max_abs', error: 0, bound: 0 };

/** Result/skip lines for kernel `k` on `gpus` (device `dev` for per-GPU suites); `slow` scales times. */
export function clusterLines(k, gpus, dev, slow) {
  const lines = [];
  if (k.suite === 'latency') {
    const base = k.name.endsWith('_graph') ? 0.012 : 0.019;
    const samplesMs = Array.from({ length: 1000 }, (_, i) => base * slow * (1 + (0.05 * ((i * 7919) % 100)) / 100) + (i === 500 ? 0.2 : 0));
    const sorted = [...samplesMs].sort((a, b) => a - b);
    const p = (q) => sorted[Math.ceil((q * sorted.length) / 100 - 1e-9) - 1];
    lines.push({
      type: 'result',
      suite: 'latency',
      name: k.name,
      unit: 'us',
      value: p(99) * 1000,
      samplesMs,
      medianMs: p(50),
      bytes: 0,
      flops: 0,
      size: { options: 1024 },
      precision: 'fp32',
      check: { ...check, metric: 'rel_l2', error: 3e-7, bound: 1e-5 },
      cpu: { medianMs: 0.009, threads: 1 },
      requests: 1000,
      p50Us: p(50) * 1000,
      p99Us: p(99) * 1000,
      cpuP50Us: 9,
      cpuP99Us: 11,
    });
  } else if (k.name === 'h2d_numa') {
    for (const g of gpus) {
      const ms = (256 * 2 ** 20) / 55e6;
      lines.push({
        type: 'result',
        suite: 'links',
        name: `h2d_numa_${g}`,
        unit: 'GB/s',
        value: 55,
        samplesMs: [ms],
        medianMs: ms,
        bytes: 256 * 2 ** 20,
        flops: 0,
        size: { bytes: 256 * 2 ** 20, gpu: g },
        precision: 'fp32',
        check,
        gpu: g,
        numaNode: 0,
      });
    }
  } else if (gpus.length < 2) {
    lines.push({ type: 'skip', suite: k.suite, name: k.name, reason: 'needs two or more GPUs (--gpus)' });
  } else if (k.suite === 'links') {
    for (const a of gpus)
      for (const b of gpus) {
        if (a === b) continue;
        const latency = k.name === 'p2p_latency';
        const ms = latency ? 20 : 2 ** 30 / 390e6;
        lines.push({
          type: 'result',
          suite: 'links',
          name: `${k.name}_${a}_${b}`,
          unit: k.unit,
          value: latency ? 1.0 : 2 ** 30 / ms / 1e6,
          samplesMs: [ms],
          medianMs: ms,
          bytes: latency ? 0 : 2 ** 30,
          flops: 0,
          size: { bytes: 2 ** 30, src: a, dst: b },
          precision: latency ? 'none' : 'fp32',
          check,
          src: a,
          dst: b,
        });
      }
  } else {
    const n = gpus.length;
    const factor = k.name === 'all_reduce' ? (2 * (n - 1)) / n : 1;
    for (let bytes = 8; bytes <= 2 ** 20; bytes *= 4) {
      const ms = 0.01 + bytes / 300e6;
      const algbw = bytes / (ms * 1e-3) / 1e9;
      lines.push({
        type: 'result',
        suite: 'collectives',
        name: `${k.name}_${bytes}`,
        unit: 'GB/s',
        value: algbw * factor,
        samplesMs: [ms, ms],
        medianMs: ms,
        bytes,
        flops: 0,
        size: { bytes, ranks: n },
        precision: 'fp32',
        check,
        algbw,
        busbw: algbw * factor,
        ranks: n,
      });
    }
  }
  return lines;
}

/**
 * --cpu mode, a latency _stream row: its request on one thread (_cpu1) and on all threads (_cpuall), as cpu_latency.cpp;
 * the VaR row (its float32 form screened through binary16, with the candidate counts) also in its full float32 read
 * (_full_cpu1, _full_cpuall) and its binary16 storage form (_f16_cpu1, _f16_cpuall, precision fp16).
 */
export function cpuLatencyLines(k) {
  const forms = [
    ['cpu1', 1, 0.004, 'fp32'],
    ['cpuall', 16, 0.003, 'fp32'],
  ];
  const isVar = k.name === 'lat_var_1_stream';
  if (isVar)
    forms.push(
      ['full_cpu1', 1, 0.0035, 'fp32'],
      ['full_cpuall', 16, 0.0025, 'fp32'],
      ['f16_cpu1', 1, 0.002, 'fp16'],
      ['f16_cpuall', 16, 0.0015, 'fp16'],
    );
  return forms.map(([form, threads, base, precision]) => {
    const samplesMs = Array.from({ length: 1000 }, (_, i) => base * (1 + (0.05 * ((i * 7919) % 100)) / 100));
    const sorted = [...samplesMs].sort((a, b) => a - b);
    const p = (q) => sorted[Math.ceil((q * sorted.length) / 100 - 1e-9) - 1];
    return {
      type: 'result',
      suite: 'latency',
      name: `${k.name.replace(/_stream$/, '')}_${form}`,
      unit: 'us',
      value: p(99) * 1000,
      samplesMs,
      medianMs: p(50),
      bytes: 0,
      flops: 0,
      size: { options: 1024 },
      precision,
      check: { ...check, metric: 'rel_l2', error: 1.1e-7, bound: 1e-5 },
      requests: 1000,
      threads,
      p50Us: p(50) * 1000,
      p95Us: p(95) * 1000,
      p99Us: p(99) * 1000,
      p999Us: p(99.9) * 1000,
      maxUs: sorted.at(-1) * 1000,
      ...(isVar && !form.includes('_') ? { candidatesMedian: 2, candidatesMax: 3 } : {}),
    };
  });
}
