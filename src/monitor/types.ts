/**
 * What the monitor shows, independent of where it came from: the local nvidia-smi (monitor/local.ts)
 * or the agents' series in Prometheus (`monitor --app`). Plain data, JSON as it is (the --json record).
 * Units as nvidia-smi prints them; null: not reported.
 */
export interface MonitorGpu {
  index: number;
  name: string;
  uuid: string;
  utilGpuPct: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  temperatureC: number | null;
  powerDrawW: number | null;
  powerLimitW: number | null;
  smClockMHz: number | null;
  memClockMHz: number | null;
}

export interface MonitorProcess {
  pid: number;
  name: string;
  /** The GPU's index on its machine (null when nvidia-smi named a GPU it did not list). */
  gpu: number | null;
  usedMemoryMiB: number | null;
}

export interface MonitorMachine {
  /** Hostname, or a Fly machine id. */
  id: string;
  /** E.g. a Fly region; absent locally. */
  region?: string;
  gpus: MonitorGpu[];
  processes: MonitorProcess[];
  /** Set when the GPUs were read but their processes could not be (processes is then empty): why. */
  processesError?: string;
  /** Set when the machine could not be read (its GPUs are then empty). */
  error?: string;
}

export interface MonitorSample {
  /** ISO time the sample was taken. */
  at: string;
  machines: MonitorMachine[];
}

export interface MonitorThresholds {
  maxTempC: number;
  /** Percent of memory used. */
  maxMemoryPct: number;
  /** Percent utilisation; null: no utilisation alert. */
  maxUtilPct: number | null;
}

export interface MonitorAlert {
  machine: string;
  gpu: number | null;
  kind: 'temperature' | 'memory' | 'utilization' | 'unreadable';
  message: string;
}
