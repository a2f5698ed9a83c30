/**
 * The inputs and expected alerts of the promtool rule tests (promtool-tests.ts renders them): per rule,
 * one GPU or machine over the threshold that must fire and one under it that must not; for the
 * application's rules also no data at all, which must stay quiet. Pure data.
 */
import { XID_WINDOW_MIN, type AlertThresholds } from './rules.js';
import type { Case, Labels, Series } from './types.js';
import { agentDownCase } from './promtool-agent-down.js';

export type { Case, Fire, Labels, Series } from './types.js';

const M = { Hostname: 'm-hot', instance: '10.0.0.1:9400', job: 'gpuctl' };
const Q = { Hostname: 'm-cool', instance: '10.0.0.2:9400', job: 'gpuctl' };
const g = (machine: Labels, gpu: string): Labels => ({ ...machine, gpu, UUID: `GPU-${machine.Hostname}-${gpu}` });

/** Pure: the cases of every rule alertRules() can render for these thresholds. */
export function cases(t: AlertThresholds): Record<string, Case> {
  const hot = g(M, '0');
  const cool = g(Q, '1');
  const old = g({ Hostname: 'm-old', instance: '10.0.0.3:9400', job: 'gpuctl' }, '0');
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
        ['DCGM_FI_DEV_FB_USED', hot, t.memoryPct + 1],
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
      // Never a sample since the agent started (-1), while an nvidia-smi runs that prints nothing (a GPU
      // that hangs it before its first line): the age never passes the limit, the sampler reads as up.
      alsoFiring: [
        [
          ['gpuctl_agent_last_sample_age_seconds', M, -1],
          ['gpuctl_agent_sampler_up', M, 1],
          ['gpuctl_agent_last_sample_age_seconds', Q, 0.5],
          ['gpuctl_agent_sampler_up', Q, 1],
        ],
      ],
    },
    GpuctlAgentDown: agentDownCase(M, Q),
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
      // A new event of a code already in the log (its count rises) fires again.
      alsoFiring: [[['gpuctl_gpu_xid_events', { ...hot, xid: '13' }, '1+1']]],
      // The same two XID 13 events, long past: the application's old fault is not a warning forever.
      quietLater: { atMin: XID_WINDOW_MIN + 5, series: [['gpuctl_gpu_xid_events', { ...hot, xid: '13' }, 2]] },
    },
    // The hot GPU failed three hours before the test starts (its timestamp is -3 h; promtool's clock starts at 0), so at
    // the evaluation (2m) the verdict is 3h 2m old. A third machine's agent predates the timestamp series: the alert
    // fires all the same and says the age is unknown.
    GpuctlDiagFailed: {
      series: [
        ['gpuctl_diag_result', { ...hot, level: 'quick' }, 2],
        ['gpuctl_diag_gpu_timestamp_seconds', { ...hot, level: 'quick' }, -3 * 3600],
        ['gpuctl_diag_result', { ...cool, level: 'quick' }, 1],
        ['gpuctl_diag_gpu_timestamp_seconds', { ...cool, level: 'quick' }, 0],
        ['gpuctl_diag_result', { ...old, level: 'full' }, 2],
      ],
      fires: [{ labels: { ...hot, level: 'quick' }, age: '3h 2m 0s' }, { labels: { ...old, level: 'full' } }],
    },
    // M reports one GPU fewer than expected (none at --expect-gpus 1: only its heartbeat), Q all of them. M held one
    // GPU whatever the count, so at --expect-gpus 1 the case expected an alert for a machine that lacked nothing.
    GpuctlGpuMissing: {
      series: [
        ...Array.from({ length: Math.max(0, (t.expectGpus ?? 0) - 1) }, (_, i): Series => ['DCGM_FI_DEV_FB_TOTAL', g(M, String(i)), 100]),
        ['gpuctl_agent_sampler_up', M, 1],
        ...Array.from({ length: t.expectGpus ?? 0 }, (_, i): Series => ['DCGM_FI_DEV_FB_TOTAL', g(Q, String(i)), 100]),
        ['gpuctl_agent_sampler_up', Q, 1],
      ],
      fires: { Hostname: M.Hostname, instance: M.instance },
    },
    ...appCases(t),
  };
}

/**
 * The application's rules: one machine above the error threshold on a `code` label, one on an
 * instrumentator-style `status="5xx"` without a Fly region (the first and last status labels), one under it whose 404s are not errors; and
 * with no request counter at all, only the info rule fires.
 */
function appCases(t: AlertThresholds): Record<string, Case> {
  const m = t.appRequests?.metric ?? 'http_requests_total';
  // The first status label as "500" (client_golang, prom-client), the last as "5xx" (prometheus-fastapi-instrumentator).
  const code = t.appRequests?.statusLabels[0] ?? 'code';
  const status = t.appRequests?.statusLabels.at(-1) ?? 'status';
  // The agent of either layout; a CPU layout's runs in "cpu fallback" (no Hostname: it has no GPU to name it by).
  const agent: Series =
    t.layout === 'cpu'
      ? ['gpuctl_agent_info', { instance: '10.0.0.1:9400', job: 'gpuctl', version: '1.0.0', mode: 'cpu fallback' }, 1]
      : ['gpuctl_agent_info', { ...M, version: '1.0.0', mode: 'gpu' }, 1];
  const job = t.appRequests?.job ?? 'app';
  // The application's targets: scraped (1) or without a /metrics to scrape (0); another application's job.
  const upApp: Series = ['up', { instance: 'fdaa::1:8000', job }, 0];
  const upOther: Series = ['up', { instance: 'fdaa::9:8000', job: `${job}-other` }, 1];
  const hot = { app: 'infer', instance: 'fdaa::1:8000', region: 'ord', job: 'app' };
  const warm = { app: 'infer', instance: 'fdaa::2:8000', job: 'app' };
  const cool = { app: 'infer', instance: 'fdaa::3:8000', region: 'ams', job: 'app' };
  // Percentages of 5xx (requests a minute out of 100): over the threshold, further over, under it.
  const over = Math.min(t.appErrorPct + 1, (t.appErrorPct + 100) / 2);
  const far = Math.min(2 * over, (over + 100) / 2);
  const under = Math.max(0, t.appErrorPct - 1);
  const at = (labels: Labels) => ({ app: labels.app!, instance: labels.instance!, ...(labels.region ? { region: labels.region } : {}) });
  return {
    GpuctlAppErrorRateHigh: {
      series: [
        agent,
        [m, { ...hot, [code]: '200', method: 'POST' }, `0+${100 - over}`],
        [m, { ...hot, [code]: '500', method: 'POST' }, `0+${over}`],
        [m, { ...warm, [status]: '2xx', handler: '/v1/completions' }, `0+${100 - far}`],
        [m, { ...warm, [status]: '5xx', handler: '/v1/completions' }, `0+${far}`],
        [m, { ...cool, [code]: '200', method: 'POST' }, `0+${100 - under}`],
        [m, { ...cool, [code]: '503', method: 'POST' }, `0+${under}`],
        // Client errors are not the application's: 404s must not count.
        [m, { ...cool, [code]: '404', method: 'GET' }, '0+50'],
      ],
      fires: [
        { labels: at(hot), value: over },
        { labels: at(warm), value: far },
      ],
      // No request counter (the application exports nothing), and a counter with no requests: no rate, no alert.
      quiet: [[agent], [agent, [m, { ...cool, [code]: '200', method: 'GET' }, 0]]],
    },
    // Fires when the application's machines are scraped (its agent, or its own job's targets) and no counter is
    // there; quiet with the counter, with nothing scraped at all (no data), and when only another job is scraped.
    GpuctlAppRequestsAbsent: {
      series: [agent],
      fires: {},
      alsoFiring: [[upApp], [['up', upApp[1], 1]]],
      quiet: [
        [agent, [m, { ...cool, [code]: '200', method: 'GET' }, '0+10']],
        [],
        [upOther],
        [upApp, [m, { ...cool, [code]: '200' }, '0+10']],
      ],
    },
  };
}
