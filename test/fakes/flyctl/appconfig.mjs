/**
 * fly.toml → the pieces deploy needs, with flyctl's leniencies (internal/appconfig/patches.go):
 * `vm` as [vm] or [[vm]], `mounts` and `metrics` as table or array, `checks` as a map or an array
 * of {name=…}, memory as "2gb"/"512mb"/integer MB, check durations as strings or integer ms.
 * Validation reproduces the texts of internal/appconfig/validation.go that deploy prints.
 */
import { DEFAULT_GPU_VM_SIZE, DEFAULT_VM_SIZE, guestForSize } from './catalog.mjs';
import { FlyError } from './errors.mjs';
import { goDuration, parseDuration } from './gojson.mjs';

export const STRATEGIES = ['canary', 'rolling', 'immediate', 'bluegreen'];
const asList = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const forGroup = (item, group) => !item.processes?.length || item.processes.includes(group);

export function normalizeConfig(data, file) {
  let checks = data.checks ?? {};
  if (Array.isArray(checks)) checks = Object.fromEntries(checks.map((c) => [c.name, c]));
  return {
    file,
    app: typeof data.app === 'string' ? data.app : '',
    primaryRegion: data.primary_region ?? '',
    image: data.build?.image ?? '',
    env: Object.fromEntries(Object.entries(data.env ?? {}).map(([k, v]) => [k, String(v)])),
    processes: data.processes ?? {},
    httpService: data.http_service,
    services: asList(data.services),
    checks,
    mounts: asList(data.mounts),
    vm: asList(data.vm ?? data.compute ?? data.computes),
    deploy: data.deploy ?? {},
    restart: asList(data.restart),
    metrics: asList(data.metrics),
    killSignal: data.kill_signal,
    killTimeout: data.kill_timeout,
    swapSizeMb: data.swap_size_mb,
  };
}

export const processNames = (cfg) => (Object.keys(cfg.processes).length ? Object.keys(cfg.processes).sort() : ['app']);

/** helpers.ParseSize(v, units.RAMInBytes, units.MiB): MB from "2gb", "512MB", "1.5GiB" or a bare number of MB. */
export function parseMemoryMb(value) {
  if (typeof value === 'number') return Math.trunc(value);
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?\s*$/i.exec(String(value));
  if (!m) throw new FlyError(`invalid size: '${value}'`);
  const scale = { '': 1, k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024, p: 1024 ** 3 }[m[2].toLowerCase()];
  return Math.trunc(Number(m[1]) * (m[2] === '' && !m[3] ? 1 : scale));
}

const GUEST_FIELDS = [
  'cpu_kind',
  'cpus',
  'memory_mb',
  'max_memory_mb',
  'gpus',
  'gpu_kind',
  'host_dedication_id',
  'persist_rootfs',
  'kernel_args',
];

/** appconfig computeToGuest: the preset, then `memory`, then any non-empty MachineGuest field. */
export function computeToGuest(compute) {
  const size = compute.size || (compute.gpu_kind ? DEFAULT_GPU_VM_SIZE : DEFAULT_VM_SIZE);
  const guest = guestForSize(size);
  if (compute.memory !== undefined && compute.memory !== '') {
    const mb = parseMemoryMb(compute.memory);
    if (mb === 0) throw new FlyError('memory cannot be zero');
    guest.memory_mb = mb;
  }
  for (const field of GUEST_FIELDS) {
    const v = compute[field];
    if (v !== undefined && v !== '' && v !== 0 && !(Array.isArray(v) && v.length === 0)) guest[field] = v;
  }
  return guest;
}

export const guestForGroup = (cfg, group) => {
  const compute = cfg.vm.find((v) => v.processes?.includes(group)) ?? cfg.vm.find((v) => !v.processes?.length);
  return compute ? computeToGuest(compute) : undefined;
};

const duration = (v) => (v === undefined ? undefined : goDuration(parseDuration(v, 1)));

function checkFields(c) {
  const out = {
    interval: duration(c.interval),
    timeout: duration(c.timeout),
    grace_period: duration(c.grace_period),
    method: c.method,
    path: c.path,
    protocol: c.protocol,
    tls_skip_verify: c.tls_skip_verify,
    tls_server_name: c.tls_server_name,
    headers: c.headers ? Object.entries(c.headers).map(([name, value]) => ({ name, values: [String(value)] })) : undefined,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

const autostop = (v) => (v === undefined ? undefined : v === true || v === 'stop' ? true : v === 'suspend' ? 'suspend' : false);

/** [http_service] → fly-go MachineService (HTTPService.ToService + toMachineService). */
export function httpServiceToMachine(hs) {
  const service = {
    protocol: 'tcp',
    internal_port: hs.internal_port,
    autostop: autostop(hs.auto_stop_machines),
    autostart: hs.auto_start_machines,
    min_machines_running: hs.min_machines_running,
    ports: [
      { port: 80, handlers: ['http'], force_https: Boolean(hs.force_https) },
      { port: 443, handlers: ['http', 'tls'] },
    ],
    checks: asList(hs.checks).map((c) => ({ type: 'http', ...checkFields(c) })),
    concurrency: hs.concurrency
      ? { type: hs.concurrency.type, hard_limit: hs.concurrency.hard_limit, soft_limit: hs.concurrency.soft_limit }
      : undefined,
    force_instance_key: null,
  };
  return Object.fromEntries(Object.entries(service).filter(([, v]) => v !== undefined));
}

function serviceToMachine(s) {
  const checks = [
    ...asList(s.tcp_checks).map((c) => ({ type: 'tcp', ...checkFields(c) })),
    ...asList(s.http_checks).map((c) => ({ type: 'http', ...checkFields(c) })),
  ];
  return {
    protocol: s.protocol ?? 'tcp',
    internal_port: s.internal_port,
    autostop: autostop(s.auto_stop_machines),
    autostart: s.auto_start_machines,
    min_machines_running: s.min_machines_running,
    ports: s.ports ?? [],
    checks,
    concurrency: s.concurrency,
    force_instance_key: null,
  };
}

export function servicesForGroup(cfg, group) {
  const services = [];
  if (cfg.httpService && forGroup(cfg.httpService, group)) services.push(httpServiceToMachine(cfg.httpService));
  for (const s of cfg.services) if (forGroup(s, group)) services.push(serviceToMachine(s));
  return services;
}

export function checksForGroup(cfg, group) {
  const out = {};
  for (const [name, c] of Object.entries(cfg.checks)) {
    if (!forGroup(c, group)) continue;
    const port = c.port ?? cfg.httpService?.internal_port;
    if (port === undefined) {
      throw new FlyError(`Check '${name}' for process group '${group}' has no port set and the group has no http_service to take it from`);
    }
    out[name] = { port, type: c.type, ...(c.kind ? { kind: c.kind } : {}), ...checkFields(c) };
  }
  return out;
}

export const mountsForGroup = (cfg, group) => cfg.mounts.filter((m) => forGroup(m, group));

const RESTART_POLICIES = { always: 'always', never: 'no', 'on-failure': 'on-failure' };

/** appconfig updateMachineConfig for one process group (guest handled separately: flags may override it). */
export function machineConfigForGroup(cfg, group) {
  const restart = cfg.restart.filter((r) => forGroup(r, group)).at(-1);
  if (restart && !RESTART_POLICIES[restart.policy]) throw new FlyError(`invalid restart policy: ${restart.policy}`);
  const cmd = cfg.processes[group]
    ? String(cfg.processes[group])
        .match(/"[^"]*"|'[^']*'|\S+/g)
        .map((w) => w.replace(/^["']|["']$/g, ''))
    : undefined;
  const stop =
    cfg.killSignal || cfg.killTimeout !== undefined
      ? { timeout: cfg.killTimeout === undefined ? undefined : goDuration(parseDuration(cfg.killTimeout, 1000)), signal: cfg.killSignal }
      : null;
  return {
    env: { ...cfg.env, FLY_PROCESS_GROUP: group, ...(cfg.primaryRegion ? { PRIMARY_REGION: cfg.primaryRegion } : {}) },
    init: { ...(cmd ? { cmd } : {}), ...(cfg.swapSizeMb ? { swap_size_mb: cfg.swapSizeMb } : {}) },
    services: servicesForGroup(cfg, group),
    checks: checksForGroup(cfg, group),
    mounts: mountsForGroup(cfg, group).map((m) => ({ path: m.destination, name: m.source })),
    restart: restart ? { policy: RESTART_POLICIES[restart.policy], max_retries: restart.retries } : undefined,
    stop_config: stop,
  };
}

/** Config.Validate: the lines deploy prints after "Validating <file>", and whether it failed. */
export function validate(cfg) {
  let info = '';
  let invalid = false;
  const strategy = cfg.deploy.strategy;
  if (strategy && !STRATEGIES.includes(strategy)) {
    info += `unsupported deployment strategy '${strategy}'; Apps v2 supports the following strategies: ${STRATEGIES.join(', ')}`;
    invalid = true;
  }
  if (strategy === 'canary' && cfg.mounts.length > 0) {
    info += 'error canary deployment strategy is not supported when using mounted volumes';
    invalid = true;
  }
  for (const [name, check] of Object.entries(cfg.checks)) {
    if (check.type !== 'http' && check.type !== 'tcp') {
      info += `Can't process top level check '${name}': Missing or invalid check type, must be 'http' or 'tcp'\n`;
      invalid = true;
    }
  }
  for (const r of cfg.restart) {
    if (!RESTART_POLICIES[r.policy]) {
      info += `invalid restart policy: ${r.policy}\n`;
      invalid = true;
    }
  }
  return invalid
    ? { info: `${info}\n   ✘invalid app configuration\n`, error: 'App configuration is not valid' }
    : { info: `${info}✓ Configuration is valid\n` };
}
