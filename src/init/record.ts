/**
 * .gpuctl.json: the inputs that produced the files, non-default values only, so that `gpuctl init`
 * run again (even without flags) renders the same files. Why a file of its own rather than a
 * comment header or a fly.toml section: it is structured (other commands, e.g. deploy, can read the
 * workload), it survives edits to fly.toml (which init merges into rather than owns), it is not
 * copied into the image (.dockerignore lists it), and flyctl never sees a key it does not know.
 */
import { parseFlyToml } from '../flyio/fly-toml.js';
import { UsageError } from '../errors.js';
import {
  appNameFrom,
  checkApp,
  checkChoices,
  DEFAULT_CMD,
  DEFAULT_PORT,
  DEFAULT_TARGET,
  DEFAULT_WORKLOAD,
  defaultVolumeGb,
  type InitChoices,
  type InitInputs,
} from './inputs.js';
import { defaultRegion } from './target.js';
import { jsonText } from '../ui/output.js';

export const RECORD_FILE = '.gpuctl.json';

/** The `init` object in .gpuctl.json; every field optional (absent = the default). Names match the flags. */
export interface RecordedInit {
  app?: string;
  region?: string;
  gpuKind?: string;
  vmSize?: string;
  workload?: string;
  port?: number;
  volumeSize?: number;
  cmd?: string;
  forLocalGpu?: boolean;
  /** MB, as --memory takes it. */
  memory?: number;
}

export function recordOf(inputs: InitInputs, dirName: string): RecordedInit {
  const record: RecordedInit = {};
  if (inputs.app !== appNameFrom(dirName)) record.app = inputs.app;
  if (inputs.target.kind === 'gpu') record.gpuKind = inputs.target.gpuKind;
  else if (DEFAULT_TARGET.kind !== 'cpu' || inputs.target.vmSize !== DEFAULT_TARGET.vmSize) record.vmSize = inputs.target.vmSize;
  if (inputs.workload !== DEFAULT_WORKLOAD) record.workload = inputs.workload;
  if (inputs.region !== defaultRegion(inputs.target)) record.region = inputs.region;
  if (inputs.port !== DEFAULT_PORT) record.port = inputs.port;
  if (inputs.volumeGb !== defaultVolumeGb(inputs.target, inputs.workload)) record.volumeSize = inputs.volumeGb;
  const cmd = inputs.cmd.join(' ');
  if (cmd !== DEFAULT_CMD.join(' ')) record.cmd = cmd;
  if (inputs.forLocalGpu) record.forLocalGpu = true;
  if (inputs.memoryMb !== null) record.memory = inputs.memoryMb;
  return record;
}

export function renderRecord(record: RecordedInit): string {
  return jsonText({ init: record });
}

function bad(path: string, detail: string): UsageError {
  return new UsageError(`${path} is not a valid gpuctl record: ${detail}.`, {
    hint: `Fix or delete ${path}; init writes it again (it holds the inputs init was given, non-defaults only).`,
  });
}

/** Reads .gpuctl.json back into choices; a value that would be refused as a flag is refused here too. */
export function parseRecorded(text: string, path: string): InitChoices {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw bad(path, (error as Error).message);
  }
  const init = (data as { init?: unknown } | null)?.init;
  if (init === undefined) return {};
  if (typeof init !== 'object' || init === null || Array.isArray(init)) throw bad(path, '"init" is not an object');
  const r = init as Record<string, unknown>;
  const known = new Set(['app', 'region', 'gpuKind', 'vmSize', 'workload', 'port', 'volumeSize', 'cmd', 'forLocalGpu', 'memory']);
  const unknown = Object.keys(r).filter((key) => !known.has(key));
  if (unknown.length) throw bad(path, `unknown field ${unknown.map((k) => `"${k}"`).join(', ')}`);
  const text_ = (key: string): string | undefined => {
    const value = r[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw bad(path, `"${key}" must be a string`);
    return value;
  };
  const num = (key: string): number | string | undefined => {
    const value = r[key];
    if (value === undefined || typeof value === 'number') return value;
    throw bad(path, `"${key}" must be a number`);
  };
  if (r.gpuKind !== undefined && r.vmSize !== undefined) throw bad(path, 'it names both gpuKind and vmSize');
  if (r.forLocalGpu !== undefined && typeof r.forLocalGpu !== 'boolean') throw bad(path, '"forLocalGpu" must be true or false');
  return checkChoices({
    app: text_('app'),
    region: text_('region'),
    gpuKind: text_('gpuKind'),
    vmSize: text_('vmSize'),
    workload: text_('workload'),
    port: num('port'),
    volumeSize: num('volumeSize'),
    cmd: text_('cmd'),
    memory: num('memory'),
    ...(typeof r.forLocalGpu === 'boolean' ? { forLocalGpu: r.forLocalGpu } : {}),
  });
}

/** An existing fly.toml offers its app name and primary region; anything unreadable offers nothing. */
export function choicesFromFlyToml(text: string): InitChoices {
  const parsed = parseFlyToml(text);
  if (!parsed.ok) return {};
  const { app, primaryRegion } = parsed.model;
  try {
    const choices: InitChoices = {};
    if (app) choices.app = checkApp(app);
    if (primaryRegion && /^[a-z]{3}$/.test(primaryRegion)) choices.region = primaryRegion;
    return choices;
  } catch {
    return {};
  }
}
