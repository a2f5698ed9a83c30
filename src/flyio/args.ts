/**
 * Argument lists for every flyctl command gpuctl runs: pure, data only, never a shell string
 * (shared/docs/flyio-facts.md §2.11). The app is always named with --app, so flyctl never guesses
 * it from the working directory; the token never appears here (flyctl reads it from the environment).
 */
export type Argv = string[];

export const versionArgs = (): Argv => ['version', '--json'];
export const whoamiArgs = (): Argv => ['auth', 'whoami', '--json'];

export function appsCreateArgs(name: string, org?: string): Argv {
  return ['apps', 'create', '--json', ...(org ? [`--org=${org}`] : []), '--', name];
}

export const statusArgs = (app: string): Argv => ['status', `--app=${app}`, '--json'];
export const machineListArgs = (app: string): Argv => ['machine', 'list', `--app=${app}`, '--json'];
export const checksListArgs = (app: string): Argv => ['checks', 'list', `--app=${app}`, '--json'];
export const scaleShowArgs = (app: string): Argv => ['scale', 'show', `--app=${app}`, '--json'];
export const releasesArgs = (app: string): Argv => ['releases', `--app=${app}`, '--json'];
/** The deployed configuration (from the Fly service, as JSON; `--local` would read fly.toml instead). */
export const configShowArgs = (app: string): Argv => ['config', 'show', `--app=${app}`];
export const platformRegionsArgs = (): Argv => ['platform', 'regions', '--json'];

export type DeployStrategy = 'canary' | 'rolling' | 'bluegreen' | 'immediate';

export interface DeployInput {
  app: string;
  config: string;
  /** Deploy this image instead of building (used by --rollback). */
  image?: string;
  strategy?: DeployStrategy;
  /** flyctl's own wait for health checks: passed only when the user gave --wait-timeout (else fly.toml's wait_timeout holds). */
  waitTimeoutS?: number;
  primaryRegion?: string;
  buildArgs?: readonly string[];
}

/** `flyctl deploy` has no --json (facts §2.0); --yes because gpuctl never leaves flyctl a prompt. */
export function deployArgs(input: DeployInput): Argv {
  return [
    'deploy',
    `--app=${input.app}`,
    `--config=${input.config}`,
    ...(input.image ? [`--image=${input.image}`] : []),
    ...(input.strategy ? [`--strategy=${input.strategy}`] : []),
    ...(input.primaryRegion ? [`--primary-region=${input.primaryRegion}`] : []),
    ...(input.buildArgs ?? []).map((arg) => `--build-arg=${arg}`),
    ...(input.waitTimeoutS !== undefined ? [`--wait-timeout=${input.waitTimeoutS}s`] : []),
    '--yes',
  ];
}

export interface ScaleCountInput {
  app: string;
  count: number;
  regions: readonly string[];
  group?: string;
  maxPerRegion?: number;
}

/** `--yes` is required when not interactive (facts §2.11); gpuctl asks its own question first. */
export function scaleCountArgs(input: ScaleCountInput): Argv {
  return [
    'scale',
    'count',
    String(input.count),
    `--app=${input.app}`,
    ...(input.regions.length ? [`--region=${input.regions.join(',')}`] : []),
    ...(input.group ? [`--process-group=${input.group}`] : []),
    ...(input.maxPerRegion !== undefined ? [`--max-per-region=${input.maxPerRegion}`] : []),
    '--yes',
  ];
}

export interface ScaleVmInput {
  app: string;
  size: string;
  memoryMb?: number;
  group?: string;
}

export function scaleVmArgs(input: ScaleVmInput): Argv {
  return [
    'scale',
    'vm',
    `--app=${input.app}`,
    ...(input.memoryMb !== undefined ? [`--vm-memory=${input.memoryMb}`] : []),
    ...(input.group ? [`--process-group=${input.group}`] : []),
    '--',
    input.size,
  ];
}

/** One command in one machine. The caller pipes stdin and closes it: ssh console can hang otherwise. */
export function sshConsoleArgs(app: string, machineId: string, command: string): Argv {
  return ['ssh', 'console', `--app=${app}`, `--machine=${machineId}`, `--command=${command}`];
}

export interface VolumeInput {
  app: string;
  name: string;
  region: string;
  sizeGb: number;
}

export function volumesCreateArgs(input: VolumeInput): Argv {
  return [
    'volumes',
    'create',
    `--app=${input.app}`,
    `--region=${input.region}`,
    `--size=${input.sizeGb}`,
    '--yes',
    '--json',
    '--',
    input.name,
  ];
}

/** For --dry-run and --verbose: how a person would type it. Display only; nothing runs through a shell. */
export function showCommand(file: string, args: readonly string[]): string {
  return [file, ...args].map(quoteForDisplay).join(' ');
}

function quoteForDisplay(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
