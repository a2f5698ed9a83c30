// Fake gpuctl-bench: speaks native/PROTOCOL.md (same command line, lines, error texts and exit
// codes as native/src) with deterministic figures, so tests can drive every path of `gpuctl bench`.
// Knobs (environment):
//   FAKE_BENCH_LOG=file          append argv as a JSON line per call
//   FAKE_BENCH_FAIL_CHECK=a,b    these kernels fail their check (error line, no result, exit 1)
//   FAKE_BENCH_NO_GPU=1          GPU mode: no driver (exit 3)
//   FAKE_BENCH_NO_DEVICE=1,2     GPU mode: these --device indices are not usable (exit 3, as cudaSetDevice failing)
//   FAKE_BENCH_DRIVER_CUDA=12040 GPU mode: the driver's CUDA version (older than 13000 → exit 3)
//   FAKE_BENCH_GARBAGE=text      print this non-protocol line after the hello line
//   FAKE_BENCH_TRUNCATE=1        stop in the middle of the third result line
//   FAKE_BENCH_HANG=1            hang after the hello line
//   FAKE_BENCH_CRASH=1           die of SIGSEGV after two results
//   FAKE_BENCH_SCALE=1.3         every time × 1.3 (a slowdown, for baseline tests)
//   FAKE_BENCH_JITTER=0.01       relative spread of the samples
//   FAKE_BENCH_DEVICE / FAKE_BENCH_CC   the device line's name and compute capability
//   FAKE_BENCH_SLOW_GPU=1:1.25   device 1's times × 1.25 (an outlier among several GPUs)
//   --inject-fault, FAKE_BENCH_FREE_BYTES, FAKE_BENCH_STRESS_TFLOPS, FAKE_BENCH_STRESS_SKIP,
//   FAKE_GPU_BUSY_DIR, FAKE_BENCH_BUSY_DEVICE   the diag suite (diag.mjs)
// A program "linked" by the fake c++ is the CPU-only build (globalThis.FAKE_BENCH_CPU_ONLY): cudaRuntime
// null, and GPU mode exits 3 as native/src/gpu_none.cc does.
import { appendFileSync, writeSync } from 'node:fs';
import { CLUSTER_KERNELS, clusterLines, cpuLatencyLines } from './cluster.mjs';
import { DIAG_KERNELS, diagLines } from './diag.mjs';
import { KERNELS as BASE_KERNELS, SIZE_KEYS, workOf } from './kernels.mjs';

const KERNELS = [...BASE_KERNELS, ...CLUSTER_KERNELS, ...DIAG_KERNELS];

const env = process.env;
const argv = process.argv.slice(2);
if (env.FAKE_BENCH_LOG) appendFileSync(env.FAKE_BENCH_LOG, `${JSON.stringify(argv)}\n`);
// Written synchronously, retried while a non-blocking pipe is full: process.exit right after a line must
// lose nothing. process.stdout.write lost the tail of a --gpus all run under Node 22 when the reader was
// slow (output "cut short", seen in the Node 22 e2e pass on a loaded machine).
function out(text) {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length;) {
    try {
      at += writeSync(1, bytes, at);
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
    }
  }
}
const emit = (o) => out(`${JSON.stringify(o)}\n`);
const HELP = 'usage: gpuctl-bench --list | --version\n';
function usage(message) {
  emit({ type: 'error', code: 'usage', message });
  process.stderr.write(`gpuctl-bench: error usage : ${message}\n${HELP}`);
  process.exit(2);
}

const o = { list: false, version: false, cpu: false, quick: false, repeat: 0, suites: [], kernels: [], sizes: {}, device: 0, gpus: null };
for (let i = 0; i < argv.length; i += 1) {
  const a = argv[i];
  const next = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
  if (a === '--list') o.list = true;
  else if (a === '--version') o.version = true;
  else if (a === '--quick') o.quick = true;
  else if (a === '--cpu') o.cpu = true;
  else if (a === '--repeat') {
    const v = next();
    if (!/^\d+$/.test(v) || Number(v) < 1) usage(`--repeat expects an integer >= 1, got '${v}'`);
    o.repeat = Number(v);
  } else if (a === '--suite') {
    for (const s of next().split(',').filter(Boolean)) {
      if (!['memory', 'compute', 'finance', 'links', 'collectives', 'latency', 'diag'].includes(s)) usage(`unknown suite '${s}'`);
      o.suites.push(s);
    }
  } else if (a === '--kernel') {
    for (const k of next().split(',').filter(Boolean)) {
      if (!KERNELS.some((x) => x.name === k)) usage(`unknown kernel '${k}' (see --list)`);
      o.kernels.push(k);
    }
  } else if (a === '--inject-fault') {
    o.fault = next();
    if (!['mem_bitflip', 'stress_wrong'].includes(o.fault)) usage(`--inject-fault expects mem_bitflip or stress_wrong, got '${o.fault}'`);
  } else if (a === '--device') o.device = Number(next());
  else if (a === '--gpus') o.gpus = next().split(',').map(Number);
  else if (a === '--size') {
    const kv = next();
    const [k, v] = kv.split('=');
    if (v === undefined) usage(`--size expects KEY=VALUE, got '${kv}'`);
    if (!SIZE_KEYS.includes(k)) usage(`unknown --size key '${k}'`);
    o.sizes[k] = Number(v);
  } else usage(`unknown argument '${a}'`);
}
const cudaRuntime = globalThis.FAKE_BENCH_CPU_ONLY ? null : 13000;
// as native/src/common.cpp: the diag suite runs only when named
const selected = (k) =>
  (!o.suites.length || o.suites.includes(k.suite)) &&
  (!o.kernels.length || o.kernels.includes(k.name)) &&
  (k.suite !== 'diag' || o.suites.includes('diag') || o.kernels.includes(k.name));

if (o.version) {
  emit({
    type: 'version',
    protocol: 1,
    program: 'gpuctl-bench',
    version: '0.1.0',
    cudaRuntime,
    built: globalThis.FAKE_BENCH_BUILT ?? 'fake',
  });
  process.exit(0);
}
if (o.list) {
  for (const k of KERNELS.filter(selected))
    emit({ type: 'kernel', suite: k.suite, name: k.name, unit: k.unit, description: k.description });
  process.exit(0);
}

emit({ type: 'hello', protocol: 1, version: '0.1.0', cudaRuntime, mode: o.cpu ? 'cpu' : 'gpu' });
if (env.FAKE_BENCH_GARBAGE) out(`${env.FAKE_BENCH_GARBAGE}\n`);
if (env.FAKE_BENCH_HANG) setInterval(() => undefined, 60_000);
else run();

function fatal(code, message, exit) {
  emit({ type: 'error', code, message });
  process.stderr.write(`gpuctl-bench: error ${code} : ${message}\n`);
  emit({ type: 'done', ok: false, failed: 0 });
  process.exit(exit);
}

function run() {
  if (!o.cpu) {
    if (globalThis.FAKE_BENCH_CPU_ONLY) {
      fatal(
        'no_gpu',
        'this gpuctl-bench is the CPU-only build (host C++ compiler, no CUDA): it runs --cpu and --list; GPU mode needs a build with nvcc',
        3,
      );
    }
    if (env.FAKE_BENCH_NO_GPU)
      fatal('no_gpu', 'no NVIDIA driver found (libcuda.so.1 could not be loaded); use --cpu to run the CPU implementations', 3);
    if ((env.FAKE_BENCH_NO_DEVICE ?? '').split(',').includes(String(o.device)))
      fatal('no_gpu', `cudaSetDevice(${o.device}): invalid device ordinal; use --cpu to run the CPU implementations`, 3);
    const drv = Number(env.FAKE_BENCH_DRIVER_CUDA ?? 13000);
    const ver = (v) => `${Math.floor(v / 1000)}.${(v % 1000) / 10}`;
    if (Math.floor(drv / 1000) < 13) {
      fatal(
        'driver_too_old',
        `driver supports CUDA ${ver(drv)} (${drv}), this program needs CUDA 13.0 (13000): update the NVIDIA driver (R580 or newer for CUDA 13)`,
        3,
      );
    }
    emit({
      type: 'device',
      index: o.device,
      name: env.FAKE_BENCH_DEVICE ?? 'NVIDIA H100 80GB HBM3',
      computeCapability: env.FAKE_BENCH_CC ?? '9.0',
      sms: 132,
      memoryBytes: 85045379072,
      l2Bytes: 52428800,
      smClockMHz: 1980,
      memClockMHz: 2619,
      busWidthBits: 5120,
      driverCuda: drv,
      runtimeCuda: 13000,
      // As the real program: a one-GPU run is bound to its GPU's local CPUs (here two NUMA nodes of 8 CPUs,
      // even GPUs on node 0, odd ones on node 1); a run spanning several GPUs is not bound.
      cpuAffinity: (o.gpus ?? []).length <= 1 && env.GPUCTL_BENCH_BIND !== '0' ? ['0-7', '8-15'][o.device % 2] : null,
      numaNode: o.device % 2,
    });
  }
  const failing = (env.FAKE_BENCH_FAIL_CHECK ?? '').split(',').filter(Boolean);
  const [slowGpu, slowBy] = (env.FAKE_BENCH_SLOW_GPU ?? '').split(':');
  const scale =
    Number(env.FAKE_BENCH_SCALE ?? 1) * (slowGpu !== undefined && slowGpu !== '' && Number(slowGpu) === o.device ? Number(slowBy) : 1);
  const jitter = Number(env.FAKE_BENCH_JITTER ?? 0.01);
  const repeat = o.repeat || (o.quick ? (o.cpu ? 3 : 5) : o.cpu ? 5 : 20);
  let failed = 0;
  let results = 0;
  // As the real program: in --cpu mode a latency _stream row runs its request on the CPU (cpuLatencyLines), and
  // a selection with nothing the CPU can run is an error, not "0 passed".
  const cpuRuns = (k) => (CLUSTER_KERNELS.includes(k) ? k.suite === 'latency' && k.name.endsWith('_stream') : !k.gpuOnly);
  if (o.cpu && KERNELS.some(selected) && !KERNELS.filter(selected).some(cpuRuns)) {
    emit({
      type: 'error',
      code: 'gpu_only',
      message: 'every selected kernel is GPU-only: --cpu has nothing to run (--list names the CPU ones)',
    });
    emit({ type: 'done', ok: false, failed: 1 });
    process.exit(1);
  }
  for (const k of KERNELS.filter(selected)) {
    if (DIAG_KERNELS.includes(k)) {
      if (o.cpu) emit({ type: 'skip', suite: k.suite, name: k.name, reason: 'GPU-only kernel: not run in --cpu mode' });
      else
        for (const line of diagLines(k, o, env)) {
          emit(line);
          if (line.type === 'error') failed += 1;
        }
      continue;
    }
    if (CLUSTER_KERNELS.includes(k)) {
      if (o.cpu && cpuRuns(k)) for (const line of cpuLatencyLines(k)) emit(line);
      else if (o.cpu) emit({ type: 'skip', suite: k.suite, name: k.name, reason: 'GPU-only kernel: not run in --cpu mode' });
      else for (const line of clusterLines(k, o.gpus ?? [o.device], o.device, scale)) emit(line);
      continue;
    }
    if (o.cpu && k.gpuOnly) {
      if (k.suite === 'memory' || k.suite === 'compute')
        emit({ type: 'skip', suite: k.suite, name: k.name, reason: 'GPU-only kernel: not run in --cpu mode' });
      continue;
    }
    const metric = k.metric ?? 'rel_l2';
    const bound = metric === 'ci' ? 4 : 1e-5;
    if (failing.includes(k.name)) {
      const message = `${metric} ${metric === 'ci' ? '9.7' : '0.0312'} exceeds bound ${bound}`;
      emit({ type: 'error', code: 'check_failed', suite: k.suite, name: k.name, message });
      process.stderr.write(`gpuctl-bench: error check_failed ${k.suite}/${k.name}: ${message}\n`);
      failed += 1;
      continue;
    }
    const quick = o.quick ? 1 / 16 : 1;
    const { work: fullWork, scale: unitScale } = workOf(k);
    const figure = o.cpu ? k.cpu : k.gpu;
    const work = unitScale === null ? fullWork : fullWork * quick;
    const medianMs = (unitScale === null ? (figure * work) / 1000 : work / figure / unitScale) * scale;
    const samplesMs = Array.from({ length: repeat }, (_, i) => medianMs * (1 + jitter * Math.sin(i * 2.399963)));
    const sorted = [...samplesMs].sort((a, b) => a - b);
    const mid = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    const value = unitScale === null ? (mid * 1000) / work : work / mid / unitScale;
    const size = {
      ...(k.suite === 'memory'
        ? { bytes: (o.quick ? 64 : 1024) * 2 ** 20 }
        : k.suite === 'compute'
          ? { n: o.quick ? 1024 : 8192 }
          : { series: o.quick ? 256 : 4096 }),
      ...o.sizes,
    };
    const line = {
      type: 'result',
      suite: k.suite,
      name: k.name,
      unit: k.unit,
      value,
      samplesMs,
      medianMs: mid,
      bytes: k.unit === 'GB/s' ? work : (k.bytes ?? 0) * quick,
      flops: k.unit === 'TFLOP/s' ? work : (k.flops ?? 0) * quick,
      size,
      precision: k.precision ?? 'fp32',
      check: { passed: true, metric, error: metric === 'ci' ? 0.84 : 1.2e-7, bound },
      ...(!o.cpu && k.cpu
        ? {
            cpu: { medianMs: mid * (k.gpu / k.cpu), threads: 16, measuredMs: (mid * (k.gpu / k.cpu)) / 16, fraction: 0.0625 },
            speedup: k.gpu / k.cpu,
          }
        : {}),
    };
    if (env.FAKE_BENCH_TRUNCATE && results === 2) {
      out(JSON.stringify(line).slice(0, 40));
      process.exit(0);
    }
    if (env.FAKE_BENCH_CRASH && results === 2) {
      process.stderr.write('gpuctl-bench: fatal: an illegal memory access was encountered\n');
      process.kill(process.pid, 'SIGSEGV');
    }
    emit(line);
    results += 1;
  }
  emit({ type: 'done', ok: failed === 0, failed });
  process.exit(failed ? 1 : 0);
}
