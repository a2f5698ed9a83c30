/**
 * A stored machine → the JSON fly-go's `Machine` marshals to (superfly/fly-go machine_types.go):
 * fields in struct order, `omitempty` honoured per field kind, Go maps with sorted keys, fields
 * the struct does not have dropped. Kinds:
 *   s/i/b   string, int, bool with omitempty (dropped when "", 0, false)
 *   A       always written (non-omitempty field or a non-pointer struct)
 *   P       pointer with omitempty: dropped only when null/undefined (false and 0 are kept)
 *   M       map with omitempty, keys sorted;  L  slice with omitempty
 *   [schema] nested struct (P or A rules as named by the wrapper)
 */
import { sortedMap } from './gojson.mjs';

const EXIT_EVENT = [
  ['exit_code', 'i'],
  ['guest_exit_code', 'i'],
  ['guest_signal', 'i'],
  ['oom_killed', 'b'],
  ['requested_stop', 'b'],
  ['restarting', 'b'],
  ['signal', 'i'],
  ['exited_at', 'A', null, '0001-01-01T00:00:00Z'],
];
const REQUEST = [
  ['exit_event', 'P', EXIT_EVENT],
  ['MonitorEvent', 'P'],
  ['restart_count', 'i'],
];
const EVENT = [
  ['type', 's'],
  ['status', 's'],
  ['request', 'P', REQUEST],
  ['source', 's'],
  ['timestamp', 'i'],
];
const CHECK_STATUS = [
  ['name', 's'],
  ['status', 's'],
  ['output', 's'],
  ['updated_at', 'P'],
];
const IMAGE_REF = [
  ['registry', 's'],
  ['repository', 's'],
  ['tag', 's'],
  ['digest', 's'],
  ['labels', 'M'],
];
const INIT = [
  ['exec', 'L'],
  ['entrypoint', 'L'],
  ['cmd', 'L'],
  ['tty', 'b'],
  ['swap_size_mb', 'P'],
  ['kernel_args', 'L'],
];
const GUEST = [
  ['cpu_kind', 's'],
  ['cpus', 'i'],
  ['memory_mb', 'i'],
  ['max_memory_mb', 'i'],
  ['gpus', 'i'],
  ['gpu_kind', 's'],
  ['host_dedication_id', 's'],
  ['persist_rootfs', 's'],
  ['kernel_args', 'L'],
];
const MOUNT = [
  ['encrypted', 'b'],
  ['path', 's'],
  ['size_gb', 'i'],
  ['volume', 's'],
  ['name', 's'],
  ['extend_threshold_percent', 'i'],
  ['add_size_gb', 'i'],
  ['size_gb_limit', 'i'],
];
const CHECK_FIELDS = [
  ['interval', 'P'],
  ['timeout', 'P'],
  ['grace_period', 'P'],
  ['method', 'P'],
  ['path', 'P'],
  ['protocol', 'P'],
  ['tls_skip_verify', 'P'],
  ['tls_server_name', 'P'],
  ['headers', 'L'],
];
const SERVICE_CHECK = [['port', 'P'], ['type', 'P'], ...CHECK_FIELDS];
const MACHINE_CHECK = [['port', 'P'], ['type', 'P'], ['kind', 'P'], ...CHECK_FIELDS];
const PORT = [
  ['port', 'P'],
  ['start_port', 'P'],
  ['end_port', 'P'],
  ['handlers', 'L'],
  ['force_https', 'b'],
  ['tls_options', 'P'],
  ['http_options', 'P'],
  ['proxy_proto_options', 'P'],
];
const CONCURRENCY = [
  ['type', 's'],
  ['hard_limit', 'i'],
  ['soft_limit', 'i'],
];
const SERVICE = [
  ['protocol', 's'],
  ['internal_port', 'i'],
  ['autostop', 'P'],
  ['autostart', 'P'],
  ['min_machines_running', 'P'],
  ['ports', 'L', PORT],
  ['checks', 'L', SERVICE_CHECK],
  ['concurrency', 'P', CONCURRENCY],
  ['force_instance_key', 'A', null, null],
  ['force_instance_description', 'P'],
];
const METRICS = [
  ['port', 'i'],
  ['path', 's'],
  ['https', 'b'],
];
const RESTART = [
  ['policy', 's'],
  ['max_retries', 'i'],
];
const STOP_CONFIG = [
  ['timeout', 'P'],
  ['signal', 'P'],
];
const CONFIG = [
  ['env', 'M'],
  ['init', 'A', INIT, {}],
  ['guest', 'P', GUEST],
  ['metadata', 'M'],
  ['mounts', 'L', MOUNT],
  ['services', 'L', SERVICE],
  ['metrics', 'P', METRICS],
  ['checks', 'M', MACHINE_CHECK],
  ['statics', 'L'],
  ['image', 's'],
  ['files', 'L'],
  ['schedule', 's'],
  ['auto_destroy', 'b'],
  ['restart', 'P', RESTART],
  ['dns', 'P'],
  ['processes', 'L'],
  ['standbys', 'L'],
  ['stop_config', 'P', STOP_CONFIG],
  ['containers', 'L'],
  ['volumes', 'L'],
  ['rootfs', 'P'],
  ['cache_drive', 'P'],
  ['spot', 'P'],
  ['size', 's'],
  ['disable_machine_autostart', 'P'],
];
const MACHINE = [
  ['id', 's'],
  ['name', 's'],
  ['state', 's'],
  ['region', 's'],
  ['image_ref', 'A', IMAGE_REF, {}],
  ['instance_id', 's'],
  ['version', 's'],
  ['private_ip', 's'],
  ['created_at', 's'],
  ['updated_at', 's'],
  ['config', 'P', CONFIG],
  ['events', 'L', EVENT],
  ['checks', 'L', CHECK_STATUS],
  ['nonce', 's'],
  ['host_status', 's'],
  ['cordoned', 'A', null, false],
  ['containers', 'L'],
  ['incomplete_config', 'P', CONFIG],
];

const isEmptyScalar = (kind, v) =>
  v === undefined || v === null || (kind === 's' && v === '') || (kind === 'i' && v === 0) || (kind === 'b' && v === false);

function convert(schema, value) {
  if (!schema || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => convert(schema, item));
  return serialize(schema, value);
}

export function serialize(schema, object) {
  const out = {};
  for (const [name, kind, nested, fallback] of schema) {
    const value = object?.[name];
    switch (kind) {
      case 's':
      case 'i':
      case 'b':
        if (!isEmptyScalar(kind, value)) out[name] = value;
        break;
      case 'A':
        out[name] =
          value === undefined || value === null ? (nested ? serialize(nested, fallback ?? {}) : fallback) : convert(nested, value);
        break;
      case 'P':
        if (value !== undefined && value !== null) out[name] = convert(nested, value);
        break;
      case 'M':
        if (value && Object.keys(value).length > 0) {
          const map = sortedMap(value);
          out[name] = nested ? Object.fromEntries(Object.entries(map).map(([k, v]) => [k, convert(nested, v)])) : map;
        }
        break;
      case 'L':
        if (Array.isArray(value) && value.length > 0) out[name] = convert(nested, value);
        break;
      default:
        throw new Error(`unknown field kind ${kind}`);
    }
  }
  return out;
}

export const machineJson = (machine) => serialize(MACHINE, machine);
export const checkStatusJson = (check) => serialize(CHECK_STATUS, check);
