/** `gpuctl smoke`'s options, as commands/smoke.ts parses them. */
export type EngineName = 'docker' | 'podman';

/** The engines tried, in this order, when --engine is not given. */
export const ENGINES: readonly EngineName[] = ['docker', 'podman'];

export interface SmokeLoad {
  durationS: number;
  /** Requests per second; null: as fast as 10 connections go. */
  rate: number | null;
  maxP95Ms?: number;
  minRps?: number;
}

export interface SmokeOptions {
  dir: string;
  engine: EngineName | null;
  buildArgs: string[];
  waitTimeoutMs: number;
  keep: boolean;
  loadtest: SmokeLoad | null;
}
