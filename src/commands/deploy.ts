import type { DeployOptions } from '../deploy/options.js';
import type { DeployEvents } from '../deploy/run.js';
import { spinnerSlot } from '../ui/spinner.js';
import { STRATEGIES } from '../deploy/options.js';
import { UsageError } from '../errors.js';
import type { DeployStrategy } from '../flyio/args.js';
import { checkImageRef } from '../shared/image-ref.js';
import { bool, durationOption, list, str, type OptionKeys, type RawInput } from '../shared/options.js';
import { appOption, configOption, defineCommand } from './define.js';

const options = [
  appOption,
  configOption,
  { flags: '--create', description: 'create the app when it does not exist' },
  { flags: '-o, --org <slug>', description: 'organization for --create' },
  { flags: '-r, --region <code>', description: 'primary region (default: primary_region in fly.toml)' },
  { flags: '--strategy <name>', description: 'deploy strategy', choices: STRATEGIES },
  { flags: '-i, --image <ref>', description: 'deploy this image instead of building' },
  { flags: '--build-arg <NAME=VALUE>', description: 'Docker build argument (repeatable)', repeatable: true },
  {
    flags: '--wait-timeout <duration>',
    description: "how long machines may take to pass their checks (default: fly.toml's wait_timeout, else 5m)",
  },
  { flags: '--deploy-timeout <duration>', description: 'limit for the whole flyctl deploy (build included)', default: '30m' },
  { flags: '--verify-gpu', description: 'run `gpuctl detect --json` (or nvidia-smi) in each machine over ssh' },
  {
    flags: '--verify-gpu-diag',
    description: 'with --verify-gpu: also `gpuctl diag --level quick` in each machine (fails the deploy on a failed diag)',
  },
  { flags: '--rollback', description: "on failure, deploy the previous release's image again" },
  { flags: '--allow-gpu', description: 'deploy a GPU guest anyway (Fly.io rejects them since 2026-08-01)' },
  { flags: '--dry-run', description: 'run the preflight and print the flyctl commands, change nothing' },
] as const;

/** commander's values → DeployOptions. Pure; bad values are UsageErrors. */
export function parseDeployOptions(raw: RawInput<OptionKeys<typeof options>>): DeployOptions {
  const strategy = str(raw, 'strategy');
  const buildArgs = list(raw, 'buildArg');
  const bad = buildArgs.find((arg) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg));
  if (bad !== undefined) throw new UsageError(`--build-arg "${bad}" is not NAME=VALUE.`);
  const image = str(raw, 'image');
  const waitTimeoutMs = durationOption(raw, 'waitTimeout', '--wait-timeout', '5m');
  const deployTimeoutMs = durationOption(raw, 'deployTimeout', '--deploy-timeout', '30m');
  // --org names the organization of the app --create makes; without --create it was dropped without a word.
  if (str(raw, 'org') !== undefined && !bool(raw, 'create'))
    throw new UsageError('--org goes with --create: it is the organization of the app that --create makes.', {
      hint: 'An existing app deploys where it is; add --create for a new one (flyctl apps move changes an app’s organization).',
    });
  if (deployTimeoutMs <= waitTimeoutMs) {
    throw new UsageError('--deploy-timeout must be longer than --wait-timeout.', {
      hint: 'The deploy timeout covers the build, the push and the wait for checks.',
    });
  }
  return {
    app: str(raw, 'app'),
    config: str(raw, 'config') ?? 'fly.toml',
    create: bool(raw, 'create'),
    org: str(raw, 'org'),
    region: str(raw, 'region')?.toLowerCase(),
    strategy: strategy as DeployStrategy | undefined,
    image: image === undefined ? undefined : checkImageRef(image, '--image'),
    buildArgs,
    waitTimeoutMs,
    waitTimeoutGiven: str(raw, 'waitTimeout') !== undefined,
    deployTimeoutMs,
    verifyGpu: bool(raw, 'verifyGpu') || bool(raw, 'verifyGpuDiag'),
    verifyGpuDiag: bool(raw, 'verifyGpuDiag'),
    rollback: bool(raw, 'rollback'),
    allowGpu: bool(raw, 'allowGpu'),
    dryRun: bool(raw, 'dryRun'),
  };
}

export const deployCommand = defineCommand({
  name: 'deploy',
  summary: 'Deploy to Fly.io with preflight checks, live phases, verification and rollback',
  description:
    'Preflight first (flyctl present and recent, logged in, fly.toml valid, app exists, region known); a GPU guest stops\n' +
    'here, since Fly.io retired GPU Machines on 2026-08-01. Then `flyctl deploy`, its output shown as phases (building,\n' +
    'pushing, releasing, checks) and kept in a log file; then verification: every machine on the new release, started,\n' +
    'with passing checks, within --wait-timeout. Exit 0 deployed and healthy, 1 failed (after --rollback too), 3 no flyctl.',
  options,
  examples: [
    ['gpuctl deploy', 'deploy the app in ./fly.toml'],
    ['gpuctl deploy --dry-run', 'check everything and print the exact flyctl commands'],
    ['gpuctl deploy --wait-timeout 15m --rollback', 'a slow model load; go back to the previous release if it never gets healthy'],
    ['gpuctl deploy --json > deploy.json', 'in CI: a machine-readable report (a markdown summary goes to GITHUB_STEP_SUMMARY)'],
  ],
  parse: parseDeployOptions,
  run: async (options, ctx) => {
    const [{ runDeploy }, { validateConfigCheck }, render, progress, { appendStepSummary }] = await Promise.all([
      import('../deploy/run.js'),
      import('../validate/index.js'),
      import('../deploy/render.js'),
      import('../deploy/progress.js'),
      import('../ui/step-summary.js'),
    ]);
    // The deploy emits; the command shows: each step on a spinner, the preflight table, and flyctl's lines with --verbose (all on stderr).
    const step = spinnerSlot(ctx);
    const events: DeployEvents = {
      preflightStarted: () => step.begin(progress.PREFLIGHT_TEXT),
      preflight: (rows) => {
        step.end('stop');
        if (!ctx.flags.json) ctx.stderr.write(render.renderPreflight(rows, ctx.style));
      },
      flyctlLine: (line) => void (ctx.flags.verbose ? ctx.stderr.write(`  ${ctx.style.dim(line)}\n`) : undefined),
      phase: (e) =>
        e.kind === 'begin'
          ? step.begin(progress.phaseText(e))
          : step.end(e.outcome === 'done' ? 'succeed' : e.outcome === 'failed' ? 'fail' : 'stop', progress.phaseText(e)),
      rollout: (e) =>
        e.kind === 'begin'
          ? step.begin(progress.rolloutText(e))
          : e.kind === 'poll'
            ? step.update(progress.rolloutText(e))
            : step.end(e.kind === 'ready' ? 'succeed' : 'fail', progress.rolloutText(e)),
    };
    const { report, exitCode, error } = await runDeploy(ctx, options, { configCheck: validateConfigCheck, events }).finally(() =>
      step.end('stop'),
    );
    if (!options.dryRun) await appendStepSummary(ctx, () => render.renderMarkdown(report));
    ctx.print(report, render.renderDeploy);
    // The report carries the error (its `error` field); the boundary adds "Error:/Hint:" for people.
    if (error) throw error.asReported();
    return exitCode;
  },
});
