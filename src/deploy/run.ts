/**
 * `gpuctl deploy`, in order: preflight → (dry run: the commands) → flyctl deploy, streamed into
 * phases → verification (every machine on the new release, started, checks passing; optionally
 * its GPUs) → on failure, with --rollback, the previous release's image deployed again.
 */
import type { Ctx } from '../context.js';
import { ExitCode, FailedError, type GpuctlError } from '../errors.js';
import { deployArgs, releasesArgs, sshConsoleArgs, statusArgs, type DeployInput } from '../flyio/args.js';
import type { FlyClient } from '../flyio/client.js';
import { formatDuration } from '../shared/duration.js';
import { imageRefProblem, isImageRef } from '../shared/image-ref.js';
import type { FlyRelease } from '../flyio/schemas.js';
import type { ConfigCheck } from './config.js';
import { logPath, writeLog } from '../shared/log-file.js';
import type { DeployOptions } from './options.js';
import { preflight, type Preflight, type PreflightRow } from './preflight.js';
import { emptyReport, summarizeMachines, type DeployReport } from './report.js';
import { assessRollout, isIdle } from '../flyio/machines.js';
import { waitForRollout } from './wait.js';
import { FlyError } from '../flyio/failures.js';
import { FLY_GPU_RETIRED_ON } from '../flyio/gpu-kinds.js';
import { gpuRejectedError } from './gpu-stop.js';
import { streamDeploy } from './stream.js';
import { DETECT_COMMAND, DIAG_COMMAND, verifyGpus } from './verify-gpu.js';
import { errorJson } from '../ui/output.js';
import type { PhaseEvent, RolloutEvent } from './progress.js';

/** What happens along the way, for the command to show (the deploy itself writes nothing to the terminal). */
export interface DeployEvents {
  /** The preflight begins (the command shows it on a spinner until `preflight`). */
  preflightStarted?(): void;
  /** The preflight's rows, once it is done (before anything is deployed). */
  preflight?(rows: readonly PreflightRow[]): void;
  /** Every line flyctl deploy prints, as it arrives (also kept for the log file). */
  flyctlLine?: (line: string) => void;
  /** Each phase of flyctl deploy as it begins and ends (progress.ts has the words). */
  phase?(event: PhaseEvent): void;
  /** The wait for the new release's machines: begun, each poll, the end. */
  rollout?(event: RolloutEvent): void;
}

export interface DeployDeps {
  configCheck: ConfigCheck;
  events?: DeployEvents;
}

/** The image --rollback deploys again: the previous release's, only when it is an image reference (it came from flyctl's JSON). */
function rollbackImage(previous: FlyRelease | undefined): string | undefined {
  const ref = previous?.imageRef;
  return ref && isImageRef(ref) ? ref : undefined;
}

const releaseOf = (r: FlyRelease | undefined) => (r ? { version: r.version, image: r.imageRef } : null);

function inputFor(options: DeployOptions, pre: Preflight, app: string, image?: string): DeployInput {
  return {
    app,
    config: pre.configPath,
    image: image ?? options.image,
    strategy: options.strategy,
    primaryRegion: options.region,
    buildArgs: options.buildArgs,
    waitTimeoutS: options.waitTimeoutGiven ? Math.ceil(options.waitTimeoutMs / 1000) : undefined,
  };
}

function dryRunCommands(fly: FlyClient, options: DeployOptions, pre: Preflight, app: string): string[] {
  const commands = [fly.show(deployArgs(inputFor(options, pre, app))), `${fly.show(releasesArgs(app))}  # the new release`];
  commands.push(`${fly.show(statusArgs(app))}  # polled until every machine is started with passing checks (--wait-timeout)`);
  if (options.verifyGpu) commands.push(`${fly.show(sshConsoleArgs(app, '<machine-id>', DETECT_COMMAND))}  # for each machine`);
  if (options.verifyGpuDiag)
    commands.push(`${fly.show(sshConsoleArgs(app, '<machine-id>', DIAG_COMMAND))}  # for each machine with gpuctl`);
  const back = rollbackImage(pre.previous);
  if (options.rollback && back) commands.push(`${fly.show(deployArgs(inputFor(options, pre, app, back)))}  # only if the deploy fails`);
  return commands;
}

/** What the app looks like after a failed flyctl deploy, for the report; best effort. */
async function stateAfterFailure(fly: FlyClient, app: string, previous: number | undefined, resting: ReadonlySet<string>) {
  try {
    const [releases, status] = await Promise.all([fly.releases(app), fly.status(app)]);
    const release = releases[0] && releases[0].version > (previous ?? 0) ? releases[0] : undefined;
    const state = assessRollout(status.machines, release?.version, resting);
    // No machine at all is what a refused first deploy leaves: flyctl's error says why, not "the app has no machines".
    return { release, state: { ...state, problems: state.problems.filter((p) => p.machineId !== '-'), elapsedMs: 0 } };
  } catch {
    return { release: undefined, state: undefined };
  }
}

/** Deploys once (the new build, or a rollback image) and verifies it. */
async function deployAndVerify(
  ctx: Ctx,
  fly: FlyClient,
  input: DeployInput,
  options: DeployOptions,
  pre: Preflight,
  log: string[],
  deps: Pick<DeployDeps, 'events'>,
  label = '',
) {
  const gpuKind = pre.facts?.gpuGuests[0]?.kind;
  const resting = pre.resting;
  const streamed = await streamDeploy(ctx, fly, input, {
    timeoutMs: options.deployTimeoutMs,
    log,
    previousVersion: pre.previous?.version,
    label,
    gpuKind,
    onLine: deps.events?.flyctlLine,
    onPhase: (event) => deps.events?.phase?.(event),
  });
  if (streamed.error) {
    const guest = pre.facts?.gpuGuests[0];
    const failed = streamed.error;
    const rejected = guest && failed instanceof FlyError && failed.reason === 'gpu-rejected';
    return {
      error: rejected ? gpuRejectedError(pre.configPath, guest, failed) : failed,
      flyctlFailed: true,
      ...(await stateAfterFailure(fly, input.app, pre.previous?.version, resting)),
      image: streamed.image,
    };
  }
  const release = (await fly.releases(input.app))[0];
  const show = (event: RolloutEvent) => deps.events?.rollout?.(event);
  show({ kind: 'begin', label, release: release?.version });
  const state = await waitForRollout(async () => (await fly.status(input.app)).machines, {
    release: release?.version,
    timeoutMs: options.waitTimeoutMs,
    signal: ctx.signal,
    clock: ctx.clock,
    resting,
    // Each poll refreshes the command's spinner; without a terminal (CI) that is a line at least every 30 s.
    onPoll: (polled) =>
      show({
        kind: 'poll',
        label,
        release: release?.version,
        machines: polled.machines.length,
        checks: summarizeMachines(polled.machines).checks,
      }),
  });
  const summary = summarizeMachines(state.machines, state.atRest);
  const took = formatDuration(state.elapsedMs);
  if (state.ready) {
    show({
      kind: 'ready',
      label,
      release: release?.version,
      machines: state.machines.length,
      regions: summary.regions,
      checks: summary.checks,
      idle: Object.values(state.atRest).filter(isIdle).length,
      elapsedMs: state.elapsedMs,
    });
    return { error: undefined, flyctlFailed: false, release, state, image: streamed.image };
  }
  show({ kind: 'unhealthy', label, elapsedMs: state.elapsedMs, problems: state.problems.length });
  const first = state.problems[0];
  const error = new FailedError(
    `Release v${release?.version ?? '?'} of ${input.app} is not healthy after ${took}${first ? `: machine ${first.machineId} ${first.reason}` : ''}.`,
    {
      hint: 'Run `gpuctl health` for details; slow model loads need a longer --wait-timeout.',
    },
  );
  return { error, flyctlFailed: false, release, state, image: streamed.image };
}

export async function runDeploy(
  ctx: Ctx,
  options: DeployOptions,
  deps: DeployDeps,
): Promise<{ report: DeployReport; exitCode: number; error: GpuctlError | undefined }> {
  const started = ctx.clock.monotonic();
  deps.events?.preflightStarted?.();
  const pre = await preflight(ctx, options, deps.configCheck);
  deps.events?.preflight?.(pre.rows);
  const report = emptyReport(pre.app);
  report.preflight = pre.rows;
  report.previousRelease = releaseOf(pre.previous);
  const finish = (error: GpuctlError | undefined, exitCode: number) => {
    report.error = error ? errorJson(error, (text) => ctx.redact(text)) : null;
    report.ok = exitCode === ExitCode.ok;
    report.durationMs = Math.round(ctx.clock.monotonic() - started);
    return { report, exitCode, error };
  };
  if (pre.stop || !pre.fly || !pre.app) return finish(pre.stop, pre.stop?.exitCode ?? ExitCode.failed);
  const { fly, app } = pre;
  if (options.dryRun) {
    report.outcome = 'dry-run';
    report.commands = dryRunCommands(fly, options, pre, app);
    return finish(undefined, ExitCode.ok);
  }
  const log: string[] = [];
  report.logFile = logPath(ctx.env, 'deploy', app, ctx.clock.now());
  try {
    const input = inputFor(options, pre, app);
    report.commands.push(fly.show(deployArgs(input)));
    let result = await deployAndVerify(ctx, fly, input, options, pre, log, deps);
    report.outcome = result.error ? (result.flyctlFailed ? 'deploy-failed' : 'unhealthy') : 'deployed';
    if (!result.error && options.verifyGpu && result.state) {
      report.gpu = await verifyGpus(fly, app, result.state.machines, options.verifyGpuDiag);
      const missing = report.gpu.filter((g) => !g.ok);
      if (missing.length) {
        report.outcome = 'gpu-missing';
        result = {
          ...result,
          error: missing.some((g) => g.diag?.verdict === 'fail')
            ? new FailedError(
                `${missing.length} machine${missing.length === 1 ? '' : 's'} of ${app} failed the GPU check: ${missing[0]?.machineId} ${missing[0]?.detail}.`,
                {
                  hint: 'Run `gpuctl diag --level medium` in the machine for the evidence; replace a GPU that fails it.',
                },
              )
            : new FailedError(
                `${missing.length} machine${missing.length === 1 ? '' : 's'} of ${app} see no GPU: ${missing[0]?.machineId} ${missing[0]?.detail}.`,
                {
                  hint:
                    'The image may not reach the driver: run `nvidia-smi` in the machine (`flyctl ssh console -C nvidia-smi`). ' +
                    `Fly.io retired GPU Machines on ${FLY_GPU_RETIRED_ON}: today no Fly machine has a GPU.`,
                },
              ),
        };
      }
    }
    report.release = result.release ? { version: result.release.version, image: result.release.imageRef ?? result.image ?? null } : null;
    Object.assign(report, result.state ? summarizeMachines(result.state.machines, result.state.atRest) : {});
    report.problems = result.state?.problems ?? [];
    if (result.error && options.rollback) {
      const previous = pre.previous;
      const image = rollbackImage(previous);
      if (!previous?.imageRef) {
        ctx.log.warn(`No earlier complete release with an image to roll back to${previous ? ` (v${previous.version} has none)` : ''}.`);
      } else if (!image) {
        ctx.log.warn(
          `Not rolling back: v${previous.version}'s image ${JSON.stringify(previous.imageRef)} is not an image reference (${imageRefProblem(previous.imageRef)}).`,
        );
      } else {
        const back = inputFor(options, pre, app, image);
        report.commands.push(fly.show(deployArgs(back)));
        log.push('', `# rollback to v${previous.version}`);
        const rolled = await deployAndVerify(ctx, fly, back, options, pre, log, deps, `Rollback to v${previous.version}: `);
        report.rollback = {
          toVersion: previous.version,
          image,
          release: rolled.release?.version ?? null,
          healthy: !rolled.error,
          error: rolled.error ? ctx.redact(rolled.error.message) : null,
        };
      }
    }
    return finish(result.error, result.error ? result.error.exitCode : ExitCode.ok);
  } finally {
    await writeLog(report.logFile, log, (text) => ctx.redact(text)).catch((error: unknown) => {
      ctx.log.warn(`Could not write the deploy log to ${report.logFile}: ${error instanceof Error ? error.message : String(error)}`);
      report.logFile = null;
    });
  }
}
