/**
 * A Grafana dashboard (its JSON model, schemaVersion 39) for the agent's series, generated beside the
 * alerting rules from the same thresholds: the threshold lines on the panels are the rules' thresholds.
 * Pure. The GPU queries filter on the `$Hostname` variable (All is `.*`); the agent's own series carry no
 * Hostname and show per `instance`. Every query reads the `$datasource` variable, so the file imports
 * into any Grafana with a Prometheus data source without editing.
 */
import { appErrorPctExpr } from './app-rules.js';
import type { AlertThresholds } from './rules.js';
import { jsonText } from '../ui/output.js';

export interface PanelSpec {
  title: string;
  unit: string;
  /** PromQL; `$h` is replaced with the Hostname matcher. */
  queries: Array<{ expr: string; legend: string }>;
  /** Threshold steps (orange, then red) drawn on the panel. */
  steps?: [number, number] | [number];
  description: string;
}

const G = '{{Hostname}} GPU {{gpu}}';

/** Pure: the panels, in order, for these thresholds. */
export function dashboardPanels(t: AlertThresholds): PanelSpec[] {
  const app: PanelSpec[] =
    t.appRequests === null
      ? []
      : [
          {
            title: 'Application requests answered 5xx',
            unit: 'percent',
            queries: [{ expr: appErrorPctExpr(t.appRequests, t.appWindow), legend: '{{instance}} {{region}}' }],
            steps: [t.appErrorPct],
            description:
              `The application's own ${t.appRequests.metric} (5xx share over ${t.appWindow}, per machine; GpuctlAppErrorRateHigh). ` +
              'Empty when the application exports no such counter (GpuctlAppRequestsAbsent).',
          },
        ];
  return [
    {
      title: 'GPU utilisation',
      unit: 'percent',
      queries: [{ expr: 'DCGM_FI_DEV_GPU_UTIL{$h}', legend: G }],
      ...(t.utilPct === null ? {} : { steps: [t.utilPct] as [number] }),
      description: 'nvidia-smi utilization.gpu: share of time a kernel ran.',
    },
    {
      title: 'GPU memory used',
      unit: 'percent',
      queries: [{ expr: '100 * DCGM_FI_DEV_FB_USED{$h} / DCGM_FI_DEV_FB_TOTAL{$h}', legend: G }],
      steps: [t.memoryPct],
      description: 'Framebuffer memory used over total.',
    },
    {
      title: 'GPU temperature',
      unit: 'celsius',
      queries: [{ expr: 'DCGM_FI_DEV_GPU_TEMP{$h}', legend: G }],
      steps: [t.tempWarnC, t.tempFailC],
      description: `Warning above ${t.tempWarnC} C; /gpu-health fails above ${t.tempFailC} C.`,
    },
    {
      title: 'Power draw and limit',
      unit: 'watt',
      queries: [
        { expr: 'DCGM_FI_DEV_POWER_USAGE{$h}', legend: `${G} draw` },
        { expr: 'DCGM_FI_DEV_POWER_MGMT_LIMIT{$h}', legend: `${G} limit` },
      ],
      description: 'A draw at the limit under load is the SW power cap: normal.',
    },
    {
      title: 'SM clock and its maximum',
      unit: 'rotmhz',
      queries: [
        { expr: 'DCGM_FI_DEV_SM_CLOCK{$h}', legend: G },
        { expr: 'gpuctl_gpu_max_sm_clock_mhz{$h}', legend: `${G} max` },
      ],
      description: 'Clocks held below the maximum under load: see the clock-event reasons.',
    },
    {
      title: 'Clock-event (throttle) reasons active',
      unit: 'none',
      queries: [{ expr: 'gpuctl_gpu_clock_throttled{$h} == 1', legend: `${G} {{reason}}` }],
      description: 'One line per active reason; the thermal and power-brake ones page (GpuctlGpuThermalThrottling).',
    },
    {
      title: 'PCIe link generation and width',
      unit: 'none',
      queries: [
        { expr: 'DCGM_FI_DEV_PCIE_LINK_GEN{$h}', legend: `${G} gen` },
        { expr: 'DCGM_FI_DEV_PCIE_MAX_LINK_GEN{$h}', legend: `${G} max gen` },
        { expr: 'DCGM_FI_DEV_PCIE_LINK_WIDTH{$h}', legend: `${G} width` },
        { expr: 'DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH{$h}', legend: `${G} max width` },
      ],
      description: 'An idle GPU lowers its link; below the maximum under load is a fault (GpuctlGpuPcieLinkDegraded).',
    },
    {
      title: 'Memory errors and repair',
      unit: 'none',
      queries: [
        { expr: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL{$h}', legend: `${G} uncorrectable ECC` },
        { expr: 'gpuctl_gpu_pages_pending{$h}', legend: `${G} repair pending` },
      ],
      steps: [1],
      description: 'Uncorrectable ECC errors since boot and pending page retirement or row remapping.',
    },
    {
      title: 'XID events in the kernel log',
      unit: 'none',
      queries: [
        { expr: 'gpuctl_gpu_xid_events{$h}', legend: `${G} XID {{xid}}` },
        { expr: 'gpuctl_agent_kernel_log_readable', legend: '{{instance}} log readable' },
      ],
      description: 'No XID series when the kernel log is not readable (log readable = 0).',
    },
    {
      title: 'Last gpuctl diag verdict (0 pass, 1 warn, 2 fail)',
      unit: 'none',
      queries: [{ expr: 'gpuctl_diag_result{$h}', legend: `${G} {{level}}` }],
      steps: [1, 2],
      description: 'Written by gpuctl diag on the machine; none until it ran there.',
    },
    {
      title: 'Agent sampling',
      unit: 's',
      queries: [
        { expr: 'gpuctl_agent_last_sample_age_seconds', legend: '{{instance}} sample age' },
        { expr: 'gpuctl_agent_sampler_up', legend: '{{instance}} sampler up' },
      ],
      steps: [t.staleSeconds],
      description: `A sample older than ${t.staleSeconds} s or a sampler down pages (GpuctlSamplerStopped).`,
    },
    {
      title: 'Host CPU busy',
      unit: 'percentunit',
      queries: [{ expr: 'gpuctl_host_cpu_busy_ratio', legend: '{{instance}}' }],
      description: 'All CPUs of the machine: a GPU app starved by its data loading shows here.',
    },
    ...app,
    {
      title: 'gpuctl alerts firing',
      unit: 'none',
      queries: [{ expr: 'ALERTS{alertstate="firing", alertname=~"Gpuctl.*", $h}', legend: '{{alertname}} {{Hostname}} {{gpu}}' }],
      description: 'The rules of prometheus/gpuctl-alerts.yml, when this Prometheus evaluates them.',
    },
  ];
}

/** The PromQL a panel sends, with the Hostname matcher Grafana substitutes for `$Hostname`. */
export function panelExprs(panel: PanelSpec, hostnames = '$Hostname'): string[] {
  return panel.queries.map((q) => q.expr.replaceAll('$h', `Hostname=~"${hostnames}"`));
}

const ds = { type: 'prometheus', uid: '${datasource}' };

/** Pure: the dashboard's JSON text (two panels per row, 8 units high). */
export function renderDashboard(t: AlertThresholds): string {
  const panels = dashboardPanels(t).map((p, i) => ({
    id: i + 1,
    type: 'timeseries',
    title: p.title,
    description: p.description,
    datasource: ds,
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    fieldConfig: {
      defaults: {
        unit: p.unit,
        thresholds: {
          mode: 'absolute',
          steps: [{ color: 'green', value: null }, ...(p.steps ?? []).map((value, k) => ({ color: k === 0 ? 'orange' : 'red', value }))],
        },
        custom: { thresholdsStyle: { mode: p.steps ? 'line' : 'off' } },
      },
      overrides: [],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    targets: panelExprs(p).map((expr, k) => ({
      refId: String.fromCharCode(65 + k),
      datasource: ds,
      expr,
      legendFormat: p.queries[k]!.legend,
    })),
  }));
  const dashboard = {
    title: 'gpuctl: GPUs',
    uid: 'gpuctl-gpus',
    description: "The gpuctl agent's series (docs/alerts.md). Generated by gpuctl; regenerate rather than edit.",
    tags: ['gpuctl', 'gpu'],
    editable: true,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus' },
        {
          name: 'Hostname',
          label: 'Machine',
          type: 'query',
          datasource: ds,
          query: { query: 'label_values(DCGM_FI_DEV_FB_TOTAL, Hostname)', refId: 'Hostname' },
          definition: 'label_values(DCGM_FI_DEV_FB_TOTAL, Hostname)',
          refresh: 2,
          multi: true,
          includeAll: true,
          allValue: '.*',
          current: { text: 'All', value: '$__all' },
        },
      ],
    },
    annotations: { list: [] },
    panels,
  };
  return jsonText(dashboard);
}
