/**
 * The keys fly.toml has, as flyctl's own config model declares them: the `toml:` struct tags of
 * superfly/flyctl internal/appconfig (config.go `Config`, `Build`, `Deploy`, `Experimental`, `Mount`,
 * `File`, `Static`, `Restart`, `Compute`, `Metrics`; service.go `Service`, `HTTPService`,
 * `ServiceHTTPCheck`, `ServiceTCPCheck`, `ServiceMachineCheck`; toplevelcheck.go `ToplevelCheck`) at
 * ad0172fac (2026-11), and the fly-go v0.9.6 types they embed (machine_types.go `MachineGuest`,
 * `MachineMetrics`, `MachinePort`, `MachineServiceConcurrency`, `TLSOptions`, `HTTPOptions`,
 * `HTTPResponseOptions`, `ProxyProtoOptions`, `ReplayCache`). The legacy spellings flyctl still
 * rewrites before decoding (appconfig/patches.go: `compute`/`computes` → `vm`, `mount` → `mounts`,
 * `metric` → `metrics`, `build.build_target`, `experimental.kill_timeout`/`metrics_port`/`metrics_path`,
 * `[[checks]]` elements with a `name`) are accepted too. flyctl's `config validate --strict`
 * (appconfig/strict_validate.go) reports keys outside this model; plain deploys ignore them.
 *
 * A schema maps each key to null (a value, or a table of free-form names such as [env]) or to the
 * schema of its table (arrays of tables use the same schema per element); '*' stands for any name.
 */
export interface KeySchema {
  readonly [key: string]: KeySchema | null;
}

const keys = (names: string, nested: Record<string, KeySchema | null> = {}): KeySchema => ({
  ...Object.fromEntries(
    names
      .split(/\s+/)
      .filter(Boolean)
      .map((n) => [n, null]),
  ),
  ...nested,
});

const HTTP_CHECK = keys('interval timeout grace_period method path protocol tls_skip_verify tls_server_name headers');
const TCP_CHECK = keys('interval timeout grace_period');
const MACHINE_CHECK = keys('command image entrypoint kill_signal kill_timeout');
const TOP_CHECK = keys('port type interval timeout grace_period method path protocol tls_skip_verify tls_server_name headers processes');
const CONCURRENCY = keys('type hard_limit soft_limit');
const TLS_OPTIONS = keys('alpn versions default_self_signed');
const HTTP_OPTIONS = keys('compress h2_backend idle_timeout headers_read_timeout', {
  response: keys('headers pristine'),
  replay_cache: keys('path_prefix ttl_seconds type name allow_bypass'),
});
const PORT = keys('port start_port end_port handlers force_https', {
  tls_options: TLS_OPTIONS,
  http_options: HTTP_OPTIONS,
  proxy_proto_options: keys('version'),
});
const GUEST = 'cpu_kind cpus memory_mb max_memory_mb gpus gpu_kind host_dedication_id persist_rootfs kernel_args';
const COMPUTE = keys(`size memory processes ${GUEST}`);
const MOUNT = keys(
  'source destination initial_size snapshot_retention scheduled_snapshots auto_extend_size_threshold auto_extend_size_increment auto_extend_size_limit processes',
);
const METRICS = keys('port path https processes');
const SERVICE_COMMON = 'internal_port auto_stop_machines auto_start_machines min_machines_running processes';

export const FLY_TOML_SCHEMA: KeySchema = keys(
  'app primary_region kill_signal kill_timeout swap_size_mb console_command env processes host_dedication_id machine_config container',
  {
    experimental: keys(
      'cmd entrypoint exec auto_rollback enable_consul enable_etcd lazy_load_images machine_config kill_timeout metrics_port metrics_path',
      {
        attached: keys('', { secrets: keys('export') }),
      },
    ),
    build: keys(
      'builder args buildpacks image settings builtin dockerfile ignorefile build-target build_target compression compression_level',
      { compose: keys('file') },
    ),
    deploy: keys('strategy max_unavailable wait_timeout release_command release_command_timeout seed_command', {
      release_command_vm: COMPUTE,
    }),
    mounts: MOUNT,
    mount: MOUNT,
    http_service: keys(`${SERVICE_COMMON} force_https`, {
      concurrency: CONCURRENCY,
      tls_options: TLS_OPTIONS,
      http_options: HTTP_OPTIONS,
      checks: HTTP_CHECK,
      machine_checks: MACHINE_CHECK,
    }),
    services: keys(`protocol ${SERVICE_COMMON}`, {
      ports: PORT,
      concurrency: CONCURRENCY,
      tcp_checks: TCP_CHECK,
      http_checks: HTTP_CHECK,
      machine_checks: MACHINE_CHECK,
    }),
    checks: { '*': { ...TOP_CHECK, name: null } },
    files: keys('guest_path local_path secret_name raw_value processes'),
    machine_checks: MACHINE_CHECK,
    restart: keys('policy retries processes'),
    vm: COMPUTE,
    compute: COMPUTE,
    computes: COMPUTE,
    statics: keys('guest_path url_prefix tigris_bucket index_document'),
    metrics: METRICS,
    metric: METRICS,
  },
);
