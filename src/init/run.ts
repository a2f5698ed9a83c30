/**
 * `gpuctl init`, end to end: gather the inputs (flags, then questions, then the record, then an
 * existing fly.toml), render, compare with the disk, decide conflicts, and only then write. Any
 * refusal or Ctrl-C before the last step leaves every file as it was.
 */
import { existsSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { isCI, type Ctx } from '../context.js';
import { FailedError, InterruptedError, UsageError } from '../errors.js';
import { knownRegions } from '../flyio/region-cache.js';
import { assertKnownRegions } from '../flyio/regions.js';
import { DirError, describeErrno, makeDirs, pseudoFilesystem } from '../shared/make-dirs.js';
import { askInputs, type DetectedHint } from './ask.js';
import { applyPolicy, askConflicts, policyFor, type ConflictEvents } from './conflicts.js';
import { appNameFrom, resolveInputs, type InitChoices } from './inputs.js';
import { localGpuFrom, type LocalGpu } from './local-gpu.js';
import { planFile, type PlannedFile } from './plan.js';
import { choicesFromFlyToml, parseRecorded, recordOf, RECORD_FILE } from './record.js';
import { AGENT_PACKAGE_PATH, fingerprint, loadAgentPackage, type AgentPackage } from './agent-package.js';
import { cpuCommandFor, renderData, renderFiles, type RenderedFile } from './render.js';
import type { InitOutcome } from './result.js';
import { loadTemplates } from './templates.js';
import { assertInside, readFlyTomlIfExists, readIfExists, writeAtomic } from './writer.js';
import { withLock, type LockWait } from '../shared/lock.js';
import type { WorkloadId } from '../shared/profiles.js';

export interface InitOptions {
  dir: string | undefined;
  /** Inputs given as flags. */
  choices: InitChoices;
  yes: boolean;
  force: boolean;
  skip: boolean;
  dryRun: boolean;
}

/** Inputs a person should be asked for: on a terminal, on the first run, without --yes. */
function shouldAsk(ctx: Ctx, options: InitOptions, recorded: boolean): boolean {
  return ctx.interactive && !options.yes && !recorded;
}

/** What init has to show a person while it asks, for the command to render (init writes nothing to the terminal itself). */
export interface InitEvents extends ConflictEvents {
  /** The local GPU, found before the target question (the suggestion). */
  detected?: (hint: DetectedHint) => void;
}

/** Where the alerting rules (every layout) and a GPU layout's Grafana dashboard go (docs/alerts.md: how to load them). */
export const ALERTS_FILE = 'prometheus/gpuctl-alerts.yml';
export const DASHBOARD_FILE = 'prometheus/gpuctl-dashboard.json';

export interface InitDeps {
  /** gpuctl's own package, for the image's agent (tests pass a small one). */
  agentPackage?: () => AgentPackage;
  /**
   * The alerting rules with the workload's thresholds, and the dashboard for the agent's GPU series (commands/init.ts
   * hands in src/alerts'). `gpus` 0 is a CPU layout: the application's rules only, and no dashboard (null).
   */
  monitoring?: (workload: WorkloadId, gpus: number) => { rules: string; dashboard: string | null };
  events?: InitEvents;
}

export async function runInit(options: InitOptions, ctx: Ctx, deps: InitDeps = {}): Promise<InitOutcome> {
  const events = deps.events ?? {};
  const dir = resolve(ctx.cwd, options.dir ?? '.');
  // The region list validate and deploy use (cached from flyctl, else built in): a flag is checked before any question.
  const regions = knownRegions(ctx);
  if (options.choices.region !== undefined) assertKnownRegions([options.choices.region], regions);
  const dirName = basename(dir);
  const recordText = readIfExists(join(dir, RECORD_FILE));
  const flyPath = join(dir, 'fly.toml');
  const flyShown = relative(ctx.cwd, flyPath) || 'fly.toml';
  const flyText = readFlyTomlIfExists(flyPath, flyShown);
  const recorded = recordText === null ? {} : parseRecorded(recordText, relative(ctx.cwd, join(dir, RECORD_FILE)) || RECORD_FILE);
  const fromFly = flyText === null ? {} : choicesFromFlyToml(flyText);

  let asked: InitChoices = {};
  const known = { ...fromFly, ...recorded, ...options.choices };
  if (shouldAsk(ctx, options, recordText !== null))
    asked = await askInputs(ctx, known, { app: fromFly.app ?? appNameFrom(dirName) }, events.detected);
  else if (!options.yes && recordText === null && !ctx.interactive) requireFlagsOrYes(ctx, known);

  const inputs = resolveInputs([options.choices, asked, recorded, fromFly], dirName);
  assertKnownRegions([inputs.region], regions);
  const local = inputs.forLocalGpu ? await detectLocalGpu(ctx) : null;
  const pkg = (deps.agentPackage ?? loadAgentPackage)();
  const what = `gpuctl ${pkg.version} package`;
  // A CPU layout (0 GPUs) gets the application's rules only: its agent reports "cpu fallback", with no GPU series.
  const gpus = inputs.target.kind === 'gpu' ? 1 : (local?.indices.length ?? 0);
  const monitoring = deps.monitoring ? deps.monitoring(inputs.workload, gpus) : null;
  const rendered: RenderedFile[] = [
    ...renderFiles(loadTemplates(), renderData(inputs, dirName, local)),
    ...(monitoring ? [{ path: ALERTS_FILE, content: monitoring.rules, mode: 0o644 }] : []),
    ...(monitoring?.dashboard ? [{ path: DASHBOARD_FILE, content: monitoring.dashboard, mode: 0o644 }] : []),
    { path: AGENT_PACKAGE_PATH, content: fingerprint(pkg.bytes, what), bytes: pkg.bytes, mode: 0o644 },
  ];
  const onDisk = (file: Pick<RenderedFile, 'path' | 'bytes'>) => {
    if (file.path === 'fly.toml') return readFlyTomlIfExists(flyPath, flyShown);
    if (!file.bytes) return readIfExists(join(dir, file.path));
    const bytes = readIfExists(join(dir, file.path), 'binary');
    return bytes === null ? null : fingerprint(bytes, what);
  };
  const written = new Set<string>();
  // What is on disk is read, compared and written under one lock per directory: two inits never mix files.
  const planAndWrite = async () => {
    const planned = rendered.map((file) => planFile(file, onDisk(file)));
    const policy = policyFor(options, ctx.interactive);
    const decided: PlannedFile[] = policy === 'ask' ? await askConflicts(planned, ctx, events) : applyPolicy(planned, policy);
    const refused = decided.some((f) => f.status === 'conflict') && !options.dryRun;
    if (options.dryRun || refused) return { decided, refused };
    const writes = decided.filter((file) => file.status === 'create' || file.status === 'overwrite');
    for (const file of writes) assertInside(dir, join(dir, file.path));
    // A person may take minutes over the questions: a file made or edited meanwhile (an editor saving) was not
    // what they were shown, and is not overwritten. Checked for every file before any is written.
    if (policy === 'ask') for (const file of writes) if (onDisk(file) !== file.existing) throw changedMeanwhile(file.path, dir);
    for (const file of writes) {
      try {
        writeAtomic(join(dir, file.path), file.bytes ?? file.proposed, file.mode);
      } catch (error) {
        throw writeFailed(file.path, dir, [...written], error);
      }
      written.add(file.path);
    }
    return { decided, refused };
  };
  if (!options.dryRun) createDir(dir, options.dir);
  const { decided, refused } = options.dryRun
    ? await planAndWrite()
    : await withLock(join(dir, LOCK_NAME), lockWait(ctx, dir), planAndWrite);
  const dirArg = options.dir === undefined ? undefined : relative(ctx.cwd, dir) || '.';
  const named = [options.choices, asked, recorded, fromFly].some((layer) => layer.app !== undefined);
  return {
    dir,
    dryRun: options.dryRun,
    inputs,
    recorded: recordOf(inputs, dirName),
    files: decided,
    written,
    cpuCommand: inputs.target.kind === 'gpu' ? cpuCommandFor(inputs, dirArg) : null,
    refused,
    needs: appFilesNeeded(dir, inputs.cmd),
    appFromDirectory: named ? null : dirName,
    configArg: dirArg === undefined || dirArg === '.' ? null : join(dirArg, 'fly.toml'),
    local,
  };
}

/** What the rendered Dockerfile needs from the directory and does not find: requirements.txt, and the module `python3 -m <module>` runs. */
export function appFilesNeeded(dir: string, cmd: readonly string[]): string[] {
  const needs = existsSync(join(dir, 'requirements.txt')) ? [] : ['requirements.txt'];
  const m = cmd.indexOf('-m');
  const module = m > 0 && /^python[\d.]*$/.test(cmd[0] ?? '') ? cmd[m + 1] : undefined;
  if (module && /^[\w.]+$/.test(module)) {
    const path = module.replace(/\./g, '/');
    if (!existsSync(join(dir, `${path}.py`)) && !existsSync(join(dir, path, '__main__.py')))
      needs.push(`the module ${module} (${path}.py or ${path}/__main__.py)`);
  }
  return needs;
}

const NO_GPU_HINT =
  'Install the NVIDIA driver (it provides nvidia-smi) on the machine with the GPU, or run init without --for-local-gpu for the CPU layout.';

/** --for-local-gpu: the GPU this machine has, through gpuctl detect (exit 3 without one, with init's own remedy). */
async function detectLocalGpu(ctx: Ctx): Promise<LocalGpu> {
  const { detect } = await import('../detect/detect.js');
  // A driver problem (not loaded, mismatch) keeps detect's own remedy; no nvidia-smi at all gets init's.
  return localGpuFrom(await detect(ctx, { requireGpu: true, noGpuHint: NO_GPU_HINT }));
}

/**
 * Without a terminal, a first run needs --yes to take the defaults for what no flag gave (so CI
 * never gets defaults it did not ask for). Target and workload are the inputs that matter.
 */
function requireFlagsOrYes(ctx: Ctx, known: InitChoices): void {
  const missing = [known.target || known.forLocalGpu ? null : '--gpu-kind or --vm-size', known.workload ? null : '--workload'].filter(
    (m) => m !== null,
  );
  if (missing.length === 0) return;
  // Say which of the three rules keeps init from asking: on a terminal with CI set, "no terminal" is untrue.
  const why = ctx.flags.json
    ? 'With --json gpuctl asks nothing'
    : isCI(ctx.env)
      ? 'CI is set, so gpuctl asks nothing'
      : 'No terminal to ask on';
  throw new UsageError(`${why}, and no ${missing.join(' or ')} given.`, {
    hint: 'Pass the inputs as flags, or --yes to accept the defaults (performance-8x, inference).',
  });
}

/** The lock beside the files (a directory proper-lockfile makes and removes). */
const LOCK_NAME = '.gpuctl-init.lock';

function lockWait(ctx: Ctx, dir: string): LockWait {
  return {
    signal: ctx.signal,
    clock: ctx.clock,
    waitMs: 60_000,
    timedOut: () =>
      new UsageError(`Another gpuctl init has been writing into ${dir} for over a minute.`, {
        hint: `If no other gpuctl init is running, remove the lock: rm -r ${join(dir, LOCK_NAME)}`,
      }),
    interrupted: () =>
      new InterruptedError('Interrupted while waiting for another gpuctl init in the same directory; nothing was written.'),
  };
}

/** The --dir to write into, created when missing; one that cannot be (a pseudo filesystem, no permission) is a bad --dir. */
function createDir(dir: string, given: string | undefined): void {
  try {
    makeDirs(dir);
    const fs = pseudoFilesystem(dir);
    if (fs)
      throw new DirError(
        `Cannot write files in ${dir}: it is on ${fs}, a kernel interface, not a filesystem for files.`,
        dir,
        'EINVAL',
        fs,
      );
  } catch (error) {
    if (!(error instanceof DirError)) throw error;
    throw new UsageError(error.message, {
      hint: error.pseudoFs
        ? `Pass --dir a directory on a real filesystem (not under a ${error.pseudoFs} mount); nothing was written.`
        : `${given === undefined ? 'Run gpuctl init in' : 'Pass --dir'} a directory you can write to; nothing was written.`,
    });
  }
}

function changedMeanwhile(path: string, dir: string): UsageError {
  return new UsageError(`${join(dir, path)} changed while gpuctl init was asking; nothing was written.`, {
    hint: 'Run gpuctl init again to compare with the file as it is now.',
  });
}

function writeFailed(path: string, dir: string, written: readonly string[], error: unknown): FailedError {
  const reason = error instanceof DirError ? error.message : `Cannot write ${join(dir, path)}: ${describeErrno(error)}.`;
  const before = written.length ? `Already written: ${written.join(', ')}; the rest was not written.` : 'Nothing was written.';
  return new FailedError(reason, { hint: `${before} Fix the directory, then run gpuctl init again.`, cause: error });
}
