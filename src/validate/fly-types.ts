/**
 * The type and range of every fly.toml key validate knows (fly-keys.ts), as flyctl decodes them: the
 * Go types of superfly/flyctl internal/appconfig at ad0172fac and fly-go v0.9.6 (string, int, bool,
 * []string, map[string]string, *fly.Duration), after the casts in appconfig/patches.go (internal_port
 * and ports.port go through castToInt, so "8080" is accepted and "eighty" fails; memory through
 * castToString; check durations accept integer milliseconds and kill_timeout integer seconds; env
 * values are any scalar; cmd/entrypoint/exec a string or a list). The ranges are flyctl's own checks
 * (appconfig/validation.go: snapshot_retention 1-60, auto_extend_size_threshold 50-99) and the
 * Machines API's (a port is 1-65535; cpus, gpus and memory are positive counts).
 *
 * Keys are dotted section paths with the legacy spellings folded (compute/computes → vm, mount →
 * mounts, metric → metrics) and a check's name as `*`.
 */
export type ValueSpec =
  | { kind: 'string'; nonEmpty?: boolean }
  | { kind: 'int'; min?: number; max?: number; numericString?: boolean }
  | { kind: 'float'; min?: number; exclusiveMin?: boolean }
  | { kind: 'bool' }
  | { kind: 'strings'; orString?: boolean }
  | { kind: 'duration'; unit: 's' | 'ms' }
  | { kind: 'size'; orNumber?: boolean }
  | { kind: 'memory' }
  | { kind: 'scalar' }
  | { kind: 'autostop' }
  | { kind: 'any' };

const STR: ValueSpec = { kind: 'string' };
const BOOL: ValueSpec = { kind: 'bool' };
const LIST: ValueSpec = { kind: 'strings' };
const CMD: ValueSpec = { kind: 'strings', orString: true };
const MS: ValueSpec = { kind: 'duration', unit: 'ms' };
const SEC: ValueSpec = { kind: 'duration', unit: 's' };
const COUNT: ValueSpec = { kind: 'int', min: 0 };
const POSITIVE: ValueSpec = { kind: 'int', min: 1 };
const PORT: ValueSpec = { kind: 'int', min: 1, max: 65535 };
const PORT_CAST: ValueSpec = { ...PORT, numericString: true };
const UINT32: ValueSpec = { kind: 'int', min: 0, max: 4294967295 };

const prefixed = (prefix: string, entries: Record<string, ValueSpec>): Record<string, ValueSpec> =>
  Object.fromEntries(Object.entries(entries).map(([key, spec]) => [`${prefix}.${key}`, spec]));

const HTTP_CHECK = {
  interval: MS,
  timeout: MS,
  grace_period: MS,
  method: STR,
  path: STR,
  protocol: STR,
  tls_skip_verify: BOOL,
  tls_server_name: STR,
  headers: { kind: 'any' },
} satisfies Record<string, ValueSpec>;
const MACHINE_CHECK = { command: LIST, image: STR, entrypoint: LIST, kill_signal: STR, kill_timeout: SEC } satisfies Record<
  string,
  ValueSpec
>;
const CONCURRENCY = { type: STR, hard_limit: COUNT, soft_limit: COUNT } satisfies Record<string, ValueSpec>;
const TLS = { alpn: LIST, versions: LIST, default_self_signed: BOOL } satisfies Record<string, ValueSpec>;
const HTTP_OPTIONS = {
  compress: BOOL,
  h2_backend: BOOL,
  idle_timeout: UINT32,
  headers_read_timeout: UINT32,
  'response.headers': { kind: 'any' },
  'response.pristine': BOOL,
  'replay_cache.path_prefix': STR,
  'replay_cache.ttl_seconds': COUNT,
  'replay_cache.type': STR,
  'replay_cache.name': STR,
  'replay_cache.allow_bypass': BOOL,
} satisfies Record<string, ValueSpec>;
const COMPUTE = {
  size: STR,
  memory: { kind: 'memory' },
  processes: LIST,
  cpu_kind: STR,
  cpus: POSITIVE,
  memory_mb: POSITIVE,
  max_memory_mb: POSITIVE,
  gpus: POSITIVE,
  gpu_kind: STR,
  host_dedication_id: STR,
  persist_rootfs: STR,
  kernel_args: LIST,
} satisfies Record<string, ValueSpec>;
const SERVICE = {
  internal_port: PORT_CAST,
  auto_stop_machines: { kind: 'autostop' },
  auto_start_machines: BOOL,
  min_machines_running: COUNT,
  processes: LIST,
  ...prefixed('concurrency', CONCURRENCY),
  ...prefixed('machine_checks', MACHINE_CHECK),
} satisfies Record<string, ValueSpec>;

export const FLY_TOML_TYPES: Readonly<Record<string, ValueSpec>> = {
  app: { kind: 'string', nonEmpty: true },
  primary_region: STR,
  kill_signal: STR,
  kill_timeout: SEC,
  swap_size_mb: COUNT,
  console_command: STR,
  host_dedication_id: STR,
  machine_config: STR,
  container: STR,
  'env.*': { kind: 'scalar' },
  'processes.*': STR,
  ...prefixed('experimental', {
    cmd: CMD,
    entrypoint: CMD,
    exec: CMD,
    auto_rollback: BOOL,
    enable_consul: BOOL,
    enable_etcd: BOOL,
    lazy_load_images: BOOL,
    machine_config: STR,
    kill_timeout: SEC,
    metrics_port: PORT,
    metrics_path: STR,
    'attached.secrets.export': { kind: 'any' },
  }),
  ...prefixed('build', {
    builder: STR,
    'args.*': STR,
    buildpacks: LIST,
    image: STR,
    settings: { kind: 'any' },
    builtin: STR,
    dockerfile: STR,
    ignorefile: STR,
    'build-target': STR,
    build_target: STR,
    compression: STR,
    compression_level: { kind: 'int', min: 0, max: 9 },
    'compose.file': STR,
  }),
  ...prefixed('deploy', {
    strategy: STR,
    max_unavailable: { kind: 'float', min: 0, exclusiveMin: true },
    wait_timeout: SEC,
    release_command: STR,
    release_command_timeout: SEC,
    seed_command: STR,
    ...prefixed('release_command_vm', COMPUTE),
  }),
  ...prefixed('mounts', {
    source: STR,
    destination: STR,
    initial_size: { kind: 'size', orNumber: true },
    snapshot_retention: { kind: 'int', min: 1, max: 60 },
    scheduled_snapshots: BOOL,
    auto_extend_size_threshold: { kind: 'int', min: 50, max: 99 },
    auto_extend_size_increment: { kind: 'size' },
    auto_extend_size_limit: { kind: 'size' },
    processes: LIST,
  }),
  ...prefixed('http_service', {
    ...SERVICE,
    force_https: BOOL,
    ...prefixed('tls_options', TLS),
    ...prefixed('http_options', HTTP_OPTIONS),
    ...prefixed('checks', HTTP_CHECK),
  }),
  ...prefixed('services', {
    ...SERVICE,
    protocol: STR,
    'ports.port': PORT_CAST,
    'ports.start_port': PORT,
    'ports.end_port': PORT,
    'ports.handlers': LIST,
    'ports.force_https': BOOL,
    'ports.proxy_proto_options.version': STR,
    ...prefixed('ports.tls_options', TLS),
    ...prefixed('ports.http_options', HTTP_OPTIONS),
    ...prefixed('tcp_checks', { interval: MS, timeout: MS, grace_period: MS }),
    ...prefixed('http_checks', HTTP_CHECK),
  }),
  ...prefixed('checks.*', { ...HTTP_CHECK, port: PORT, type: STR, processes: LIST, name: STR }),
  ...prefixed('files', { guest_path: STR, local_path: STR, secret_name: STR, raw_value: STR, processes: LIST }),
  ...prefixed('machine_checks', MACHINE_CHECK),
  ...prefixed('restart', { policy: STR, retries: COUNT, processes: LIST }),
  ...prefixed('vm', COMPUTE),
  ...prefixed('statics', { guest_path: STR, url_prefix: STR, tigris_bucket: STR, index_document: STR }),
  ...prefixed('metrics', { port: PORT, path: STR, https: BOOL, processes: LIST }),
};

const ALIASES: Readonly<Record<string, string>> = { compute: 'vm', computes: 'vm', mount: 'mounts', metric: 'metrics' };

/** The table key for a value's path: indices dropped, legacy section names folded, a check's, env's or build arg's name as `*`. */
export function typeKey(path: ReadonlyArray<string | number>): string {
  const names = path.filter((part): part is string => typeof part === 'string');
  if (names.length === 0) return '';
  names[0] = ALIASES[names[0]!] ?? names[0]!;
  const free = names[0] === 'env' || names[0] === 'processes' || (names[0] === 'checks' && typeof path[1] === 'string');
  if (free && names.length > 1) names[1] = '*';
  else if (names[0] === 'checks') names.splice(1, 0, '*');
  if (names[0] === 'build' && names[1] === 'args' && names.length > 2) names[2] = '*';
  return names.join('.');
}
