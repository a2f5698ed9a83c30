/** `gpuctl doctor`, gathered: every probe runs in parallel, each bounded by its tool's timeout. */
import { access, constants } from 'node:fs/promises';
import { benchPaths } from '../shared/paths.js';
import { ENGINES, engineFile, engineInfo } from '../shared/container-engine.js';
import type { Ctx } from '../context.js';
import { InterruptedError, isGpuctlError, MissingError } from '../errors.js';
import { describeGpus } from '../detect/detect.js';
import { probeNvcc } from '../gpu/nvcc.js';
import { querySmi } from '../gpu/smi-probe.js';
import { whoamiArgs } from '../flyio/args.js';
import { locateFlyctl } from '../flyio/client.js';
import { parseWhoamiJson } from '../flyio/flyctl.js';
import type { DoctorFacts } from './decide.js';

async function gpuFacts(ctx: Ctx): Promise<DoctorFacts['gpu']> {
  try {
    const smi = await querySmi(ctx);
    if (smi.kind === 'absent') return { kind: 'absent' };
    const described = describeGpus(smi.gpus);
    return { kind: 'ok', driverVersion: described.driverVersion, cudaVersion: described.cudaVersion, gpus: smi.gpus };
  } catch (error) {
    // A GPUCTL_NVIDIA_SMI that names no program: its own remedy (point it at nvidia-smi), not "run nvidia-smi".
    if (error instanceof MissingError && error.what === 'nvidia-smi' && error.hint)
      return { kind: 'error', message: error.message, remedy: error.hint };
    if (isGpuctlError(error) && error.code !== 'interrupted') return { kind: 'error', message: error.message };
    throw error;
  }
}

async function flyctlFacts(ctx: Ctx): Promise<Pick<DoctorFacts, 'flyctl' | 'flyAuth'>> {
  // Through the adapter, with its one default timeout; failures are facts to report, not errors.
  const located = await locateFlyctl(ctx);
  if (located.kind === 'missing') return { flyctl: { kind: 'absent' }, flyAuth: { kind: 'skipped' } };
  if (located.kind === 'failed') {
    const version = located.outcome;
    if (version.kind === 'timeout') return { flyctl: { kind: 'hung', seconds: version.timeoutMs / 1000 }, flyAuth: { kind: 'skipped' } };
    const message =
      version.kind === 'failed'
        ? `flyctl version failed: ${version.message}`
        : version.kind === 'broken'
          ? `${located.file} could not run: ${version.message}`
          : `flyctl version: ${version.kind}`;
    return { flyctl: { kind: 'error', message }, flyAuth: { kind: 'skipped' } };
  }
  if (located.kind === 'unreadable')
    return { flyctl: { kind: 'error', message: 'flyctl version --json printed no version' }, flyAuth: { kind: 'skipped' } };
  const parsed = located.version;
  const whoami = await located.fly.outcome(whoamiArgs());
  const email = whoami.kind === 'ok' ? parseWhoamiJson(whoami.stdout) : undefined;
  const flyAuth: DoctorFacts['flyAuth'] = email
    ? { kind: 'ok', email }
    : whoami.kind === 'failed'
      ? { kind: 'error', message: whoami.message }
      : {
          kind: 'error',
          message:
            whoami.kind === 'ok'
              ? 'flyctl auth whoami printed no email'
              : whoami.kind === 'timeout'
                ? `flyctl auth whoami did not answer within ${whoami.timeoutMs / 1000} s`
                : `flyctl auth whoami: ${whoami.kind}`,
        };
  return { flyctl: { kind: 'ok', version: parsed.version }, flyAuth };
}

async function dockerFacts(ctx: Ctx): Promise<DoctorFacts['docker']> {
  // The engine row's rule for $DOCKER (set and empty is unset), so the two docker rows ask the same program.
  const result = await ctx.exec({ file: engineFile(ctx, 'docker'), args: ['--version'], timeoutMs: 10_000 });
  if (result.kind === 'not-found') return { kind: 'absent' };
  if (result.kind !== 'exited' || result.exitCode !== 0)
    return { kind: 'error', message: `docker --version did not succeed (${result.kind})` };
  const version = /Docker version ([^,\s]+)/.exec(result.stdout)?.[1];
  return version ? { kind: 'ok', version: `Docker ${version}` } : { kind: 'error', message: 'docker --version printed no version' };
}

/** The version an engine's `info --format {{json .}}` names: docker's ServerVersion, podman's version.Version. */
function engineVersion(stdout: string): string | null {
  try {
    const info = JSON.parse(stdout) as { ServerVersion?: unknown; version?: { Version?: unknown } } | null;
    const version = info?.ServerVersion ?? info?.version?.Version;
    return typeof version === 'string' && /^[\w.+-]{1,40}$/.test(version) ? version : null;
  } catch {
    return null;
  }
}

/** The engine smoke would use (shared/container-engine.ts): docker ($DOCKER), else podman, the first whose `info` answers. */
async function engineFacts(ctx: Ctx): Promise<DoctorFacts['engine']> {
  const said: string[] = [];
  for (const name of ENGINES) {
    const result = await engineInfo(ctx, name, 20_000);
    if (result.kind === 'exited' && result.exitCode === 0) return { kind: 'ok', name, version: engineVersion(result.stdout) };
    if (result.kind !== 'not-found')
      said.push(`${name} info failed (${result.kind === 'exited' ? `exit ${result.exitCode}` : result.kind})`);
  }
  return said.length ? { kind: 'error', message: `${said.join('; ')}: no working engine` } : { kind: 'absent' };
}

/** A packed gpuctl ships dist/native/gpuctl-bench (npm run build:native-fat at pack time); a clone does not. */
async function benchPrebuilt(ctx: Ctx): Promise<boolean> {
  return access(benchPaths(ctx.env, ctx.cwd).prebuilt, constants.X_OK).then(
    () => true,
    () => false,
  );
}

export async function gatherDoctorFacts(ctx: Ctx): Promise<DoctorFacts> {
  const [gpu, nvcc, fly, docker, engine, prebuilt] = await Promise.all([
    gpuFacts(ctx),
    probeNvcc(ctx),
    flyctlFacts(ctx),
    dockerFacts(ctx),
    engineFacts(ctx),
    benchPrebuilt(ctx),
  ]);
  // Ctrl-C reaches every probe at once: the tools it cut short are not failures to report (and remedy), and the run is not a verdict.
  if (ctx.signal.aborted) throw new InterruptedError('Interrupted while checking tools.');
  const tokenInEnv = Boolean(ctx.env.FLY_API_TOKEN || ctx.env.FLY_ACCESS_TOKEN);
  return { nodeVersion: ctx.host.nodeVersion, gpu, nvcc, ...fly, tokenInEnv, docker, engine, benchPrebuilt: prebuilt };
}
