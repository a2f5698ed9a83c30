/** What `gpuctl autoscale`'s subcommands run with; commands/autoscale.ts declares the flags and parses them into these. */
export interface Common {
  policy: string;
  app: string | undefined;
  prometheus: string | undefined;
  timeoutMs: number;
}
export interface RunOptions extends Common {
  once: boolean;
  dryRun: boolean;
  iterations: number | undefined;
  intervalMs: number | undefined;
}
export interface ExportOptions {
  policy: string;
  app: string | undefined;
  to: 'fly-autoscaler';
  org: string | undefined;
  out: string | undefined;
  force: boolean;
}
