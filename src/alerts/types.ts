/**
 * The alert rules' types, shared by the GPU rules (rules.ts) and the application's (app-rules.ts); both
 * re-export what their callers use.
 */

/** The application's counter of HTTP requests; null: no application rules. */
export interface AppRequests {
  /** Metric name, e.g. http_requests_total. */
  metric: string;
  /** Labels that may hold the response status (a series carries one of them). */
  statusLabels: readonly string[];
  /** The scrape job of the application's /metrics (docs/alerts.md's snippet: `app`): its `up` says the application is scraped. */
  job: string;
}

export interface AlertThresholds {
  /**
   * `gpu`: every rule; `cpu` (a CPU layout: `gpuctl init --vm-size`): the application's rules only. A CPU
   * layout's agent runs in "cpu fallback": no DCGM_FI_* series for the GPU rules to read, and
   * gpuctl_agent_sampler_up 0, so GpuctlSamplerStopped would fire forever.
   */
  layout: 'gpu' | 'cpu';
  /** null: no utilisation rule (a batch or training job is meant to keep the GPU busy). */
  utilPct: number | null;
  memoryPct: number;
  tempWarnC: number;
  /** /gpu-health's limit (GPUCTL_AGENT_MAX_TEMP_C, default 85). */
  tempFailC: number;
  /** Seconds without a sample before the sampler counts as stopped. */
  staleSeconds: number;
  /** GPUs each machine must show; null: no missing-GPU rule. */
  expectGpus: number | null;
  /** `for:` of the sustained rules (5m in production; tests use seconds). */
  sustained: string;
  /** `for:` of the rules that fire soon. */
  soon: string;
  /** Percentage of the application's requests answered 5xx above which GpuctlAppErrorRateHigh fires. */
  appErrorPct: number;
  /** The application's request counter (src/alerts/app-rules.ts); null: no application rules. */
  appRequests: AppRequests | null;
  /** The window the application's error rate is taken over. */
  appWindow: string;
  /** `for:` of the info rule that says the application's counter is absent. */
  absentFor: string;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  /** critical pages, warning tickets, info only shows (in /api/v1/alerts, the dashboard). */
  severity: 'info' | 'warning' | 'critical';
  summary: string;
  description: string;
  runbook: string;
}

/* The promtool rule tests' cases (promtool-cases.ts, promtool-agent-down.ts; rendered by promtool-tests.ts). */

export type Labels = Record<string, string>;
/**
 * `name{labels}` and its value: a number held constant, promtool's `start+step` for a counter (`0+6`: 6 more a
 * minute), or one sample `first` and then `then` held (`stale`: the staleness marker Prometheus writes when a
 * scrape fails, and no sample after it).
 */
export type Series = [string, Labels, number | string | { first: number; then: number | 'stale' }];
/** An alert expected: its labels (besides alertname and severity) and `$value` where the rule's annotations print it. */
export interface Fire {
  labels: Labels;
  value?: number;
  /** The age a rule's annotation queries and prints with humanizeDuration ("3h 2m 0s"); absent: its query finds no series. */
  age?: string;
}
export interface Case {
  /** Series for the firing GPU / machine and for the quiet one. */
  series: Series[];
  /** The alert expected (its labels), or each of several. */
  fires: Labels | Fire[];
  /** Further inputs under which the rule must stay quiet (e.g. no data at all). */
  quiet?: Series[][];
  /** Further inputs under which the same alerts must fire. */
  alsoFiring?: Series[][];
  /** Inputs under which the rule must be quiet at `atMin` minutes (a window passed), not at the usual time. */
  quietLater?: { atMin: number; series: Series[] };
}
