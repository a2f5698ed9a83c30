/**
 * A parsed fly.toml, read the way flyctl's patches read it (superfly/flyctl internal/appconfig/
 * patches.go): `[vm]` or `[[vm]]` (and the legacy `compute`), `[mounts]`/`[[mounts]]`/`[mount]`,
 * `[env]` or `[[env]]`, `[checks]` as a map or an array of named checks, `auto_stop_machines` as a
 * boolean or a string. Every piece keeps its path so a rule can point at its line.
 */
import type { TomlPath } from '../shared/toml-scan.js';

type Table = Record<string, unknown>;
export interface At {
  path: TomlPath;
}

export interface VmSection extends At {
  size?: string;
  /** processes = [...]: the groups this guest is for (empty: all). */
  processes: string[];
  gpuKind?: string;
  gpus?: number;
  memory?: unknown;
  memoryMb?: unknown;
  memoryPath?: TomlPath;
}

/** The memory a [[vm]] writes, as written: memory_mb wins over memory (flyctl's computeToGuest applies memory, then the guest's own fields). */
export function writtenMemory(vm: Pick<VmSection, 'memory' | 'memoryMb'>): string | undefined {
  const value = vm.memoryMb ?? vm.memory;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

export interface ServiceCheck extends At {
  kind: 'HTTP' | 'TCP';
  interval?: unknown;
  timeout?: unknown;
  gracePeriod?: unknown;
}

export interface Service extends At {
  internalPort?: number;
  autoStop: 'off' | 'stop' | 'suspend' | null;
  /** auto_start_machines as written (null: unset). */
  autoStart: boolean | null;
  /** processes = [...] (empty: flyctl's default group only). */
  processes: string[];
  checks: ServiceCheck[];
}

export interface TopCheck extends At {
  name: string;
  type?: unknown;
  port?: unknown;
  httpPath?: unknown;
  interval?: unknown;
  timeout?: unknown;
}

export interface FlyModel {
  app?: string;
  /** [processes]'s names, sorted; ["app"] without [processes] (flyctl ProcessNames). */
  processGroups: string[];
  primaryRegion?: string;
  killTimeout?: unknown;
  env: Array<At & { name: string; value: unknown }>;
  vms: VmSection[];
  mounts: At[];
  services: Service[];
  checks: TopCheck[];
  /** [metrics] or [[metrics]]: where Fly scrapes. */
  metrics: Array<At & { port?: unknown }>;
  strategy?: string;
}

/** A TOML table as smol-toml parses it (a date is not one). */
export const isTable = (value: unknown): value is Table =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** A table or an array of tables, each with its path. */
export function tables(value: unknown, path: TomlPath): Array<{ table: Table; path: TomlPath }> {
  if (isTable(value)) return [{ table: value, path }];
  if (Array.isArray(value)) return value.flatMap((item, i) => (isTable(item) ? [{ table: item, path: [...path, i] }] : []));
  return [];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' || typeof value === 'bigint' ? Number(value) : undefined);

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : []);

function autoStop(value: unknown): Service['autoStop'] {
  if (value === true) return 'stop';
  if (value === false) return 'off';
  return value === 'off' || value === 'stop' || value === 'suspend' ? value : null;
}

function serviceChecks(service: Table, path: TomlPath, keys: ReadonlyArray<readonly [string, ServiceCheck['kind']]>): ServiceCheck[] {
  return keys.flatMap(([key, kind]) =>
    tables(service[key], [...path, key]).map(({ table, path: at }) => ({
      path: at,
      kind: kind === 'HTTP' && table.type === 'tcp' ? 'TCP' : kind,
      interval: table.interval,
      timeout: table.timeout,
      gracePeriod: table.grace_period,
    })),
  );
}

export function flyModel(doc: Table): FlyModel {
  const vms = ['vm', 'compute', 'computes'].flatMap((key) =>
    tables(doc[key], [key]).map(({ table, path }): VmSection => ({
      path,
      size: str(table.size),
      processes: strings(table.processes),
      gpuKind: str(table.gpu_kind),
      gpus: num(table.gpus),
      memory: table.memory,
      memoryMb: table.memory_mb,
      memoryPath: table.memory_mb !== undefined ? [...path, 'memory_mb'] : table.memory !== undefined ? [...path, 'memory'] : undefined,
    })),
  );
  const services: Service[] = [
    ...tables(doc.http_service, ['http_service']).map(({ table, path }) => ({
      path,
      internalPort: num(table.internal_port),
      autoStop: autoStop(table.auto_stop_machines),
      autoStart: typeof table.auto_start_machines === 'boolean' ? table.auto_start_machines : null,
      processes: strings(table.processes),
      checks: serviceChecks(table, path, [['checks', 'HTTP']]),
    })),
    ...tables(doc.services, ['services']).map(({ table, path }) => ({
      path,
      internalPort: num(table.internal_port),
      autoStop: autoStop(table.auto_stop_machines),
      autoStart: typeof table.auto_start_machines === 'boolean' ? table.auto_start_machines : null,
      processes: strings(table.processes),
      checks: serviceChecks(table, path, [
        ['http_checks', 'HTTP'],
        ['tcp_checks', 'TCP'],
      ]),
    })),
  ];
  const checks: TopCheck[] = [];
  if (isTable(doc.checks)) {
    for (const [name, check] of Object.entries(doc.checks)) {
      if (isTable(check))
        checks.push({
          path: ['checks', name],
          name,
          type: check.type,
          interval: check.interval,
          timeout: check.timeout,
          port: check.port,
          httpPath: check.path,
        });
    }
  } else {
    for (const { table, path } of tables(doc.checks, ['checks'])) {
      checks.push({
        path,
        name: str(table.name) ?? '',
        type: table.type,
        interval: table.interval,
        timeout: table.timeout,
        port: table.port,
        httpPath: table.path,
      });
    }
  }
  const env = tables(doc.env, ['env']).flatMap(({ table, path }) =>
    Object.entries(table).map(([name, value]) => ({ path: [...path, name], name, value })),
  );
  const deploy = isTable(doc.deploy) ? doc.deploy : {};
  const groups = isTable(doc.processes) ? Object.keys(doc.processes).sort() : [];
  return {
    app: str(doc.app),
    processGroups: groups.length ? groups : ['app'],
    primaryRegion: str(doc.primary_region),
    killTimeout: doc.kill_timeout,
    env,
    vms,
    mounts: ['mounts', 'mount'].flatMap((key) => tables(doc[key], [key]).map(({ path }) => ({ path }))),
    services,
    checks,
    metrics: tables(doc.metrics, ['metrics']).map(({ table, path }) => ({ path, port: table.port })),
    strategy: str(deploy.strategy),
  };
}

/** The value of an [env] name (last one wins, as in flyctl's merge of [[env]] tables). */
export function envValue(model: FlyModel, name: string): string | undefined {
  const entry = model.env.filter((e) => e.name === name).at(-1);
  return entry === undefined ? undefined : String(entry.value);
}

/**
 * What flyctl's skipLaunch reads from a machine's new config (superfly/flyctl internal/command/deploy/
 * machines_launchinput.go): fly.toml flattened for the machine's process group, where a service without `processes` is
 * the default group's only (appconfig Flatten; the default is `app` when there is one, else the first by name).
 * `services`: the group has one (an updated standby that gained a service loses its standbys); `autoscales`: one of them
 * has autostop on or auto_start_machines = true.
 */
export function launchConfigOf(model: FlyModel, group: string): { services: boolean; autoscales: boolean } {
  const defaultGroup = model.processGroups.includes('app') ? 'app' : model.processGroups[0];
  const mine = model.services.filter((s) => (s.processes.length ? s.processes.includes(group) : group === defaultGroup));
  return {
    services: mine.length > 0,
    autoscales: mine.some((s) => (s.autoStop !== null && s.autoStop !== 'off') || s.autoStart === true),
  };
}
