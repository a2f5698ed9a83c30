/**
 * The application's error rate, from the application's own request counter (the agent never sees a
 * request: Fly's proxy hands them to the application's port). The counter is the conventional one:
 * `http_requests_total` (client_golang's promhttp handlers, as Prometheus's own; prometheus-fastapi-instrumentator
 * and so vLLM), its status in a `code` or a `status` label, "500" or
 * "5xx" (both match `5..`). Another counter (Fly's proxy `fly_app_http_responses_count`, Micrometer's
 * `http_server_requests_seconds_count`) is a flag. With no such series nothing fires on the rate (no
 * data is not an error); an info rule says the rate cannot be watched. These are the only rules a CPU
 * layout gets (rules.ts), so they read no GPU series. Pure; see docs/alerts.md.
 */
import type { AlertRule, AlertThresholds, AppRequests } from './types.js';

export type { AppRequests } from './types.js';

export const DEFAULT_APP_REQUESTS: AppRequests = { metric: 'http_requests_total', statusLabels: ['code', 'status'], job: 'app' };
/** A Prometheus metric name and a label name (checked before they go into PromQL). */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** A scrape job name gpuctl puts into a PromQL string (Prometheus allows any; these need no escaping). */
export const JOB_NAME = /^[\w.:-]+$/;

/** The labels the rate is kept by: the scrape's instance, and Fly's app and region where the series has them. */
const BY = 'app, instance, region';

/**
 * Pure: PromQL for the percentage of the application's requests answered 5xx over `window`, per machine.
 * An instance with requests and no 5xx series yet (a labelled counter has none before its first 5xx)
 * reads 0, not nothing; an instance without requests has no value (0/0 is not a rate).
 */
export function appErrorPctExpr(app: AppRequests, window: string): string {
  const errors = app.statusLabels.map((l) => `rate(${app.metric}{${l}=~"5.."}[${window}])`).join(' or ');
  const total = `sum by (${BY}) (rate(${app.metric}[${window}]))`;
  return `100 * (sum by (${BY}) (${errors}) or 0 * ${total}) / ${total}`;
}

/**
 * Pure: "this Prometheus scrapes the application's machines" — a gpuctl agent (a GPU layout's, or a CPU
 * layout's in "cpu fallback": both export gpuctl_agent_info), or any target of the application's own
 * scrape job, answering or not (`up` exists for every target; an application without /metrics reads 0).
 * The job matters where the agent is not scraped (GPUCTL_AGENT=off, or a Prometheus that scrapes only
 * the application): the absence would otherwise go unsaid.
 */
export function appScrapedExpr(app: AppRequests): string {
  return `count(gpuctl_agent_info) or count(up{job=${JSON.stringify(app.job)}})`;
}

const LOG = "The application's log around that time (fly logs -a <app>) shows the failing requests; ";
const GPU_RUNBOOK = `${LOG}gpuctl monitor --app <app> shows whether that machine is saturated; gpuctl diag there if they are CUDA errors.`;
/** A CPU layout: no GPU for `gpuctl diag` to test, no DCGM series for `monitor --app` to show; the agent's host series are there. */
const CPU_RUNBOOK =
  `${LOG}gpuctl status -a <app> shows each machine's state and checks; the agent's gpuctl_host_cpu_busy_ratio and ` +
  'gpuctl_host_load1 show whether that machine is saturated.';

const WHERE = '{{ $labels.instance }}{{ if $labels.region }} in region {{ $labels.region }}{{ end }}';

/** Pure: the error-rate rule and the info rule that says it has no series (none with `appRequests: null`). */
export function appRules(t: AlertThresholds): AlertRule[] {
  const app = t.appRequests;
  if (app === null) return [];
  return [
    {
      alert: 'GpuctlAppErrorRateHigh',
      expr: `${appErrorPctExpr(app, t.appWindow)} > ${t.appErrorPct}`,
      for: t.sustained,
      severity: 'warning',
      summary: `Application error rate above ${t.appErrorPct}% for ${t.sustained}`,
      description:
        `On ${WHERE}, {{ printf "%.1f" $value }}% of the application's requests (${app.metric}) ` +
        `answered 5xx over the last ${t.appWindow}, above ${t.appErrorPct}%.`,
      runbook: t.layout === 'cpu' ? CPU_RUNBOOK : GPU_RUNBOOK,
    },
    {
      alert: 'GpuctlAppRequestsAbsent',
      expr: `absent(${app.metric}) and on () (${appScrapedExpr(app)})`,
      for: t.absentFor,
      severity: 'info',
      summary: `No ${app.metric} series: the application's error rate is not watched`,
      description:
        `The application's machines are scraped (its gpuctl agents, or its scrape job ${app.job}), but this Prometheus holds no ${app.metric}, ` +
        'so GpuctlAppErrorRateHigh cannot fire. ' +
        "Export the application's request counter and scrape it (docs/alerts.md), or regenerate the rules with " +
        'another --app-requests-metric, or with --app-requests-metric none to drop both rules.',
      runbook: 'gpuctl alerts export --app-requests-metric <name> prints rules for the counter your application exports.',
    },
  ];
}
