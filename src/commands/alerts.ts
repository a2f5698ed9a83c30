import { ExitCode, UsageError } from '../errors.js';
import { parseDuration } from '../shared/duration.js';
import { bool, numberOption, str, type OptionKeys, type RawInput } from '../shared/options.js';
import { AGENT_SEEN, DEFAULT_THRESHOLDS, type AlertThresholds } from '../alerts/rules.js';
import { DEFAULT_APP_REQUESTS, JOB_NAME, LABEL_NAME, METRIC_NAME, type AppRequests } from '../alerts/app-rules.js';
import { thresholdsFor } from '../alerts/profiles.js';
import { isWorkload, WORKLOADS } from '../shared/profiles.js';
import { defineCommand } from './define.js';

export interface AlertsExportOptions {
  thresholds: AlertThresholds;
  /** What to print: the rules, their promtool unit tests, or the Grafana dashboard. */
  print: 'rules' | 'tests' | 'grafana';
}

const options = [
  {
    flags: '--workload <profile>',
    description: `the app's workload profile (${WORKLOADS.join(', ')}): its thresholds, as gpuctl init writes them`,
  },
  {
    flags: '--cpu',
    description: "rules for a CPU layout (gpuctl init --vm-size): the application's rules only, no GPU or agent rules",
  },
  { flags: '--expect-gpus <n>', description: 'GPUs each machine must show (adds GpuctlGpuMissing)' },
  { flags: '--util-pct <pct>', description: 'utilisation threshold (default 95)' },
  { flags: '--memory-pct <pct>', description: 'GPU memory threshold (default 90)' },
  { flags: '--temp-warn-c <c>', description: 'temperature warning (default 80)' },
  { flags: '--max-temp-c <c>', description: "the agent's /gpu-health limit, GPUCTL_AGENT_MAX_TEMP_C (default 85)" },
  { flags: '--for <duration>', description: '`for:` of the sustained rules, at most 12h (default 5m)' },
  { flags: '--app-error-pct <pct>', description: "share of the application's requests answered 5xx that alerts (default 5)" },
  {
    flags: '--app-requests-metric <name>',
    description: "the application's request counter (default http_requests_total; none: no application rules)",
  },
  { flags: '--app-status-labels <list>', description: 'labels that hold its response status, comma-separated (default code,status)' },
  { flags: '--app-job <name>', description: "the scrape job of the application's /metrics (default app)" },
  {
    flags: '--tests',
    description:
      'print promtool unit tests for the rules (`promtool test rules`), not the rules: give the flags the rules were printed with; the tests read gpuctl-alerts.yml',
  },
  { flags: '--grafana', description: "print a Grafana dashboard (JSON model) for the agent's series, with the same thresholds" },
] as const;

/** The longest `for:`: half of AGENT_SEEN (1d), so an agent down is still remembered when its rule's `for:` has run. */
const FOR_MAX_S = 12 * 3600;

function number(
  raw: RawInput<OptionKeys<typeof options>>,
  key: OptionKeys<typeof options>,
  flag: string,
  min: number,
  max: number,
  fallback: number,
) {
  return numberOption(raw, key, flag, { min, max, hint: `For example ${flag} ${fallback}.` }) ?? fallback;
}

/**
 * A threshold a rule compares with `>`: the agent never exports a value above `ceiling` (src/agent/sane.ts drops
 * utilisation or memory share over 100 %, temperatures over 150 °C), so a threshold at it makes a rule that never fires.
 */
function below(
  raw: RawInput<OptionKeys<typeof options>>,
  key: OptionKeys<typeof options>,
  flag: string,
  ceiling: number,
  fallback: number,
  what: string,
) {
  const n = number(raw, key, flag, 0, ceiling, fallback);
  if (n >= ceiling)
    throw new UsageError(
      `${flag} ${str(raw, key)} can never be exceeded: the agent exports ${what} up to ${ceiling}, so the rule would never fire.`,
      {
        hint: `Use a value under ${ceiling}, e.g. ${flag} ${fallback}.`,
      },
    );
  return n;
}

export function parseAlertsExport(
  raw: RawInput<OptionKeys<typeof options>>,
  base: AlertThresholds = DEFAULT_THRESHOLDS,
): AlertsExportOptions {
  const workload = str(raw, 'workload');
  if (workload !== undefined && !isWorkload(workload))
    throw new UsageError(`--workload "${workload}" is not a workload profile.`, { hint: `Use one of: ${WORKLOADS.join(', ')}.` });
  const defaults = workload === undefined ? base : thresholdsFor(workload);
  const expect = str(raw, 'expectGpus');
  const sustained = str(raw, 'for') ?? defaults.sustained;
  if (bool(raw, 'tests') && bool(raw, 'grafana'))
    throw new UsageError('--tests and --grafana print different files: choose one.', { hint: 'Run the command twice, once with each.' });
  const cpu = bool(raw, 'cpu');
  if (cpu) assertCpuFlags(raw);
  if (!/^\d+[smh]$/.test(sustained))
    // Prometheus also reads 2m30s or 1d; the rules' promtool tests are computed from one number and one unit.
    throw new UsageError(`--for "${sustained}" is not one number with s, m or h.`, {
      hint: 'Write it like 30s, 5m or 1h (2m30s as 150s).',
    });
  if ((parseDuration(sustained) ?? 0) / 1000 > FOR_MAX_S)
    // At 24h GpuctlAgentDown could never fire (its tests failed), and the tests of 999999h never ended.
    throw new UsageError(
      `--for ${sustained} is longer than ${FOR_MAX_S / 3600}h: GpuctlAgentDown forgets a machine whose agent was last seen over ${AGENT_SEEN} ago, so it could never fire.`,
      { hint: `Use at most ${FOR_MAX_S / 3600}h, e.g. --for 5m.` },
    );
  const app = appRequests(raw, defaults.appRequests);
  if (cpu && app === null)
    throw new UsageError("--cpu prints only the application's rules, and --app-requests-metric none drops them: nothing is left.", {
      hint: 'Drop --app-requests-metric none, or do not load a rules file for this app.',
    });
  const tempWarnC = below(raw, 'tempWarnC', '--temp-warn-c', 150, defaults.tempWarnC, 'temperatures (°C)');
  const tempFailC = below(raw, 'maxTempC', '--max-temp-c', 150, defaults.tempFailC, 'temperatures (°C)');
  if (tempWarnC > tempFailC)
    // The warning would fire only after the critical alert (and after the agent's /gpu-health failed the machine).
    throw new UsageError(
      `--temp-warn-c ${tempWarnC} is above --max-temp-c ${tempFailC}: the warning would come after the critical alert.`,
      {
        hint: `Give a warning below the limit, e.g. --temp-warn-c ${Math.max(0, tempFailC - 5)} --max-temp-c ${tempFailC}.`,
      },
    );
  return {
    thresholds: {
      ...defaults,
      layout: cpu ? 'cpu' : 'gpu',
      utilPct: str(raw, 'utilPct') === undefined ? defaults.utilPct : below(raw, 'utilPct', '--util-pct', 100, 95, 'utilisation (%)'),
      memoryPct: below(raw, 'memoryPct', '--memory-pct', 100, defaults.memoryPct, 'memory use (%)'),
      tempWarnC,
      tempFailC,
      expectGpus: expect === undefined ? null : (numberOption(raw, 'expectGpus', '--expect-gpus', { min: 1, max: 64, whole: true }) ?? 1),
      sustained,
      appErrorPct: number(raw, 'appErrorPct', '--app-error-pct', 0, 99, defaults.appErrorPct),
      appRequests: app,
    },
    print: bool(raw, 'tests') ? 'tests' : bool(raw, 'grafana') ? 'grafana' : 'rules',
  };
}

/** Flags of GPU rules a CPU layout does not get; --grafana's dashboard is for the agent's GPU series. */
const GPU_ONLY = [
  ['expectGpus', '--expect-gpus'],
  ['utilPct', '--util-pct'],
  ['memoryPct', '--memory-pct'],
  ['tempWarnC', '--temp-warn-c'],
  ['maxTempC', '--max-temp-c'],
] as const;

function assertCpuFlags(raw: RawInput<OptionKeys<typeof options>>): void {
  const gpuFlag = GPU_ONLY.find(([key]) => str(raw, key) !== undefined);
  if (gpuFlag)
    throw new UsageError(`${gpuFlag[1]} sets a GPU rule, and --cpu prints no GPU rules.`, {
      hint: `Drop ${gpuFlag[1]}, or drop --cpu for a GPU layout's rules.`,
    });
  if (bool(raw, 'grafana'))
    throw new UsageError("--grafana prints the dashboard for the agent's GPU series, and a CPU layout has none.", {
      hint: "Fly's managed Grafana (fly dashboard metrics --grafana) already charts every app's CPU, memory and HTTP responses by status.",
    });
}

/** The application's request counter: a metric name (or none), its status labels and scrape job, checked before they go into PromQL. */
function appRequests(raw: RawInput<OptionKeys<typeof options>>, fallback: AppRequests | null): AppRequests | null {
  const metric = str(raw, 'appRequestsMetric');
  const labels = str(raw, 'appStatusLabels');
  const job = str(raw, 'appJob');
  if (metric === 'none') {
    if (labels !== undefined || job !== undefined)
      throw new UsageError(
        `${labels !== undefined ? '--app-status-labels' : '--app-job'} describes a request counter, and --app-requests-metric none has none.`,
        { hint: 'Drop one of the two.' },
      );
    return null;
  }
  if (job !== undefined && !JOB_NAME.test(job))
    throw new UsageError(`--app-job "${job}" is not a scrape job name gpuctl can put in a rule.`, {
      hint: "Use letters, digits, '_', '.', ':' and '-', as in your prometheus.yml's job_name, e.g. --app-job app.",
    });
  if (metric !== undefined && !METRIC_NAME.test(metric))
    throw new UsageError(`--app-requests-metric "${metric}" is not a Prometheus metric name.`, {
      hint: 'For example --app-requests-metric http_requests_total, or none.',
    });
  const statusLabels = labels?.split(',').map((l) => l.trim());
  const bad = statusLabels?.find((l) => !LABEL_NAME.test(l));
  if (bad !== undefined)
    throw new UsageError(`--app-status-labels: "${bad}" is not a Prometheus label name.`, {
      hint: 'For example --app-status-labels code,status.',
    });
  const base = fallback ?? DEFAULT_APP_REQUESTS;
  return { metric: metric ?? base.metric, statusLabels: statusLabels ?? base.statusLabels, job: job ?? base.job };
}

export const exportCommand = defineCommand({
  name: 'export',
  summary: "Print Prometheus alerting rules for the agent's series (or their promtool tests)",
  description:
    'Rules for GPU utilisation, memory, temperature (warning, and the /gpu-health limit), a stopped sampler, uncorrectable\n' +
    'ECC errors, pending memory repair, thermal throttling, a PCIe link below its maximum under load, XID errors in the\n' +
    'kernel log, a failed gpuctl diag and (with --expect-gpus) a missing GPU. Each names the machine\n' +
    "and GPU and a gpuctl command to run. From the application's own request counter: its 5xx share (and an\n" +
    'info alert while that counter is absent); --cpu prints only these two, for a CPU layout. See docs/alerts.md.',
  options,
  examples: [
    ['gpuctl alerts export --expect-gpus 8 > gpuctl-alerts.yml', 'rules for 8-GPU machines'],
    [
      'gpuctl alerts export --expect-gpus 8 --tests > gpuctl-alerts.test.yml && promtool test rules gpuctl-alerts.test.yml',
      'check them: the same flags as the rules; the tests read gpuctl-alerts.yml beside them',
    ],
    ['gpuctl alerts export --workload training --expect-gpus 1', "a training app's thresholds (no utilisation rule)"],
    ['gpuctl alerts export --cpu > prometheus/gpuctl-alerts.yml', "a CPU layout's rules (the application's error rate)"],
    ['gpuctl alerts export --grafana --workload inference > gpuctl-dashboard.json', 'the dashboard, to import into Grafana'],
    [
      'gpuctl alerts export --app-requests-metric http_server_requests_seconds_count --app-status-labels status',
      'the error rate from a Micrometer (Spring) counter',
    ],
  ],
  parse: (raw) => parseAlertsExport(raw),
  run: async (options, ctx) => {
    const { renderAlertRules } = await import('../alerts/rules.js');
    const { renderPromtoolTests } = await import('../alerts/promtool-tests.js');
    const { renderDashboard } = await import('../alerts/dashboard.js');
    const t = options.thresholds;
    const text =
      options.print === 'tests'
        ? renderPromtoolTests(t, 'gpuctl-alerts.yml')
        : options.print === 'grafana'
          ? renderDashboard(t)
          : renderAlertRules(t);
    const kind = { rules: 'rules', tests: 'promtool-tests', grafana: 'grafana-dashboard' }[options.print];
    ctx.print({ schemaVersion: 1, kind, text }, (r) => r.text);
    return ExitCode.ok;
  },
});

export const alertsCommand = defineCommand({
  name: 'alerts',
  summary: "Prometheus alerting rules for the gpuctl agent's series",
  examples: [['gpuctl alerts export --expect-gpus 8', 'the rules, for 8-GPU machines']],
  subcommands: [exportCommand],
});
