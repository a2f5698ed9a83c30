/** `gpuctl deploy`'s options, from commander's raw values. Pure; bad values are UsageErrors. */
import { UsageError } from '../errors.js';
import type { DeployStrategy } from '../flyio/args.js';
import { bool, durationOption, str, type RawInput } from '../shared/options.js';

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
  waitTimeoutMs: number;
  deployTimeoutMs: number;
  verifyGpu: boolean;
  rollback: boolean;
  allowGpu: boolean;
  dryRun: boolean;
}

export function parseDeployOptions(raw: RawInput): DeployOptions {
  const strategy = str(raw, 'strategy');
  const buildArgs = Array.isArray(raw.opts.buildArg) ? raw.opts.buildArg.filter((v): v is string => typeof v === 'string') : [];
  const bad = buildArgs.find((arg) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg));
  if (bad !== undefined) throw new UsageError(`--build-arg "${bad}" is not NAME=VALUE.`);
  const waitTimeoutMs = durationOption(raw, 'waitTimeout', '--wait-timeout', '5m');
  const deployTimeoutMs = durationOption(raw, 'deployTimeout', '--deploy-timeout', '30m');
  if (deployTimeoutMs <= waitTimeoutMs) {
    throw new UsageError('--deploy-timeout must be longer than --wait-timeout.', { hint: 'The deploy timeout covers the build, the push and the wait for checks.' });
  }
  return {
    app: str(raw, 'app') ?? undefined,
    config: str(raw, 'config') ?? 'fly.toml',
    create: bool(raw, 'create'),
    org: str(raw, 'org'),
    region: str(raw, 'region')?.toLowerCase(),
    strategy: strategy as DeployStrategy | undefined,
    image: str(raw, 'image'),
    buildArgs,
    waitTimeoutMs,
    deployTimeoutMs,
    verifyGpu: bool(raw, 'verifyGpu'),
    rollback: bool(raw, 'rollback'),
    allowGpu: bool(raw, 'allowGpu'),
    dryRun: bool(raw, 'dryRun'),
  };
}
