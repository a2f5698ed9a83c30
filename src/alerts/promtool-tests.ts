/**
 * A promtool rule-test file (`promtool test rules`) for alertRules(): per rule, one GPU over the threshold
 * that must fire and one under it that must not, with the annotations expanded as Prometheus expands them.
 * Pure; the rules' templates use only `{{ $labels.X }}`, expanded here the same way.
 */
import { alertRules, type AlertRule, type AlertThresholds } from './rules.js';

type Labels = Record<string, string>;
interface Case {
  /** Series for the firing GPU / machine and for the quiet one, as `name{labels}` → value. */
  series: Array<[string, Labels, number]>;
  /** Labels of the one alert expected (besides alertname and severity). */
  fires: Labels;
}

const M = { Hostname: 'm-hot', instance: '10.0.0.1:9400', job: 'gpuctl' };
const Q = { Hostname: 'm-cool', instance: '10.0.0.2:9400', job: 'gpuctl' };
const g = (machine: Labels, gpu: string): Labels => ({ ...machine, gpu, UUID: `GPU-${machine.Hostname}-${gpu}` });

function cases(t: AlertThresholds): Record<string, Case> {
  const hot = g(M, '0');
  const cool = g(Q, '1');
  const throttled = { ...hot, reason: 'hw_thermal_slowdown' };
  return {
    GpuctlGpuUtilisationHigh: {
      series: [
        ['DCGM_FI_DEV_GPU_UTIL', hot, (t.utilPct ?? 0) + 1],
        ['DCGM_FI_DEV_GPU_UTIL', cool, t.utilPct ?? 0],
      ],
      fires: hot,
    },
    GpuctlGpuMemoryHigh: {
      series: [
        ['DCGM_FI_DEV_FB_USED', hot, 95],
        ['DCGM_FI_DEV_FB_TOTAL', hot, 100],
        ['DCGM_FI_DEV_FB_USED', cool, t.memoryPct],
        ['DCGM_FI_DEV_FB_TOTAL', cool, 100],
      ],
      fires: hot,
    },
    GpuctlGpuTemperatureHigh: {
      series: [
        ['DCGM_FI_DEV_GPU_TEMP', hot, t.tempWarnC + 1],
        ['DCGM_FI_DEV_GPU_TEMP', cool, t.tempWarnC],
      ],
      fires: hot,
    },
    GpuctlGpuTemperatureCritical: {
      series: [
        ['DCGM_FI_DEV_GPU_TEMP', hot, t.tempFailC + 1],
        ['DCGM_FI_DEV_GPU_TEMP', cool, t.tempFailC],
      ],
      fires: hot,
    },
    GpuctlSamplerStopped: {
      series: [
        ['gpuctl_agent_last_sample_age_seconds', M, t.staleSeconds + 1],
        ['gpuctl_agent_sampler_up', M, 1],
        ['gpuctl_agent_last_sample_age_seconds', Q, 0.5],
        ['gpuctl_agent_sampler_up', Q, 1],
      ],
      fires: M,
    },
    GpuctlGpuUncorrectableEcc: {
      series: [
        ['DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', hot, 2],
        ['DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', cool, 0],
      ],
      fires: hot,
    },
    GpuctlGpuMemoryRepairPending: {
      series: [
        ['gpuctl_gpu_pages_pending', hot, 1],
        ['gpuctl_gpu_pages_pending', cool, 0],
        ['DCGM_FI_DEV_ROW_REMAP_FAILURE', cool, 0],
      ],
      fires: hot,
    },
    GpuctlGpuThermalThrottling: {
      series: [
        ['gpuctl_gpu_clock_throttled', throttled, 1],
        ['gpuctl_gpu_clock_throttled', { ...cool, reason: 'hw_thermal_slowdown' }, 0],
      ],
      fires: throttled,
    },
    GpuctlGpuPcieLinkDegraded: {
      series: [
        ['DCGM_FI_DEV_PCIE_LINK_GEN', hot, 4],
        ['DCGM_FI_DEV_PCIE_MAX_LINK_GEN', hot, 5],
        ['DCGM_FI_DEV_PCIE_LINK_WIDTH', hot, 16],
        ['DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH', hot, 16],
        ['DCGM_FI_DEV_GPU_UTIL', hot, 99],
        // Idle with a lowered link: the power saving every GPU does, not a fault.
        ['DCGM_FI_DEV_PCIE_LINK_GEN', cool, 1],
        ['DCGM_FI_DEV_PCIE_MAX_LINK_GEN', cool, 5],
        ['DCGM_FI_DEV_PCIE_LINK_WIDTH', cool, 16],
        ['DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH', cool, 16],
        ['DCGM_FI_DEV_GPU_UTIL', cool, 0],
      ],
      fires: hot,
    },
    GpuctlGpuXidCritical: {
      series: [
        ['gpuctl_gpu_xid_events', { ...hot, xid: '79' }, 1],
        ['gpuctl_gpu_xid_events', { ...cool, xid: '13' }, 3],
      ],
      fires: { ...hot, xid: '79' },
    },
    GpuctlGpuXid: {
      series: [
        ['gpuctl_gpu_xid_events', { ...hot, xid: '13' }, 2],
        ['gpuctl_gpu_xid_events', { ...cool, xid: '79' }, 1],
      ],
      fires: { ...hot, xid: '13' },
    },
    GpuctlDiagFailed: {
      series: [
        ['gpuctl_diag_result', { ...hot, level: 'quick' }, 2],
        ['gpuctl_diag_result', { ...cool, level: 'quick' }, 1],
      ],
      fires: { ...hot, level: 'quick' },
    },
    GpuctlGpuMissing: {
      series: [
        ['DCGM_FI_DEV_FB_TOTAL', hot, 100],
        ['gpuctl_agent_sampler_up', M, 1],
        ...Array.from({ length: t.expectGpus ?? 0 }, (_, i): [string, Labels, number] => ['DCGM_FI_DEV_FB_TOTAL', g(Q, String(i)), 100]),
        ['gpuctl_agent_sampler_up', Q, 1],
      ],
      fires: { Hostname: M.Hostname, instance: M.instance },
    },
  };
}

const expand = (template: string, labels: Labels) => template.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, k: string) => labels[k] ?? '');
const q = (s: string) => JSON.stringify(s);
const seriesText = (name: string, labels: Labels) =>
  `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}=${q(v)}`)
    .join(', ')}}`;
const minutes = (d: string) => (d.endsWith('m') ? Number(d.slice(0, -1)) : Number.parseInt(d, 10) / 60);

/** Pure: the test file for `rules` (the file's name as promtool will see it, relative to the test file). */
export function renderPromtoolTests(t: AlertThresholds, rulesFile: string): string {
  const all = cases(t);
  const lines = [
    '# Generated by gpuctl: one firing and one quiet case per alerting rule (promtool test rules).',
    `rule_files:`,
    `  - ${q(rulesFile)}`,
    'evaluation_interval: 1m',
    'tests:',
  ];
  for (const rule of alertRules(t)) {
    const c = all[rule.alert];
    if (c === undefined) throw new Error(`no promtool case for ${rule.alert}`);
    const evalMin = Math.ceil(minutes(rule.for)) + 2;
    lines.push('  - interval: 1m', '    input_series:');
    for (const [name, labels, value] of c.series)
      lines.push(`      - series: ${q(seriesText(name, labels))}`, `        values: ${q(`${value}x${evalMin + 5}`)}`);
    lines.push('    alert_rule_test:');
    // Before its `for:` has passed, a rule is pending, not firing.
    if (minutes(rule.for) >= 1)
      lines.push(`      - eval_time: ${Math.floor(minutes(rule.for)) - 1}m`, `        alertname: ${rule.alert}`, '        exp_alerts: []');
    lines.push(`      - eval_time: ${evalMin}m`, `        alertname: ${rule.alert}`, '        exp_alerts:', '          - exp_labels:');
    for (const [k, v] of Object.entries({ ...c.fires, severity: rule.severity })) lines.push(`              ${k}: ${q(v)}`);
    lines.push('            exp_annotations:', ...annotations(rule, c.fires));
  }
  return `${lines.join('\n')}\n`;
}

function annotations(rule: AlertRule, labels: Labels): string[] {
  return (['summary', 'description', 'runbook'] as const).map((k) => `              ${k}: ${q(expand(rule[k], labels))}`);
}
