/** `gpuctl deploy`'s options (commands/deploy.ts reads them from the command line). */
import type { DeployStrategy } from '../flyio/args.js';

export const STRATEGIES: readonly DeployStrategy[] = ['rolling', 'immediate', 'canary', 'bluegreen'];

export interface DeployOptions {
  app: string | undefined;
  config: string;
  create: boolean;
  org: string | undefined;
  region: string | undefined;
  strategy: DeployStrategy | undefined;
  image: string | undefined;
  buildArgs: string[];
  /** gpuctl's own wait for checks after flyctl returns. */
  waitTimeoutMs: number;
  /** Only a --wait-timeout the user typed goes to flyctl, so fly.toml's wait_timeout holds otherwise. */
  waitTimeoutGiven: boolean;
  deployTimeoutMs: number;
  verifyGpu: boolean;
  /** --verify-gpu-diag (implies --verify-gpu): also `gpuctl diag --level quick` in each machine with gpuctl. */
  verifyGpuDiag: boolean;
  rollback: boolean;
  allowGpu: boolean;
  dryRun: boolean;
}
