/**
 * Tuning that follows the GPU: the batch size and the share of GPU memory the application may take,
 * from the GPU's memory (its class) and the workload. Pure; docs/init-validate.md has the table and
 * the reasoning, and a test holds the two to each other.
 *
 * The reasoning, briefly. Model weights take a fixed amount; what is left holds activations (and,
 * for training, gradients and optimizer state), which grow linearly with the batch. So the batch
 * that fits grows with memory: throughput workloads (batch, backtest grids) double it with each
 * class; training less (weights, gradients and Adam state already take ~16 bytes per parameter);
 * inference least: its batch is bounded by latency (a request waits for its batch), not memory.
 * The share left to the framework is what remains after a reserve that does NOT grow with the card:
 * the CUDA context and library workspaces (~1.5 GB; more with NCCL buffers on several GPUs) and a
 * per-workload headroom for fragmentation and request-size spikes. So 0.83 on a 24 GB card is the
 * same reserve as 0.88 on 80 GB.
 */
import type { WorkloadId } from '../shared/profiles.js';

export const MEMORY_CLASSES = [8, 16, 24, 48, 80, 141] as const;
export type MemoryClass = (typeof MEMORY_CLASSES)[number];

/** The class a card belongs to: the smallest class that holds its memory (a 94 GB H100 NVL is in 141). */
export function memoryClass(memoryGB: number): MemoryClass {
  return MEMORY_CLASSES.find((c) => memoryGB <= c * 1.02) ?? 141;
}

/** GPUCTL_BATCH_SIZE per workload and memory class. */
export const BATCH_SIZE: Readonly<Record<WorkloadId, Readonly<Record<MemoryClass, number>>>> = {
  inference: { 8: 2, 16: 4, 24: 8, 48: 16, 80: 32, 141: 32 },
  batch: { 8: 8, 16: 16, 24: 32, 48: 64, 80: 128, 141: 256 },
  backtest: { 8: 8, 16: 16, 24: 32, 48: 64, 80: 128, 141: 256 },
  training: { 8: 4, 16: 8, 24: 16, 48: 32, 80: 64, 141: 128 },
};

/** Headroom kept free per workload (fragmentation; inference's varying request sizes need the most). */
export const HEADROOM: Readonly<Record<WorkloadId, number>> = { inference: 0.1, batch: 0.05, backtest: 0.07, training: 0.03 };
/** CUDA context, cuBLAS/cuDNN workspaces; NCCL's buffers add about 1 GB with several GPUs. */
export const CONTEXT_RESERVE_GB = 1.5;
export const NCCL_RESERVE_GB = 1;
export const MAX_FRACTION = 0.95;

export interface Tuning {
  memoryClass: MemoryClass;
  batchSize: number;
  /** Two decimals, rounded down. */
  memoryFraction: number;
}

export function tuneFor(workload: WorkloadId, memoryGB: number, gpuCount = 1): Tuning {
  const cls = memoryClass(memoryGB);
  const reserve = CONTEXT_RESERVE_GB + (gpuCount > 1 ? NCCL_RESERVE_GB : 0);
  const fraction = Math.min(MAX_FRACTION, Math.floor((1 - HEADROOM[workload] - reserve / memoryGB) * 100 + 1e-9) / 100);
  return { memoryClass: cls, batchSize: BATCH_SIZE[workload][cls], memoryFraction: fraction };
}

/**
 * The framework variables that make the tuning take effect, each with the reason (rendered as a
 * comment above it). NCCL ones only with several GPUs; NVLink SHARP (NVLS, multicast) stays off:
 * it needs the fabric manager and IMEX set up, and enabling it blindly hangs or fails collectives.
 */
export function frameworkEnv(tuning: Tuning, gpuCount: number): Array<{ name: string; value: string; why: string }> {
  const env = [
    {
      name: 'PYTORCH_CUDA_ALLOC_CONF',
      value: 'expandable_segments:True',
      why: "PyTorch's allocator grows segments instead of stranding memory between varying batch shapes (fewer OOMs below the fraction)",
    },
    {
      name: 'CUDA_MODULE_LOADING',
      value: 'LAZY',
      why: 'kernels load on first use: a smaller CUDA context and a faster start (the default from CUDA 12.2; explicit for older userlands)',
    },
    { name: 'CUDA_DEVICE_ORDER', value: 'PCI_BUS_ID', why: 'CUDA numbers GPUs as nvidia-smi and the compose device_ids do' },
    {
      name: 'XLA_PYTHON_CLIENT_MEM_FRACTION',
      value: tuning.memoryFraction.toFixed(2),
      why: 'JAX preallocates 75% by default: give it GPUCTL_GPU_MEMORY_FRACTION instead (PyTorch reads that through torch.cuda.set_per_process_memory_fraction)',
    },
    {
      name: 'TF_FORCE_GPU_ALLOW_GROWTH',
      value: 'true',
      why: 'TensorFlow otherwise maps all GPU memory at start, leaving none for the reserve',
    },
  ];
  if (gpuCount > 1) {
    env.push(
      { name: 'NCCL_DEBUG', value: 'WARN', why: 'NCCL says why a collective failed (topology, transport) instead of failing silently' },
      {
        name: 'TORCH_NCCL_ASYNC_ERROR_HANDLING',
        value: '1',
        why: 'a stuck or failed collective raises and stops the process instead of hanging every rank',
      },
      {
        name: 'NCCL_NVLS_ENABLE',
        value: '0',
        why: 'NVLink SHARP (multicast) needs the fabric manager and IMEX: off unless this host is set up for it',
      },
    );
  }
  return env;
}
