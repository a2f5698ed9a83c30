/** Types for test/fakes/flyctl/seed.mjs (TypeScript pairs .mjs with .d.mts) (see README.md, "Seeding state from tests"). */

export type CheckStatus = 'passing' | 'warning' | 'critical';

export interface MachineGuest {
  cpu_kind?: string;
  cpus?: number;
  memory_mb?: number;
  max_memory_mb?: number;
  gpus?: number;
  gpu_kind?: string;
  host_dedication_id?: string;
}

export interface MachineSeed {
  id?: string;
  name?: string;
  region?: string;
  /** 'started' (default), 'stopped', 'created', 'suspended', 'destroyed'. */
  state?: string;
  /** Process group; default 'app'. */
  group?: string;
  /** A preset such as 'shared-cpu-1x' (default) or 'performance-8x'; ignored when `guest` is given. */
  size?: string;
  guest?: MachineGuest;
  image?: string;
  /** Release the machine runs; default the latest complete release. */
  releaseVersion?: number;
  /** Adds an [http_service]-shaped service on this port with one HTTP check (servicecheck-00-http-<port>). */
  internalPort?: number;
  /** Path of that service's check; null for a service without checks. Default '/health'. */
  healthPath?: string | null;
  autostop?: 'off' | 'stop' | 'suspend' | boolean;
  /** Raw fly-go MachineService objects (instead of internalPort). */
  services?: unknown[];
  /** Top-level checks map (fly-go MachineCheck), reported under their own names. */
  topLevelChecks?: Record<string, { port: number; type: 'http' | 'tcp'; path?: string; interval?: string; timeout?: string }>;
  /** Status of every check; default 'passing'. */
  checks?: CheckStatus;
  env?: Record<string, string>;
  mounts?: Array<{ path: string; name: string; volume?: string; size_gb?: number; encrypted?: boolean }>;
  metadata?: Record<string, string>;
  /** 'v2' (default) or null for a machine outside Fly Launch (hidden from status --json). */
  platformVersion?: string | null;
}

export interface ReleaseSeed {
  version?: number;
  imageRef?: string;
  /** 'complete' (default), 'failed', 'running', 'interrupted'. */
  status?: string;
  strategy?: string;
  email?: string;
}

export interface AppSeed {
  name: string;
  org?: string;
  network?: string;
  status?: string;
  deployed?: boolean;
  /** A count of complete releases, or their specs; default one complete release when there are machines. */
  releases?: number | ReleaseSeed[];
  machines?: MachineSeed[];
  volumes?: Array<{ name: string; region?: string; sizeGb?: number; attachedMachineId?: string }>;
  secrets?: Record<string, string>;
  /** Replies for `fly ssh console -C <command>`, keyed by the exact command string. */
  sshResponses?: Record<string, SshReply>;
  /** The parsed fly.toml of the last deploy (scale count/vm read [processes] and primary_region from it). */
  config?: Record<string, unknown>;
}

export interface SshReply {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

export interface SeedSpec {
  /** Base time (RFC3339) stored in the state; FAKE_FLYCTL_NOW overrides it. */
  now?: string;
  orgs?: Array<{ slug: string; name: string; type?: 'PERSONAL' | 'SHARED'; paidPlan?: boolean }>;
  apps?: AppSeed[];
}

/** The documented state.json shape (machines are fly-go Machine JSON). */
export interface StateFile {
  version: 1;
  tick: number;
  counter: number;
  now?: string;
  orgs: Array<{ slug: string; name: string; type: string; paidPlan: boolean }>;
  apps: Record<string, AppState>;
}

export interface AppState {
  name: string;
  id: string;
  internalNumericId: number;
  org: string;
  hostname: string;
  status: string;
  deployed: boolean;
  network: string;
  createdAt: string;
  machines: FakeMachine[];
  releases: FakeRelease[];
  volumes: FakeVolume[];
  secrets: Record<string, string>;
  sshResponses: Record<string, SshReply>;
  ips?: string[];
  lastConfig?: Record<string, unknown>;
}

export interface FakeMachine {
  id: string;
  name: string;
  state: string;
  region: string;
  image_ref: { registry: string; repository: string; tag: string; digest: string; labels?: Record<string, string> };
  instance_id: string;
  private_ip: string;
  created_at: string;
  updated_at: string;
  config: {
    env: Record<string, string>;
    guest: MachineGuest;
    metadata: Record<string, string>;
    services: unknown[];
    checks: Record<string, unknown>;
    mounts: unknown[];
    image: string;
    [key: string]: unknown;
  };
  events: Array<{ type: string; status: string; source: string; timestamp: number }>;
  checks: Array<{ name: string; status: CheckStatus; output: string; updated_at: string }>;
  host_status: string;
}

export interface FakeRelease {
  id: string;
  version: number;
  status: string;
  description: string;
  reason: string;
  stable: boolean;
  strategy: string;
  imageRef: string;
  user: { id: string; name: string; email: string };
  createdAt: string;
}

export interface FakeVolume {
  id: string;
  name: string;
  state: string;
  size_gb: number;
  region: string;
  zone: string;
  encrypted: boolean;
  attached_machine_id: string | null;
  attached_alloc_id: string | null;
  created_at: string;
  host_dedication_id: string;
  snapshot_retention: number;
  auto_backup_enabled: boolean;
}

export interface FakeFlyState {
  dir: string;
  /** { FAKE_FLYCTL_STATE: dir }: merge into the environment of the process under test. */
  env: { FAKE_FLYCTL_STATE: string };
  read(): StateFile;
  app(name: string): AppState | undefined;
  /** Machines not destroyed, in creation order. */
  machines(app: string): FakeMachine[];
  /** Newest first. */
  releases(app: string): FakeRelease[];
  /** Mutates state.json under the fake's lock. */
  update<T>(fn: (state: StateFile) => T): T;
  setSshResponse(app: string, command: string, reply: SshReply): void;
  setChecks(app: string, status: CheckStatus): void;
  /**
   * Stops (default) or suspends one machine as Fly would leave it: no checks, and for a stop flyd's exit event. Default
   * a requested stop (the proxy's autostop, `fly machine stop`); `requested: false` with `exitCode`/`oomKilled` is a
   * process that ended by itself (a crash) and stayed stopped.
   */
  stopMachine(
    app: string,
    machineId: string,
    how?: { state?: 'stopped' | 'suspended'; requested?: boolean; exitCode?: number; oomKilled?: boolean },
  ): void;
  /**
   * One named check on every machine of the app (or one machine), with the output Fly reports for it: for an
   * HTTP check such as `[checks.gpu]`, what the endpoint answered (the agent's /gpu-health body).
   */
  setCheck(app: string, name: string, result: { status: CheckStatus; output: string }, machineId?: string): void;
}

export function seedFlyState(spec?: SeedSpec, options?: { dir?: string }): FakeFlyState;
export function flyState(dir: string): FakeFlyState;
