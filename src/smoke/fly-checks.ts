/**
 * The probes smoke runs, read from fly.toml the way flyctl turns it into the Machine's checks
 * (superfly/flyctl internal/appconfig service.go `toMachineService`, toplevelcheck.go `toMachineCheck`,
 * patches.go `_patchCheck`): each service ([http_service] first, then every [[services]]) with its
 * tcp_checks then its http_checks ([http_service]'s `checks` are HTTP), then the top-level [checks] of
 * type tcp or http. Durations: an integer is milliseconds, a string a Go duration; Fly raises a timeout
 * under 1 s to 1 s and lowers anything over a minute to a minute. Pure.
 */
import { isTable, tables as tablesAt } from '../flyio/fly-model.js';
import { durationMs } from '../flyio/fly-units.js';

interface ProbeBase {
  /** Where in fly.toml the check is written: "[[http_service.checks]]", "[[services.tcp_checks]]", "[checks.gpu]". */
  source: string;
  /** The container's port it reaches (internal_port, or a top-level check's port). */
  port: number;
  /** One attempt's limit: the check's timeout as Fly applies it, else SMOKE_TIMEOUT_MS. */
  timeoutMs: number;
  /** True when fly.toml names the timeout; false when it is smoke's own. */
  timeoutSet: boolean;
  /** The check's grace_period as Fly applies it, or null when fly.toml names none (smoke then tries at once). */
  gracePeriodMs: number | null;
  /** The time between attempts: the check's interval as Fly applies it, else SMOKE_INTERVAL_MS. */
  intervalMs: number;
  /** True when fly.toml names the interval; false when it is smoke's own. */
  intervalSet: boolean;
  /** A top-level check: informational on Fly (it does not route), but deploy waits for it as for any. */
  topLevel: boolean;
  /** The process groups it applies to: its service's `processes` (a top-level check's own); none: the default group (groups.ts). */
  processes: string[];
}

export interface TcpProbe extends ProbeBase {
  kind: 'tcp';
  /** True when the service has no check at all: Fly runs none; smoke still needs the port to answer. */
  implied: boolean;
}

export interface HttpProbe extends ProbeBase {
  kind: 'http';
  method: string;
  path: string;
  protocol: 'http' | 'https';
  tlsSkipVerify: boolean;
  tlsServerName: string | null;
  headers: Record<string, string>;
}

export type Probe = TcpProbe | HttpProbe;

/** smoke's limit on one attempt when the check names no timeout. */
export const SMOKE_TIMEOUT_MS = 5000;
/** smoke's time between attempts when the check names no interval. */
export const SMOKE_INTERVAL_MS = 1000;
const MINUTE = 60_000;

type Table = Record<string, unknown>;
const tables = (v: unknown): Table[] => tablesAt(v, []).map(({ table }) => table);
const port = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 65536 ? v : null);
/** A TOML scalar as flyctl's castToString prints it; a table or array as JSON. */
const scalar = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : JSON.stringify(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
/** A `processes` value's names (a list of strings; anything else is none). */
export const processNames = (v: unknown): string[] => (Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string') : []);

/** A check duration in ms, read as validate reads fly.toml's (fly-units.ts): an integer is milliseconds, a string a Go duration; null if absent, unreadable or negative. */
export function checkDurationMs(v: unknown): number | null {
  const ms = durationMs(v);
  return ms === null || ms < 0 ? null : ms;
}

/** Fly's bounds on check durations: under 1 s raised to 1 s (a zero grace period stays), over a minute lowered to one. */
const flyBound = (ms: number, zeroOk: boolean) => (zeroOk && ms === 0 ? 0 : Math.min(MINUTE, Math.max(1000, ms)));

/** flyctl's header forms: a table of NAME = VALUE, or an array of { name, value } (patches.go `_patchCheckHeaders`). */
function headers(v: unknown): Record<string, string> {
  if (Array.isArray(v))
    return Object.fromEntries(
      tables(v).flatMap((h) => (h.name === undefined ? [] : [[scalar(h.name), h.value === undefined ? '' : scalar(h.value)]])),
    );
  return isTable(v) ? Object.fromEntries(Object.entries(v).map(([k, value]) => [k, scalar(value)])) : {};
}

function base(check: Table, source: string, at: number, topLevel: boolean, processes: unknown): ProbeBase {
  const timeout = checkDurationMs(check.timeout);
  const grace = checkDurationMs(check.grace_period);
  const interval = checkDurationMs(check.interval);
  return {
    source,
    port: at,
    timeoutMs: timeout === null ? SMOKE_TIMEOUT_MS : flyBound(timeout, false),
    timeoutSet: timeout !== null,
    gracePeriodMs: grace === null ? null : flyBound(grace, true),
    intervalMs: interval === null ? SMOKE_INTERVAL_MS : flyBound(interval, false),
    intervalSet: interval !== null,
    topLevel,
    processes: processNames(processes),
  };
}

function http(check: Table, source: string, at: number, topLevel: boolean, processes: unknown): HttpProbe {
  const path = text(check.path) ?? '/';
  return {
    ...base(check, source, at, topLevel, processes),
    kind: 'http',
    method: (text(check.method) ?? 'GET').toUpperCase(),
    path: path.startsWith('/') ? path : `/${path}`,
    protocol: check.protocol === 'https' ? 'https' : 'http',
    tlsSkipVerify: check.tls_skip_verify === true,
    tlsServerName: text(check.tls_server_name),
    headers: headers(check.headers),
  };
}

const tcp = (check: Table, source: string, at: number, topLevel: boolean, processes: unknown, implied = false): TcpProbe => ({
  ...base(check, source, at, topLevel, processes),
  kind: 'tcp',
  implied,
});

/** Every probe fly.toml asks for; the agent's own top-level check (on `agentPort`) is left to the agent checks. */
export function flyProbes(fly: Table, agentPort: number | null): Probe[] {
  const services = [
    ...tables(fly.http_service).map((s) => ({ s, name: 'http_service', http: tables(s.checks), tcp: [] as Table[], key: 'checks' })),
    ...tables(fly.services).map((s) => ({
      s,
      name: 'services',
      http: tables(s.http_checks),
      tcp: tables(s.tcp_checks),
      key: 'http_checks',
    })),
  ];
  const probes: Probe[] = [];
  for (const { s, name, http: httpChecks, tcp: tcpChecks, key } of services) {
    const at = port(s.internal_port);
    if (at === null) continue;
    probes.push(...tcpChecks.map((c) => tcp(c, `[[${name}.tcp_checks]]`, at, false, s.processes)));
    probes.push(...httpChecks.map((c) => http(c, `[[${name}.${key}]]`, at, false, s.processes)));
    // A UDP service has nothing to connect to; Fly checks it only as its checks say.
    if (tcpChecks.length === 0 && httpChecks.length === 0 && s.protocol !== 'udp')
      probes.push(tcp({}, name === 'services' ? '[[services]]' : '[http_service]', at, false, s.processes, true));
  }
  const top: Array<[string, Table]> = isTable(fly.checks)
    ? Object.entries(fly.checks).filter((e): e is [string, Table] => isTable(e[1]))
    : tables(fly.checks).map((c) => [c.name === undefined ? '' : scalar(c.name), c]);
  // A top-level check without a port takes [http_service]'s internal_port (machines.go updateMachineConfig).
  const httpServicePort = tables(fly.http_service).map((s) => port(s.internal_port))[0] ?? null;
  for (const [name, c] of top) {
    const at = port(c.port) ?? (c.port === undefined ? httpServicePort : null);
    if (at === null || at === agentPort) continue;
    if (c.type === 'tcp') probes.push(tcp(c, `[checks.${name}]`, at, true, c.processes));
    else if (c.type === 'http') probes.push(http(c, `[checks.${name}]`, at, true, c.processes));
  }
  return probes;
}
