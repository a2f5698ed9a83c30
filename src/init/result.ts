/**
 * init's outcome: the typed --json contract (schemaVersion 1) and the text people read. Renderers
 * return strings; the command prints them.
 */
import { dirname } from 'node:path';
import { ExitCode, GpuctlError } from '../errors.js';
import { retirementMessage } from '../flyio/gpu-kinds.js';
import { cpuLayoutFix } from '../flyio/cpu-layout.js';
import { gpuLayoutGuest } from './render.js';
import { errorJson, type ErrorJson } from '../ui/output.js';
import type { Style } from '../ui/style.js';
import type { InitInputs } from './inputs.js';
import type { LocalGpu } from './local-gpu.js';
import { diffOf, type FileStatus, type PlannedFile } from './plan.js';
import type { RecordedInit } from './record.js';

export interface InitFileJson {
  path: string;
  status: FileStatus;
  /** True when this run wrote the file (false in --dry-run, for identical/skip, and when init refused). */
  written: boolean;
  note?: string;
  /** Unified diff from the file on disk (or /dev/null) to what init would write; absent when identical or skipped. */
  diff?: string;
}

export interface InitJson {
  schemaVersion: 1;
  ok: boolean;
  dryRun: boolean;
  /** Absolute directory the files are in. */
  dir: string;
  inputs: Omit<InitInputs, 'target' | 'volumeGb' | 'cmd'> & { target: InitInputs['target']; volumeSize: number; cmd: string[] };
  /** What .gpuctl.json records (non-default inputs only). */
  recorded: RecordedInit;
  /** Set for a Fly GPU kind: Fly.io retired GPU Machines; the files do not deploy there. */
  retired: { message: string; cpuCommand: string } | null;
  /** --for-local-gpu: the detected GPU the Dockerfile and compose.yaml are for; null otherwise. */
  localGpu: {
    name: string;
    count: number;
    indices: number[];
    computeCapability: string;
    memoryGB: number;
    driverVersion: string;
    maxCuda: string;
    cudaImage: string;
    derived: boolean;
  } | null;
  files: InitFileJson[];
  /** Files the Dockerfile needs that are not in the directory yet (requirements.txt, the module the command runs). */
  needs: string[];
  /** Set when no flag, answer, record or fly.toml named the app: the directory name it was derived from. */
  appFromDirectory: string | null;
  /** Set when init refused to write: conflicts without --force or --skip (code "conflicts", exitCode 1). */
  error?: ErrorJson;
}

export interface InitOutcome {
  dir: string;
  dryRun: boolean;
  inputs: InitInputs;
  recorded: RecordedInit;
  files: PlannedFile[];
  written: ReadonlySet<string>;
  cpuCommand: string | null;
  refused: boolean;
  /** See InitJson. */
  needs: string[];
  appFromDirectory: string | null;
  /** --dir elsewhere than here: the fly.toml relative to the working directory, for the hint's `-c` (validate and deploy read ./fly.toml otherwise). */
  configArg: string | null;
  /** --for-local-gpu: the GPU the layout was rendered for. */
  local: LocalGpu | null;
}

/** Why init refused (conflicts without --force or --skip): one error, for the --json document and for the boundary's "Error:/Hint:". */
export function refusal(files: readonly PlannedFile[]): GpuctlError {
  const names = files.filter((f) => f.status === 'conflict').map((f) => f.path);
  return new GpuctlError(
    `${names.length} file${names.length === 1 ? '' : 's'} already exist${names.length === 1 ? 's' : ''} and differ${names.length === 1 ? 's' : ''} from what gpuctl init would write: ${names.join(', ')}. Nothing was written.`,
    'conflicts',
    ExitCode.failed,
    { hint: 'See the changes with --dry-run; then --force to overwrite them, or --skip to keep yours and write the rest.' },
  );
}

export function initJson(o: InitOutcome): InitJson {
  const { target, volumeGb, cmd, ...rest } = o.inputs;
  const l = o.local;
  return {
    schemaVersion: 1,
    ok: !o.refused,
    dryRun: o.dryRun,
    dir: o.dir,
    inputs: { ...rest, target, volumeSize: volumeGb, cmd },
    recorded: o.recorded,
    retired: target.kind === 'gpu' && o.cpuCommand ? { message: retirementMessage(target.gpuKind), cpuCommand: o.cpuCommand } : null,
    localGpu: l
      ? {
          name: l.name,
          count: l.indices.length,
          indices: l.indices,
          computeCapability: l.computeCapability,
          memoryGB: l.memoryGB,
          driverVersion: l.driverVersion,
          maxCuda: l.maxCuda,
          cudaImage: l.cudaImage,
          derived: l.profile.derived,
        }
      : null,
    files: o.files.map((f) => {
      const diff = f.status === 'identical' || f.status === 'skip' ? '' : diffOf(f);
      return {
        path: f.path,
        status: f.status,
        written: o.written.has(f.path),
        ...(f.note ? { note: f.note } : {}),
        ...(diff ? { diff } : {}),
      };
    }),
    needs: o.needs,
    appFromDirectory: o.appFromDirectory,
    ...(o.refused ? { error: errorJson(refusal(o.files)) } : {}),
  };
}

const VERB: Record<FileStatus, (s: Style, text: string) => string> = {
  create: (s, t) => s.green(t),
  identical: (s, t) => s.dim(t),
  conflict: (s, t) => s.red(t),
  overwrite: (s, t) => s.yellow(t),
  skip: (s, t) => s.dim(t),
};

export function retirementBanner(o: Pick<InitOutcome, 'inputs' | 'cpuCommand'>, style: Style): string {
  if (o.inputs.target.kind !== 'gpu' || !o.cpuCommand) return '';
  return (
    `${style.bold.red('!')} ${style.bold(retirementMessage(o.inputs.target.gpuKind))}\n` +
    '  These files describe the GPU layout, for migrating from it and for running the same image elsewhere;\n' +
    `  they will not deploy on Fly. ${cpuLayoutFix(gpuLayoutGuest(o.inputs), style.cyan(o.cpuCommand))}\n\n`
  );
}

export function localBanner(o: Pick<InitOutcome, 'local'>, style: Style): string {
  const l = o.local;
  if (!l) return '';
  const count = l.indices.length > 1 ? `${l.indices.length} × ` : '';
  return (
    `${style.cyan('→')} GPU layout for this machine's ${count}${l.name} (compute capability ${l.computeCapability}, driver ${l.driverVersion}: CUDA ${l.cudaImage} image${l.profile.derived ? '; not in the catalogue, derived from its compute capability' : ''}).\n` +
    '  Dockerfile and compose.yaml run it here (docker compose up --build); fly.toml is the CPU layout for Fly.\n\n'
  );
}

export function renderInit(o: InitOutcome, style: Style): string {
  const width = Math.max(...o.files.map((f) => f.status.length));
  const lines = o.files.map(
    (f) => `  ${VERB[f.status](style, f.status.padEnd(width))}  ${f.path}${f.note ? style.dim(`  (${f.note})`) : ''}`,
  );
  const named =
    o.appFromDirectory === null
      ? ''
      : `App name ${style.bold(o.inputs.app)}, taken from the directory name "${o.appFromDirectory}" (--app to choose another).\n`;
  let text = retirementBanner(o, style) + localBanner(o, style) + named + `${lines.join('\n')}\n`;
  if (o.dryRun) {
    const diffs = o.files
      .filter((f) => f.status !== 'identical' && f.status !== 'skip')
      .map(diffOf)
      .filter(Boolean);
    text += `\n${style.dim('Dry run: nothing was written.')}\n${diffs.length ? `\n${diffs.join('\n')}` : ''}`;
  } else if (!o.refused) {
    const needs = o.needs.length
      ? `add ${o.needs.join(' and ')} (the Dockerfile ${o.needs.length > 1 ? 'needs them' : 'needs it'}), then `
      : '';
    if (o.inputs.target.kind === 'cpu' || needs) {
      const config = o.configArg === null ? '' : ` -c ${o.configArg}`;
      // smoke builds and runs the image here (docs/smoke.md) before anything reaches Fly.
      const smoke = `, then ${style.cyan(`gpuctl smoke${o.configArg === null ? '' : ` --dir ${dirname(o.configArg)}`}`)}`;
      const deploy = o.inputs.target.kind === 'cpu' ? `, then ${style.cyan(`gpuctl deploy${config}`)}` : '';
      text += `\nNext: ${needs}${style.cyan(`gpuctl validate${config}`)}${smoke}${deploy}.\n`;
    }
  }
  return text;
}
