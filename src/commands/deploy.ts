import type { DeployOptions } from '../deploy/options.js';
import { parseDeployOptions, STRATEGIES } from '../deploy/options.js';
import { appOption, configOption, defineCommand } from './define.js';

export const deployCommand = defineCommand<DeployOptions>({
  name: 'deploy',
  summary: 'Deploy to Fly.io with preflight checks, live phases, verification and rollback',
  description:
    'Preflight first (flyctl present and recent, logged in, fly.toml valid, app exists, region known); a GPU guest stops\n' +
    'here, since Fly.io retired GPU Machines on 2026-08-01. Then `flyctl deploy`, its output shown as phases (building,\n' +
    'pushing, releasing, checks) and kept in a log file; then verification: every machine on the new release, started,\n' +
    'with passing checks, within --wait-timeout. Exit 0 deployed and healthy, 1 failed (after --rollback too), 3 no flyctl.',
  options: [
    appOption,
    configOption,
    { flags: '--create', description: 'create the app when it does not exist' },
    { flags: '-o, --org <slug>', description: 'organization for --create' },
    { flags: '-r, --region <code>', description: 'primary region (default: primary_region in fly.toml)' },
    { flags: '--strategy <name>', description: 'deploy strategy', choices: STRATEGIES },
    { flags: '-i, --image <ref>', description: 'deploy this image instead of building' },
    { flags: '--build-arg <NAME=VALUE>', description: 'Docker build argument (repeatable)', repeatable: true },
    { flags: '--wait-timeout <duration>', description: 'how long machines may take to pass their checks', default: '5m' },
    { flags: '--deploy-timeout <duration>', description: 'limit for the whole flyctl deploy (build included)', default: '30m' },
    { flags: '--verify-gpu', description: 'run `gpuctl detect --json` (or nvidia-smi) in each machine over ssh' },
    { flags: '--rollback', description: 'on failure, deploy the previous release\'s image again' },
    { flags: '--allow-gpu', description: 'deploy a GPU guest anyway (Fly.io rejects them since 2026-08-01)' },
    { flags: '--dry-run', description: 'run the preflight and print the flyctl commands, change nothing' },
  ],
  examples: [
    ['gpuctl deploy', 'deploy the app in ./fly.toml'],
    ['gpuctl deploy --dry-run', 'check everything and print the exact flyctl commands'],
    ['gpuctl deploy --wait-timeout 15m --rollback', 'a slow model load; go back to the previous release if it never gets healthy'],
    ['gpuctl deploy --json > deploy.json', 'in CI: a machine-readable report (a markdown summary goes to GITHUB_STEP_SUMMARY)'],
  ],
  parse: parseDeployOptions,
  run: async (options, ctx) => {
    const [{ runDeploy }, { validateConfigCheck }, render, { appendFile }] = await Promise.all([
      import('../deploy/run.js'),
      import('../validate/index.js'),
      import('../deploy/render.js'),
      import('node:fs/promises'),
    ]);
    const { report, exitCode } = await runDeploy(ctx, options, { configCheck: validateConfigCheck });
    const summaryFile = ctx.env.GITHUB_STEP_SUMMARY;
    if (summaryFile && !options.dryRun) {
      await appendFile(summaryFile, ctx.redact(render.renderMarkdown(report))).catch(() => ctx.log.warn(`Could not append to GITHUB_STEP_SUMMARY (${summaryFile}).`));
    }
    if (ctx.flags.json) {
      ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return exitCode;
    }
    ctx.stdout.write(render.renderDeploy(report, ctx.style));
    if (report.error) {
      ctx.stderr.write(`${ctx.style.red('Error:')} ${report.error.message}\n${report.error.hint ? `${ctx.style.dim(`Hint: ${report.error.hint}`)}\n` : ''}`);
    }
    return exitCode;
  },
});
