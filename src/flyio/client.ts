/**
 * The typed flyctl client: one method per command gpuctl uses. Each builds its argv with a pure
 * builder (args.ts), runs it with a timeout, turns failures into typed errors (failures.ts) and
 * JSON into checked values (schemas.ts). Nothing else in gpuctl runs flyctl.
 */
import type { Ctx } from '../context.js';
import type { z } from 'zod';
import * as argv from './args.js';
import { decodeJson, decodeOrThrow } from './decode.js';
import { flyError } from './failures.js';
import { compareSemver, flyctlCandidates, runFlyctl, type FlyctlOutcome, type FlyctlVersion } from './flyctl.js';
import * as schema from './schemas.js';

/** The oldest flyctl whose JSON gpuctl reads (scale show/checks list --json, duration --wait-timeout). */
export const FLYCTL_MIN_VERSION = '0.3.0';
/** The version whose formats the adapter and the fake follow (shared/docs/flyio-facts.md). */
export const FLYCTL_CHECKED_VERSION = '0.4.87';

export { readTimeoutMs } from './flyctl.js';
const CHANGE_TIMEOUT_MS = 10 * 60_000;

export interface FoundFlyctl {
  file: string;
  version: FlyctlVersion;
}

export function versionProblem(version: string): string | undefined {
  return compareSemver(version, FLYCTL_MIN_VERSION) < 0
    ? `flyctl v${version} is older than v${FLYCTL_MIN_VERSION}, the oldest whose output gpuctl reads.`
    : undefined;
}

/** Where flyctl was looked for, as a value: found (with its client), missing, or there but failing `version --json`. */
export type LocatedFlyctl =
  | { kind: 'found'; fly: FlyClient; version: FlyctlVersion }
  | { kind: 'missing' }
  | { kind: 'failed'; file: string; outcome: Exclude<FlyctlOutcome, { kind: 'ok' | 'missing' }> }
  | { kind: 'unreadable'; file: string; stdout: string };

/** FLYCTL, then `flyctl`, then `fly`: the first that answers `version --json`. Never throws for a missing or broken flyctl (doctor reports those). */
export async function locateFlyctl(ctx: Ctx): Promise<LocatedFlyctl> {
  const args = argv.versionArgs();
  for (const file of flyctlCandidates(ctx.env)) {
    const outcome = await runFlyctl(ctx, args, { file });
    if (outcome.kind === 'missing') continue;
    if (outcome.kind !== 'ok') return { kind: 'failed', file, outcome };
    const decoded = decodeJson(outcome.stdout, schema.versionSchema);
    return decoded.ok
      ? { kind: 'found', fly: new FlyClient(ctx, file), version: decoded.value }
      : { kind: 'unreadable', file, stdout: outcome.stdout };
  }
  return { kind: 'missing' };
}

/** The one way to get a client: locate flyctl, or throw the typed error (missing: exit 3). */
export async function findFlyctl(ctx: Ctx): Promise<FoundFlyctl & { fly: FlyClient }> {
  const located = await locateFlyctl(ctx);
  const args = argv.versionArgs();
  switch (located.kind) {
    case 'found':
      return { file: located.fly.file, version: located.version, fly: located.fly };
    case 'missing':
      throw flyError({ kind: 'missing', configured: ctx.env.FLYCTL || undefined }, { command: 'flyctl version' });
    case 'failed':
      throw flyError(located.outcome, { command: argv.showCommand(located.file, args) });
    case 'unreadable':
      return {
        file: located.file,
        version: decodeOrThrow(argv.showCommand(located.file, args), located.stdout, schema.versionSchema),
        fly: new FlyClient(ctx, located.file),
      };
  }
}

/** A client for the commands that need one (status, health, scale). */
export async function connectFlyctl(ctx: Ctx): Promise<FlyClient> {
  return (await findFlyctl(ctx)).fly;
}

interface CallOptions {
  app?: string;
  timeoutMs?: number;
  stateNote?: string;
  gpuKind?: string;
  input?: string;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export type SshResult = { kind: 'ok'; stdout: string } | { kind: 'remote-failed'; message: string; stdout: string };

export class FlyClient {
  constructor(
    private readonly ctx: Ctx,
    readonly file: string,
  ) {}

  /** How a command is named in messages and --dry-run. */
  show(args: readonly string[]): string {
    return argv.showCommand(this.file, args);
  }

  /** The outcome as a value, for callers that report failures rather than stop on them (doctor). */
  outcome(args: readonly string[]): Promise<FlyctlOutcome> {
    return runFlyctl(this.ctx, args, { file: this.file });
  }

  async run(args: readonly string[], options: CallOptions = {}): Promise<{ stdout: string; stderr: string }> {
    const outcome = await runFlyctl(this.ctx, args, {
      file: this.file,
      timeoutMs: options.timeoutMs,
      input: options.input,
      onLine: options.onLine,
    });
    if (outcome.kind === 'ok') return outcome;
    throw flyError(outcome, { command: this.show(args), app: options.app, stateNote: options.stateNote, gpuKind: options.gpuKind });
  }

  private async json<S extends z.ZodType>(args: readonly string[], shape: S, options: CallOptions = {}): Promise<z.output<S>> {
    const { stdout } = await this.run(args, options);
    return decodeOrThrow(this.show(args), stdout, shape);
  }

  whoami = () => this.json(argv.whoamiArgs(), schema.whoamiSchema);
  createApp = (name: string, org?: string) => this.json(argv.appsCreateArgs(name, org), schema.appSchema, { app: name, timeoutMs: 60_000 });
  status = (app: string) => this.json(argv.statusArgs(app), schema.statusSchema, { app });
  machines = (app: string) => this.json(argv.machineListArgs(app), schema.machineListSchema, { app });
  checks = (app: string) => this.json(argv.checksListArgs(app), schema.checksListSchema, { app });
  scaleShow = (app: string) => this.json(argv.scaleShowArgs(app), schema.scaleShowSchema, { app });
  releases = (app: string) => this.json(argv.releasesArgs(app), schema.releasesSchema, { app });
  deployedConfig = (app: string) => this.json(argv.configShowArgs(app), schema.deployedConfigSchema, { app });
  platformRegions = () => this.json(argv.platformRegionsArgs(), schema.regionsSchema);
  createVolume = (input: argv.VolumeInput) =>
    this.json(argv.volumesCreateArgs(input), schema.volumeSchema, { app: input.app, timeoutMs: 60_000 });

  deploy(input: argv.DeployInput, options: Pick<CallOptions, 'timeoutMs' | 'onLine' | 'stateNote' | 'gpuKind'>) {
    return this.run(argv.deployArgs(input), { app: input.app, ...options });
  }

  scaleCount(input: argv.ScaleCountInput) {
    const stateNote = 'Some machines may already have been created or destroyed: check with `gpuctl scale show`.';
    return this.run(argv.scaleCountArgs(input), { app: input.app, timeoutMs: CHANGE_TIMEOUT_MS, stateNote });
  }

  scaleVm(input: argv.ScaleVmInput) {
    const stateNote = 'Some machines may already have the new size: check with `gpuctl scale show`.';
    return this.run(argv.scaleVmArgs(input), { app: input.app, timeoutMs: CHANGE_TIMEOUT_MS, stateNote });
  }

  /**
   * Runs one command in one machine. stdin is a pipe that is closed at once (ssh console can hang
   * on an unconnected stdin). A remote non-zero exit is a result, not an error: flyctl reports it
   * as `Error: ssh shell: Process exited with status N` and exits 1 (facts §2.11).
   */
  async ssh(app: string, machineId: string, command: string, timeoutMs = 60_000): Promise<SshResult> {
    const args = argv.sshConsoleArgs(app, machineId, command);
    const outcome = await runFlyctl(this.ctx, args, { file: this.file, timeoutMs, input: '' });
    if (outcome.kind === 'ok') return { kind: 'ok', stdout: outcome.stdout };
    if (outcome.kind === 'failed' && /ssh shell: Process exited with status/i.test(outcome.message)) {
      return { kind: 'remote-failed', message: outcome.message, stdout: outcome.stdout };
    }
    throw flyError(outcome, { command: this.show(args), app });
  }
}
