/**
 * What `gpuctl smoke` needs to know of a layout, read from the files `gpuctl init` writes: the ports,
 * kill_signal and kill_timeout, the environment (fly.toml's [env], as Fly gives it; compose.yaml's for a
 * local GPU layout, as `docker compose up` gives it), the volume's mount point, the application user and
 * whether it is a GPU layout. Reads only regular files; a missing or malformed file is a usage error.
 */
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FailedError, UsageError } from '../errors.js';
import { isTable, tables as tablesAt } from '../flyio/fly-model.js';
import { parseFlyToml } from '../flyio/fly-toml.js';
import { killTimeoutSeconds } from '../flyio/fly-units.js';
import { copySources, dockerStages, lineage, parseDockerfile, rootImage, type Stage } from '../shared/dockerfile.js';
import { INIT_CONTEXT_FILES } from '../shared/init-files.js';
import { describeErrno } from '../shared/make-dirs.js';
import { readRegularFile } from '../shared/regular-file.js';
import { flyProbes, processNames, type Probe } from './fly-checks.js';
import { appliesTo, chooseGroup, type ProcessGroup } from './groups.js';

export interface SmokeLayout {
  dir: string;
  app: string;
  /** The application's internal port ([http_service] or the first [[services]]). */
  port: number;
  /** The agent's port ([metrics] or [checks.gpu]), or null when the layout has no agent. */
  metricsPort: number | null;
  /** fly.toml's checks of the process group smoke runs, in flyctl's order (fly-checks.ts); empty only for a UDP service without checks. */
  probes: Probe[];
  /** The process group smoke runs, with its command (groups.ts). */
  group: ProcessGroup;
  /** fly.toml's checks of the other process groups: listed as skipped, naming their group. */
  skipped: Probe[];
  killSignal: string;
  killTimeoutS: number;
  env: Record<string, string>;
  /** Where Fly mounts the group's volume ([[mounts]] destination), mounted here as an anonymous root-owned volume. */
  mounts: string[];
  /** A CUDA base image in the final stage, or compose.yaml reserving a GPU. */
  gpuLayout: boolean;
  /** The final stage's non-root user (USER, else GPUCTL_RUN_AS), or null when it names none. */
  runAs: string | null;
}

type Table = Record<string, unknown>;
const tables = (v: unknown): Table[] => tablesAt(v, []).map(({ table }) => table);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);
/** kill_timeout as flyctl reads it (fly-units.ts): an integer of seconds, or a duration string ("30s", "1m30s"); absent, unreadable, fractional or not above 0: null. */
const killTimeout = (v: unknown): number | null => {
  const s = killTimeoutSeconds(v);
  return s !== null && s > 0 && (typeof v === 'string' || Number.isInteger(s)) ? s : null;
};

/** The file's text; `what` names a required file (missing: a usage error), none an optional one (missing: null). */
async function read(path: string, what: string): Promise<string>;
async function read(path: string): Promise<string | null>;
async function read(path: string, what?: string): Promise<string | null> {
  try {
    return await readRegularFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof UsageError || code === undefined) throw error;
    // ENOTDIR: --dir names a file, not the layout's directory.
    if (code === 'ENOTDIR') throw new UsageError(`${dirname(path)} is not a directory: --dir names the directory \`gpuctl init\` wrote.`);
    if (code !== 'ENOENT') throw new UsageError(`Cannot read ${path}: ${describeErrno(error)}.`);
    if (what === undefined) return null;
    throw new UsageError(`${path} not found: smoke checks a layout that \`gpuctl init\` wrote.`, {
      hint: `Run \`gpuctl init\` first (${what}).`,
    });
  }
}

/** The Dockerfile's stages, parsed once for everything readLayout asks of them. */
const stagesOf = (dockerfile: string | readonly Stage[]): readonly Stage[] =>
  typeof dockerfile === 'string' ? dockerStages(parseDockerfile(dockerfile)) : dockerfile;

/**
 * What the Dockerfile says of the image that runs, read through shared/dockerfile.ts (ARGs expanded, continuations and
 * heredocs its business) along the final stage's lineage (`FROM runtime-base` inherits that stage's base and USER):
 * a CUDA base image (nvidia/cuda, from any registry), and the user: the last USER, else GPUCTL_RUN_AS in an ENV
 * (gpuctl-start.sh drops to it), root meaning none. Pure.
 */
export function finalStageFacts(dockerfile: string | readonly Stage[]): { cudaBase: boolean; runAs: string | null } {
  const final = stagesOf(dockerfile).at(-1);
  if (!final) return { cudaBase: false, runAs: null };
  const steps = lineage(final)
    .reverse()
    .flatMap((stage) => stage.steps);
  const user = steps
    .filter((s) => s.keyword === 'USER')
    .at(-1)
    ?.words[0]?.value.split(':')[0];
  const runAs = steps
    .filter((s) => s.keyword === 'ENV')
    .flatMap((s) => [...s.text.matchAll(/\bGPUCTL_RUN_AS[=\s]+["']?([\w.-]+)/g)])
    .at(-1)?.[1];
  const name = user || runAs || null;
  return { cudaBase: /(?:^|\/)nvidia\/cuda[:@]/i.test(rootImage(final)), runAs: name === 'root' || name === '0' ? null : name };
}

/**
 * A compose service's environment, in either of compose's forms: a map, or a list of "KEY=VALUE". A key without a value
 * takes the shell's in compose (`KEY:` or `- KEY`): not the layout's, so smoke leaves it out.
 */
export function composeEnv(environment: Table | unknown[]): Record<string, string> {
  const pairs: Array<[string, unknown]> = Array.isArray(environment)
    ? environment
        .filter((e): e is string => typeof e === 'string' && e.includes('='))
        .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])
    : Object.entries(environment);
  return Object.fromEntries(pairs.filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
}

/**
 * A service of the parsed compose.yaml reserves a GPU: a device request under deploy.resources.reservations.devices
 * whose capabilities list gpu, in either of YAML's list forms (before: a regex on the text, which missed a block list or
 * a quoted "gpu" and took a commented-out line).
 */
function reservesGpu(services: unknown): boolean {
  if (!isTable(services)) return false;
  return Object.values(services).some((service) => {
    const devices = ['deploy', 'resources', 'reservations', 'devices'].reduce<unknown>(
      (at, key) => (isTable(at) ? at[key] : undefined),
      service,
    );
    return Array.isArray(devices) && devices.some((d) => isTable(d) && Array.isArray(d.capabilities) && d.capabilities.includes('gpu'));
  });
}

/** compose.yaml's document; one that does not parse is a usage error naming the file (not a crash). */
function composeYaml(path: string, text: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, {
      hint: 'Run `gpuctl validate` for the details.',
    });
  }
}

/**
 * A checkout without them (not committed, or cleaned) failed the build with the engine's copier error, which does not
 * say that init writes them: said before the build, with the command that writes them again.
 */
async function initFilesPresent(dir: string, stages: readonly Stage[]): Promise<void> {
  const copied = stages
    .flatMap((stage) => stage.steps)
    .filter((step) => step.keyword === 'COPY' || step.keyword === 'ADD')
    .flatMap(copySources);
  for (const file of INIT_CONTEXT_FILES.filter((f) => copied.includes(f))) {
    const present = await access(join(dir, file)).then(
      () => true,
      () => false,
    );
    if (present) continue;
    throw new UsageError(`${join(dir, file)} not found: the Dockerfile copies it, and \`gpuctl init\` writes it.`, {
      hint: `Run \`gpuctl init --dir ${dir}\` again (it reproduces its files from .gpuctl.json), and keep ${file} with the layout (commit it).`,
    });
  }
}

/** Reads DIR's fly.toml, Dockerfile and (when present) compose.yaml, for the process group `processGroup` (default: flyctl's). */
export async function readLayout(dir: string, processGroup?: string): Promise<SmokeLayout> {
  const flyPath = join(dir, 'fly.toml');
  const text = await read(flyPath, 'fly.toml');
  const parsed = parseFlyToml(text);
  if (!parsed.ok)
    throw new UsageError(`${flyPath}:${parsed.problem.line}:${parsed.problem.column}: ${parsed.problem.message}`, {
      hint: 'Run `gpuctl validate` for the details.',
    });
  const fly: Table = parsed.doc;
  const stages = stagesOf(await read(join(dir, 'Dockerfile'), 'the Dockerfile'));
  await initFilesPresent(dir, stages);
  const group = chooseGroup(fly, processGroup);
  const ours = (entry: Table) => appliesTo(processNames(entry.processes), group);
  // The group's first service is the application; a group without one still publishes the first service's port.
  const services = [...tables(fly.http_service), ...tables(fly.services)];
  const service = services.find(ours) ?? services[0] ?? {};
  const port = num(service.internal_port);
  if (port === null) throw new FailedError(`${flyPath} names no internal_port ([http_service]): there is nothing to check.`);
  const gpuCheck = isTable(fly.checks) && isTable(fly.checks.gpu) ? fly.checks.gpu : {};
  let env = Object.fromEntries(Object.entries(isTable(fly.env) ? fly.env : {}).map(([k, v]) => [k, String(v)]));
  const image = finalStageFacts(stages);
  let gpuLayout = image.cudaBase;
  const composeText = await read(join(dir, 'compose.yaml'));
  if (composeText !== null) {
    const services = (composeYaml(join(dir, 'compose.yaml'), composeText) as { services?: unknown } | null)?.services;
    const app = isTable(services) && isTable(services.app) ? services.app : undefined;
    if (app && (isTable(app.environment) || Array.isArray(app.environment))) env = composeEnv(app.environment);
    gpuLayout ||= reservesGpu(services);
  }
  const metricsPort = num(isTable(fly.metrics) ? fly.metrics.port : undefined) ?? num(gpuCheck.port);
  // [http_service]'s checks and a [[services]]'s legacy [[services.http_checks]] alike (flyctl still turns them into the
  // Machine's HTTP service checks: internal/appconfig/service.go toMachineService).
  const all = flyProbes(fly, metricsPort);
  const probes = all.filter((p) => appliesTo(p.processes, group));
  return {
    dir,
    app: typeof fly.app === 'string' ? fly.app : 'app',
    port,
    metricsPort,
    probes,
    group,
    skipped: all.filter((p) => !probes.includes(p)),
    killSignal: typeof fly.kill_signal === 'string' ? fly.kill_signal.toUpperCase() : 'SIGINT',
    killTimeoutS: killTimeout(fly.kill_timeout) ?? 5,
    env,
    mounts: tables(fly.mounts)
      .filter(ours)
      .map((m) => m.destination)
      .filter((d): d is string => typeof d === 'string'),
    gpuLayout,
    runAs: image.runAs,
  };
}
