/**
 * The four workload profiles, from the platform gpuctl was built for. Each one is a set of decisions
 * about latency, cost and how long a machine may take to stop; init renders them into fly.toml and
 * validate reads `GPUCTL_WORKLOAD` back to check memory against them.
 */
export const WORKLOADS = ['inference', 'batch', 'backtest', 'training'] as const;
export type WorkloadId = (typeof WORKLOADS)[number];

export function isWorkload(value: string): value is WorkloadId {
  return (WORKLOADS as readonly string[]).includes(value);
}

type AutoStop = 'off' | 'stop';

export interface WorkloadProfile {
  id: WorkloadId;
  summary: string;
  /** [http_service]: `off` keeps machines running; `stop` lets the proxy stop idle ones (never suspend: not with a GPU). */
  autoStop: AutoStop;
  minMachinesRunning: number;
  /** [http_service.concurrency] (type requests): how many requests one machine takes before the proxy prefers another. */
  concurrency: { soft: number; hard: number };
  /**
   * GPUCTL_BATCH_SIZE on the CPU. On a GPU the batch size and GPUCTL_GPU_MEMORY_FRACTION follow the
   * GPU's memory as well as the workload: src/init/tuning.ts.
   */
  batchSize: { cpu: number };
  /** Smallest machine memory that runs the profile; validate warns below it, init raises `memory` to it. */
  minMemoryMb: number;
  /** swap_size_mb: GPU layouts (50 GB rootfs) can afford more than CPU Machines (8 GB rootfs, shared with the image). */
  swapMb: { gpu: number; cpu: number };
  /** kill_timeout in seconds (max 300): time to drain requests, finish a batch, or write a checkpoint. */
  killTimeoutS: number;
  strategy: 'rolling' | 'immediate';
  /** [deploy] wait_timeout: model loading happens here (service check grace periods are clamped to 60 s). */
  waitTimeout: string;
  /** Model volume size in GB when --volume-size is not given. */
  volumeGb: { gpu: number; cpu: number };
}

export const PROFILES: Readonly<Record<WorkloadId, WorkloadProfile>> = {
  inference: {
    id: 'inference',
    summary: 'latency first: one machine always running, no auto-stop, small batches',
    autoStop: 'off',
    minMachinesRunning: 1,
    concurrency: { soft: 8, hard: 16 },
    batchSize: { cpu: 1 },
    minMemoryMb: 4096,
    swapMb: { gpu: 8192, cpu: 1024 },
    killTimeoutS: 30,
    strategy: 'rolling',
    waitTimeout: '10m',
    volumeGb: { gpu: 100, cpu: 20 },
  },
  batch: {
    id: 'batch',
    summary: 'throughput first: large batches, idle machines stop',
    autoStop: 'stop',
    minMachinesRunning: 1,
    concurrency: { soft: 64, hard: 128 },
    batchSize: { cpu: 16 },
    minMemoryMb: 8192,
    swapMb: { gpu: 16384, cpu: 2048 },
    killTimeoutS: 120,
    strategy: 'rolling',
    waitTimeout: '10m',
    volumeGb: { gpu: 100, cpu: 20 },
  },
  backtest: {
    id: 'backtest',
    summary: 'bursty jobs: scale to zero when idle, start on the next request',
    autoStop: 'stop',
    minMachinesRunning: 0,
    concurrency: { soft: 2, hard: 4 },
    batchSize: { cpu: 8 },
    minMemoryMb: 4096,
    swapMb: { gpu: 8192, cpu: 2048 },
    killTimeoutS: 60,
    strategy: 'immediate',
    waitTimeout: '5m',
    volumeGb: { gpu: 100, cpu: 20 },
  },
  training: {
    id: 'training',
    summary: 'long-running: large swap and volume, never auto-stopped, time to checkpoint on stop',
    autoStop: 'off',
    minMachinesRunning: 1,
    concurrency: { soft: 20, hard: 25 },
    batchSize: { cpu: 8 },
    minMemoryMb: 16384,
    swapMb: { gpu: 32768, cpu: 4096 },
    killTimeoutS: 300,
    strategy: 'rolling',
    waitTimeout: '15m',
    volumeGb: { gpu: 250, cpu: 50 },
  },
};
