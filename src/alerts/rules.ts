/**
 * Prometheus alerting rules for the agent's series (dcgm-exporter names, see src/agent/metric-defs.ts),
 * as data and as a pure YAML renderer. Strings are written JSON-quoted (YAML is a superset of JSON), so
 * no value can break the file. Every GPU rule names the machine (Hostname) and GPU and points at a command;
 * the application's rules (app-rules.ts) name the scraped instance (and Fly region).
 */

import { CRITICAL_XIDS } from '../gpu/xid.js';
import { AGENT_METRIC, LAYOUT_AGENT_PORT } from '../shared/agent-metrics.js';
import { appRules, DEFAULT_APP_REQUESTS } from './app-rules.js';
import type { AlertRule, AlertThresholds } from './types.js';

export type { AlertRule, AlertThresholds } from './types.js';

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  layout: 'gpu',
  utilPct: 95,
  memoryPct: 90,
  tempWarnC: 80,
  tempFailC: 85,
  staleSeconds: 30,
  expectGpus: null,
  sustained: '5m',
  soon: '1m',
  appErrorPct: 5,
  appRequests: DEFAULT_APP_REQUESTS,
  appWindow: '5m',
  absentFor: '30m',
};

const ON = 'machine {{ $labels.Hostname }} GPU {{ $labels.gpu }}';
/** XIDs after which the GPU or its memory cannot be trusted (diag fails on them too). */
const CRITICAL = CRITICAL_XIDS.join('|');
/** Minutes after its last new event that a non-critical XID stops warning (the kernel log keeps it until a reboot). */
export const XID_WINDOW_MIN = 30;
const XID_NONCRITICAL = `gpuctl_gpu_xid_events{xid!~"${CRITICAL}"}`;
/** Utilisation above which the link must be at its maximum (an idle GPU lowers it on purpose). */
export const LINK_LOAD_PCT = 50;

/**
 * A diag verdict's age, from the agent's timestamp of the same GPU and run (the state file keeps a GPU's verdict until
 * that GPU is tested again, so a fail can be days old). An agent too old to export the timestamp: the text says so.
 */
const DIAG_AGE =
  `{{ with printf "time() - ${AGENT_METRIC.diagGpuAt}{Hostname=%q, UUID=%q, level=%q}" $labels.Hostname $labels.UUID $labels.level | query }}` +
  `, {{ . | first | value | humanizeDuration }} ago{{ else }} (its age unknown: the agent exports no ${AGENT_METRIC.diagGpuAt}){{ end }}`;

/** How long an agent's heartbeat is remembered: a machine whose agent was seen in this window and is not now is an agent down. */
export const AGENT_SEEN = '1d';
const AT_APP = '{{ if $labels.app }}, app {{ $labels.app }}{{ end }}{{ if $labels.region }}, region {{ $labels.region }}{{ end }}';

/**
 * Pure: an agent down entirely, per machine. The heartbeat is gpuctl_agent_sampler_up (every agent serves it, with
 * Hostname, whatever its sampler does): a machine whose heartbeat was seen in the last AGENT_SEEN and is not now,
 * while the machine is still there. "Still there" works in both places gpuctl's rules run: a Prometheus that
 * scrapes the agents has `up` 0 for the target; Fly's hosted Prometheus (VictoriaMetrics, queried by Grafana
 * alerting) documents no `up` for [metrics] scrapes, but `fly_instance_up` 1 while the VM reports, with the
 * same `instance` (the machine id, Fly's label on every series). A stopped or destroyed machine has neither.
 */
export function agentDownExpr(): string {
  const seen = `max by (app, instance, region, Hostname) (max_over_time(${AGENT_METRIC.samplerUp}[${AGENT_SEEN}]))`;
  return `(${seen} unless on (instance) ${AGENT_METRIC.samplerUp}) and on (instance) (up == 0 or fly_instance_up == 1)`;
}

/** Pure: the rules for these thresholds, in a stable order. */
export function alertRules(t: AlertThresholds): AlertRule[] {
  // A CPU layout: only the application's rules. Its agent ("cpu fallback") has no DCGM_FI_* series, and
  // its gpuctl_agent_sampler_up is 0 (no nvidia-smi to sample), so GpuctlSamplerStopped would fire forever.
  if (t.layout === 'cpu') return appRules(t);
  const util: AlertRule[] =
    t.utilPct === null
      ? []
      : [
          {
            alert: 'GpuctlGpuUtilisationHigh',
            expr: `DCGM_FI_DEV_GPU_UTIL > ${t.utilPct}`,
            for: t.sustained,
            severity: 'warning',
            summary: `GPU utilisation above ${t.utilPct}% for ${t.sustained}`,
            description: `On ${ON}, utilisation has stayed above ${t.utilPct}%: the app is GPU-bound; add machines or GPUs.`,
            runbook: 'gpuctl monitor --app <app> shows the live load; gpuctl scale adds machines.',
          },
        ];
  const rules: AlertRule[] = [
    ...util,
    {
      alert: 'GpuctlGpuMemoryHigh',
      expr: `100 * DCGM_FI_DEV_FB_USED / DCGM_FI_DEV_FB_TOTAL > ${t.memoryPct}`,
      for: t.sustained,
      severity: 'warning',
      summary: `GPU memory above ${t.memoryPct}%`,
      description: `On ${ON}, framebuffer memory use is above ${t.memoryPct}%: the next allocation may fail.`,
      runbook: 'gpuctl monitor --app <app> shows memory per GPU and process.',
    },
    {
      alert: 'GpuctlGpuTemperatureHigh',
      expr: `DCGM_FI_DEV_GPU_TEMP > ${t.tempWarnC}`,
      for: t.sustained,
      severity: 'warning',
      summary: `GPU above ${t.tempWarnC} C`,
      description: `On ${ON}, the GPU is above ${t.tempWarnC} C; /gpu-health fails above ${t.tempFailC} C.`,
      runbook: 'gpuctl monitor --app <app> shows temperature and clocks; gpuctl diag checks the GPU.',
    },
    {
      alert: 'GpuctlGpuTemperatureCritical',
      expr: `DCGM_FI_DEV_GPU_TEMP > ${t.tempFailC}`,
      for: t.soon,
      severity: 'critical',
      summary: `GPU above ${t.tempFailC} C: /gpu-health fails`,
      description: `On ${ON}, the GPU is above ${t.tempFailC} C, the limit at which /gpu-health answers 503.`,
      runbook: 'gpuctl diag on that machine; move the load off it (gpuctl scale).',
    },
    {
      alert: 'GpuctlSamplerStopped',
      // The age is -1 until a first sample: an agent whose nvidia-smi never printed one (hung on a bad GPU
      // before its first line) reads as up with a young age, and would never page.
      expr: `gpuctl_agent_last_sample_age_seconds > ${t.staleSeconds} or gpuctl_agent_last_sample_age_seconds < 0 or gpuctl_agent_sampler_up == 0`,
      for: t.soon,
      severity: 'critical',
      summary: 'The agent has no fresh GPU sample',
      description: `On machine {{ $labels.Hostname }} ({{ $labels.instance }}), nvidia-smi has not answered for over ${t.staleSeconds} s, has never answered, or is not running.`,
      runbook: `gpuctl monitor --app <app> shows the agent; curl :${LAYOUT_AGENT_PORT}/gpu-health on the machine (the port gpuctl init gives the agent) says why.`,
    },
    {
      alert: 'GpuctlAgentDown',
      expr: agentDownExpr(),
      for: t.sustained,
      severity: 'critical',
      summary: 'The gpuctl agent serves nothing on a machine that runs',
      description:
        `The gpuctl agent on machine {{ $labels.Hostname }} ({{ $labels.instance }}${AT_APP}) has served no series for ${t.sustained} ` +
        "while the machine runs (Fly's fly_instance_up is 1, or Prometheus's scrape of it fails: up 0): its GPUs are not " +
        'watched and no other gpuctl alert can fire for them. A machine stopped (autostop, scale down) or never seen with ' +
        `an agent is not this; one gone for over ${AGENT_SEEN} is forgotten.`,
      runbook:
        `gpuctl monitor --app <app> --agent http://<machine id>.vm.<app>.internal:${LAYOUT_AGENT_PORT} (on the private network; ${LAYOUT_AGENT_PORT}: the port gpuctl init gives the agent) says what the agent answers, or why nothing; ` +
        "gpuctl status -a <app> shows the machine; fly logs -a <app> shows the agent's last lines.",
    },
    {
      alert: 'GpuctlGpuUncorrectableEcc',
      expr: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL > 0',
      for: '0s',
      severity: 'critical',
      summary: 'Uncorrectable ECC errors on a GPU',
      description: `On ${ON}, uncorrectable (double-bit) ECC errors happened since boot.`,
      runbook: 'gpuctl diag on that machine; replace the machine if they recur.',
    },
    {
      alert: 'GpuctlGpuMemoryRepairPending',
      expr: 'gpuctl_gpu_pages_pending > 0 or DCGM_FI_DEV_ROW_REMAP_FAILURE > 0',
      for: '0s',
      severity: 'critical',
      summary: 'GPU memory pages or rows pending retirement, or a remap failed',
      description: `On ${ON}, memory repair is pending (needs a GPU reset) or failed.`,
      runbook: 'gpuctl diag on that machine; destroy and recreate the machine.',
    },
    {
      alert: 'GpuctlGpuThermalThrottling',
      expr: 'gpuctl_gpu_clock_throttled{reason=~"hw_thermal_slowdown|sw_thermal_slowdown|hw_power_brake_slowdown"} == 1',
      for: t.soon,
      severity: 'warning',
      summary: 'GPU clocks slowed by heat or power brake',
      description: `On ${ON}, clocks are held down ({{ $labels.reason }}).`,
      runbook: 'gpuctl monitor --app <app> shows clocks; gpuctl diag checks the GPU.',
    },
    {
      alert: 'GpuctlGpuPcieLinkDegraded',
      expr: `(DCGM_FI_DEV_PCIE_LINK_GEN < DCGM_FI_DEV_PCIE_MAX_LINK_GEN or DCGM_FI_DEV_PCIE_LINK_WIDTH < DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH) and DCGM_FI_DEV_GPU_UTIL > ${LINK_LOAD_PCT}`,
      for: t.soon,
      severity: 'warning',
      summary: 'PCIe link below its maximum under load',
      description: `On ${ON}, the PCIe link runs below its maximum generation or width while the GPU is over ${LINK_LOAD_PCT}% busy: host-device copies are slower than the hardware allows.`,
      runbook: 'gpuctl diag on that machine checks the link under load; nvidia-smi -q shows GPU Link Info.',
    },
    {
      alert: 'GpuctlGpuXidCritical',
      expr: `gpuctl_gpu_xid_events{xid=~"${CRITICAL}"} > 0`,
      for: '0s',
      severity: 'critical',
      summary: 'A GPU logged an XID that means it cannot be trusted',
      description: `On ${ON}, the kernel log holds XID {{ $labels.xid }} (memory, NVLink, GSP or fallen off the bus).`,
      runbook: 'gpuctl diag on that machine; destroy and recreate the machine (the XID stays in the log until it reboots).',
    },
    {
      alert: 'GpuctlGpuXid',
      // New events only: the kernel log keeps an XID until the machine reboots, and an application's fault
      // of last week must not warn forever (nor hide the next one behind an alert already firing). A code
      // whose count rose, or that appeared, within the window warns; the critical rule above never forgets.
      expr: `(${XID_NONCRITICAL} > 0 unless ${XID_NONCRITICAL} offset ${XID_WINDOW_MIN}m) or ${XID_NONCRITICAL} > ${XID_NONCRITICAL} offset ${XID_WINDOW_MIN}m`,
      for: '0s',
      severity: 'warning',
      summary: 'A GPU logged an XID error',
      description: `On ${ON}, the kernel log has a new XID {{ $labels.xid }} in the last ${XID_WINDOW_MIN} minutes (often an application fault such as 13, 31 or 43).`,
      runbook: "gpuctl monitor --app <app> and the application's log around that time; gpuctl diag if it recurs.",
    },
    {
      alert: 'GpuctlDiagFailed',
      expr: 'gpuctl_diag_result == 2',
      for: '0s',
      severity: 'critical',
      summary: 'The last gpuctl diag failed a GPU',
      description: `On ${ON}, the last gpuctl diag ({{ $labels.level }}) said fail${DIAG_AGE}.`,
      runbook: 'gpuctl diag on that machine shows what failed; replace the machine if it fails again.',
    },
  ];
  if (t.expectGpus !== null)
    rules.push({
      alert: 'GpuctlGpuMissing',
      expr: `(count by (instance, Hostname) (DCGM_FI_DEV_FB_TOTAL) or on (instance) (0 * group by (instance, Hostname) (gpuctl_agent_sampler_up))) < ${t.expectGpus}`,
      for: t.soon,
      severity: 'critical',
      summary: `Fewer than ${t.expectGpus} GPUs reporting`,
      description: `Machine {{ $labels.Hostname }} ({{ $labels.instance }}) reports fewer than ${t.expectGpus} GPUs.`,
      runbook: 'gpuctl diag on that machine; nvidia-smi -L lists what the driver sees.',
    });
  return [...rules, ...appRules(t)];
}

const q = (s: string) => JSON.stringify(s);

/** Pure: a Prometheus rule file (one group). */
export function renderAlertRules(t: AlertThresholds, group = 'gpuctl'): string {
  const lines = [
    t.layout === 'cpu'
      ? "# Generated by gpuctl: alerting rules for a CPU layout, from the application's request counter (docs/alerts.md)."
      : "# Generated by gpuctl: alerting rules for the gpuctl agent's series (docs/alerts.md).",
    'groups:',
    `  - name: ${q(group)}`,
    '    rules:',
  ];
  for (const r of alertRules(t))
    lines.push(
      `      - alert: ${r.alert}`,
      `        expr: ${q(r.expr)}`,
      `        for: ${r.for}`,
      '        labels:',
      `          severity: ${r.severity}`,
      '        annotations:',
      `          summary: ${q(r.summary)}`,
      `          description: ${q(r.description)}`,
      `          runbook: ${q(r.runbook)}`,
    );
  return `${lines.join('\n')}\n`;
}
