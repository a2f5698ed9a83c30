import type { Common, ExportOptions, RunOptions } from '../autoscale/options.js';
import type { MetricSource } from '../autoscale/read.js';
import type { ScaleCount } from '../autoscale/run.js';
import type { Ctx } from '../context.js';
import { ExitCode, UsageError } from '../errors.js';
import { checkFlyAppName } from '../flyio/app-name.js';
import { parseHttpUrl, PROMETHEUS_URL } from '../shared/http-url.js';
import { bool, durationOption, optionalDuration, str, type OptionKeys, type RawInput } from '../shared/options.js';
import { streamWriter } from '../ui/output.js';
import { printableValue } from '../ui/printable.js';
import { defineCommand } from './define.js';

/** --app replaces the policy's app: the same check as the policy's own. */
const appFlag = (app: string | undefined) => (app === undefined ? undefined : checkFlyAppName(app, '--app'));

const appOption = { flags: '-a, --app <name>', description: "the Fly app (default: the policy's app)" } as const;

const common = [
  { flags: '-p, --policy <file>', description: 'the policy (TOML; see docs/autoscale.md)' },
  appOption,
  {
    flags: '--prometheus <url>',
    description: 'Prometheus API base URL (default GPUCTL_PROMETHEUS_URL), e.g. https://api.fly.io/prometheus/<org>/',
  },
  { flags: '--timeout <duration>', description: 'timeout of each Prometheus query, e.g. 10s (a bare number is seconds)', default: '10s' },
] as const;

const runOptions = [
  ...common,
  { flags: '--once', description: 'one decision, then exit' },
  { flags: '--dry-run', description: 'decide and show the flyctl command, change nothing' },
  { flags: '--iterations <n>', description: 'stop after n decisions; exit 1 if any of them failed' },
  {
    flags: '--interval <duration>',
    description: "decide this often instead of at the policy's interval, e.g. 30s (the windows' sample step stays the policy's)",
  },
] as const;

const exportOptions = [
  { flags: '-p, --policy <file>', description: 'the policy (TOML)' },
  appOption,
  { flags: '--to <target>', description: 'what to write for', default: 'fly-autoscaler', choices: ['fly-autoscaler'] },
  { flags: '--org <slug>', description: 'Fly organisation (FAS_ORG and the Prometheus address)' },
  { flags: '-o, --out <file>', description: 'write to a file (default: stdout)' },
  { flags: '--force', description: 'replace --out if it exists (the diff is shown)' },
] as const;

function required(raw: RawInput<'policy'>): string {
  const v = str(raw, 'policy');
  if (!v) throw new UsageError('--policy is required.', { hint: 'Run with --help for an example.' });
  return v;
}

/** commander's values → the options of each subcommand. Pure; bad values are UsageErrors. */
export function parseCommon(raw: RawInput<OptionKeys<typeof common>>): Common {
  const timeoutMs = durationOption(raw, 'timeout', '--timeout', '10s');
  if (timeoutMs > 300_000) throw new UsageError(`--timeout "${str(raw, 'timeout')}" must be between 0 and 300 seconds (at most 5m).`);
  return { policy: required(raw), app: appFlag(str(raw, 'app')), prometheus: str(raw, 'prometheus'), timeoutMs };
}

export function parseRun(raw: RawInput<OptionKeys<typeof runOptions>>): RunOptions {
  const iterations = str(raw, 'iterations');
  if (iterations !== undefined && !/^[1-9]\d*$/.test(iterations))
    throw new UsageError(`--iterations must be a whole number of at least 1, not "${iterations}".`);
  const intervalMs = optionalDuration(raw, 'interval', '--interval');
  if (intervalMs !== undefined && intervalMs < 1000)
    throw new UsageError(`--interval must be a duration of at least 1s, not "${str(raw, 'interval')}".`);
  const once = bool(raw, 'once');
  return { ...parseCommon(raw), once, dryRun: bool(raw, 'dryRun'), iterations: iterations ? Number(iterations) : undefined, intervalMs };
}

/** An organisation slug goes into FAS_ORG and the Prometheus URL's path: letters, digits, dashes (personal, my-org). */
function orgSlug(org: string | undefined): string | undefined {
  if (org === undefined || /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(org)) return org;
  throw new UsageError(`--org ${JSON.stringify(org)} is not a Fly.io organisation slug.`, {
    hint: 'Slugs are letters, digits and dashes, e.g. personal or my-org (`fly orgs list` shows them).',
  });
}

export function parseExport(raw: RawInput<OptionKeys<typeof exportOptions>>): ExportOptions {
  const to = str(raw, 'to') ?? 'fly-autoscaler';
  if (to !== 'fly-autoscaler') throw new UsageError(`--to ${to}: the only target is fly-autoscaler.`);
  return {
    policy: required(raw),
    app: appFlag(str(raw, 'app')),
    to,
    org: orgSlug(str(raw, 'org')),
    out: str(raw, 'out'),
    force: bool(raw, 'force'),
  };
}

async function setup(ctx: Ctx, options: Common) {
  const [{ readPolicy }, { findFlyctl, FlyClient }, prom, run, { checkGroup, runCount }] = await Promise.all([
    import('../autoscale/policy.js'),
    import('../flyio/client.js'),
    import('../prometheus/client.js'),
    import('../autoscale/run.js'),
    import('../scale/run.js'),
  ]);
  const policy = await readPolicy(ctx.cwd, options.policy);
  if (options.app) policy.app = options.app;
  const baseUrl = options.prometheus ?? ctx.env.GPUCTL_PROMETHEUS_URL;
  if (!baseUrl)
    throw new UsageError('Where is Prometheus? Pass --prometheus URL or set GPUCTL_PROMETHEUS_URL.', {
      hint: "Fly's is https://api.fly.io/prometheus/<org>/ (token: GPUCTL_PROMETHEUS_TOKEN).",
    });
  parseHttpUrl(baseUrl, options.prometheus !== undefined ? '--prometheus' : 'GPUCTL_PROMETHEUS_URL', PROMETHEUS_URL);
  ctx.clock.now(); // a GPUCTL_NOW that is not a time is a usage error before anything is read
  const fly = new FlyClient(ctx, (await findFlyctl(ctx)).file);
  // A policy's group the app does not have would be planned at every step (and scaled by flyctl only to fail).
  await checkGroup(fly, policy.app, policy.group);
  const target = { baseUrl, token: prom.tokenFromEnv(ctx.env), timeoutMs: options.timeoutMs, signal: ctx.signal };
  // The two features autoscale builds on, handed in here (features do not import each other).
  const metrics: MetricSource = async (query, at) => {
    const outcome = await prom.instantQuery(target, query, at);
    if (outcome.kind !== 'ok') return { kind: 'failed', reason: prom.describeOutcome(outcome, baseUrl) };
    if (outcome.data.resultType !== 'matrix') return { kind: 'other', resultType: outcome.data.resultType };
    return { kind: 'matrix', series: outcome.data.result.map((r) => r.values) };
  };
  const scale: ScaleCount = async (request, dryRun) => {
    // A plan is a result: on stdout, as `gpuctl scale` prints it (issue 22), before the decision's line; --json has the decision only.
    const events = { plan: (text: string) => streamWriter(ctx.flags.json, ctx.stdout, ctx.style).text(text) };
    const result = await runCount(ctx, fly, policy.app, request, { yes: true, dryRun }, events);
    return { applied: result.applied, problems: result.verified && !result.verified.ok ? result.verified.problems : [] };
  };
  return { policy, fly, run, metrics, scale };
}

const planCommand = defineCommand({
  name: 'plan',
  summary: 'Show what autoscale would do now, and why (reads Prometheus and the machines; changes nothing)',
  options: common,
  examples: [
    [
      'gpuctl autoscale plan --policy autoscale.toml --prometheus https://api.fly.io/prometheus/my-org/',
      "against Fly's Prometheus (GPUCTL_PROMETHEUS_TOKEN set)",
    ],
    [
      'gpuctl autoscale plan -p autoscale.toml --json',
      'with GPUCTL_NOW=2026-11-30T14:20:00Z set: rehearse Monday 09:20 New York (schedules and cooldowns only)',
    ],
  ],
  parse: parseCommon,
  run: async (options, ctx) => {
    const s = await setup(ctx, options);
    const step = await s.run.step(ctx, {
      policy: s.policy,
      fly: s.fly,
      metrics: s.metrics,
      scale: s.scale,
      mode: 'plan',
      dryRun: true,
    });
    const { jsonRecord, renderPlan } = await import('../autoscale/render.js');
    ctx.print(jsonRecord(step), () => renderPlan(step, ctx.style));
    return step.problems.length > 0 ? ExitCode.failed : ExitCode.ok;
  },
});

const runCommand = defineCommand({
  name: 'run',
  summary: 'Decide and scale at every interval (flyctl scale count), logging each decision with its reason',
  description: `Reads the metrics, decides with the policy and scales through flyctl, every policy interval
    until Ctrl-C (or --iterations). --once decides once; --dry-run shows the flyctl command instead of
    running it. Exit 1 if any decision failed (a step that failed, or one with problems), not only the
    last; after several decisions a last line on stderr says how many failed. The last actions are kept
    under XDG_STATE_HOME for the cooldowns. With --json every decision is one JSON line (NDJSON), and so
    is an error that ends the run (Ctrl-C during a step).`,
  options: runOptions,
  ndjson: true,
  examples: [
    ['gpuctl autoscale run -p autoscale.toml --prometheus https://api.fly.io/prometheus/my-org/', 'scale until Ctrl-C'],
    ['gpuctl autoscale run -p autoscale.toml --once --dry-run --json', 'one decision as JSON, nothing changed'],
  ],
  parse: parseRun,
  run: async (options, ctx) => {
    const s = await setup(ctx, options);
    const { jsonRecord, renderRunSummary, renderStepLine } = await import('../autoscale/render.js');
    const out = streamWriter(ctx.flags.json, ctx.stdout, ctx.style);
    const limit = options.once ? 1 : (options.iterations ?? Infinity);
    const interval = options.intervalMs ?? s.policy.intervalMs;
    // Every decision counts for the exit status (a CI run with --iterations fails if any failed), not only the last.
    const failed: number[] = [];
    let decisions = 0;
    for (let i = 0; i < limit; i++) {
      if (i > 0 && !(await ctx.clock.sleep(interval, ctx.signal))) break;
      try {
        const step = await s.run.step(ctx, {
          policy: s.policy,
          fly: s.fly,
          metrics: s.metrics,
          scale: s.scale,
          mode: 'run',
          dryRun: options.dryRun,
        });
        out.record(jsonRecord(step), () => renderStepLine(printableValue(step)));
        if (step.problems.length > 0) failed.push(i + 1);
      } catch (error) {
        // One failed step (flyctl down, a capacity error) is logged; the loop goes on. --once reports it.
        if (limit === 1 || ctx.signal.aborted) throw error;
        ctx.log.warn(`${ctx.clock.now().toISOString()} this step failed: ${error instanceof Error ? error.message : String(error)}`);
        failed.push(i + 1);
      }
      decisions = i + 1;
    }
    if (limit > 1 && decisions > 0) {
      const summary = renderRunSummary(decisions, failed);
      if (failed.length > 0) ctx.log.warn(summary);
      else ctx.log.info(summary);
    }
    if (ctx.signal.aborted) {
      ctx.log.info('Stopped.');
      return ExitCode.interrupted;
    }
    return failed.length > 0 ? ExitCode.failed : ExitCode.ok;
  },
});

const exportCommand = defineCommand({
  name: 'export',
  summary: "Write fly-autoscaler's configuration for the policy, naming what it cannot express",
  options: exportOptions,
  examples: [
    ['gpuctl autoscale export -p autoscale.toml --to fly-autoscaler --org my-org', 'print the fly.toml of an autoscaler app'],
    ['gpuctl autoscale export -p autoscale.toml --org my-org -o autoscaler/fly.toml', 'write it (refuses to overwrite without --force)'],
  ],
  parse: parseExport,
  run: async (options, ctx) => {
    const { runExport, renderExport } = await import('../autoscale/export-run.js');
    ctx.print(await runExport(ctx, options, { diff: (patch) => ctx.stderr.write(patch) }), renderExport);
    return ExitCode.ok;
  },
});

export const autoscaleCommand = defineCommand({
  name: 'autoscale',
  summary: 'Scale an app on GPU metrics from Prometheus, with schedules (market hours) and cooldowns',
  examples: [
    ['gpuctl autoscale plan -p autoscale.toml', 'what it would do now, and why'],
    ['gpuctl autoscale run -p autoscale.toml', 'scale until Ctrl-C'],
    ['gpuctl autoscale export -p autoscale.toml --org my-org', "fly-autoscaler's configuration"],
  ],
  subcommands: [planCommand, runCommand, exportCommand],
});
