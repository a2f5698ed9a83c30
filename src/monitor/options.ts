/** What `gpuctl monitor` runs with; commands/monitor.ts declares the flags and parses them into this. */
import type { MonitorThresholds } from './types.js';

export const DEFAULT_THRESHOLDS: MonitorThresholds = { maxTempC: 85, maxMemoryPct: 90, maxUtilPct: null };

export interface MonitorOptions {
  intervalMs: number;
  once: boolean;
  thresholds: MonitorThresholds;
  /** --app: the remote view of this Fly app's machines, read from Prometheus (--prometheus, else GPUCTL_PROMETHEUS_URL). */
  app: string | undefined;
  prometheus: string | undefined;
  /** --agent: read these agents' /metrics (GPUCTL_AGENT_TOKEN as a bearer) instead of Prometheus. */
  agents: string[];
}
