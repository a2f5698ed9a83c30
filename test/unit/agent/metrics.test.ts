import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseXids } from '../../../src/gpu/xid.js';
import { HostMeter } from '../../../src/agent/host.js';
import { GPU_METRICS } from '../../../src/agent/metric-defs.js';
import { createAgentMetrics } from '../../../src/agent/metrics.js';
import { cachedFor } from '../../../src/agent/run.js';
import type { SamplerState } from '../../../src/agent/sampler.js';
import { sampledState } from '../../helpers/agent-state.js';
import { parseMetrics, seriesValue } from '../../helpers/prometheus.js';

const NOW = 1_800_000_000_000;
const LINE: Record<string, string> = {
  index: '0',
  uuid: 'GPU-b42dd28e',
  name: 'NVIDIA H100 80GB HBM3',
  'pci.bus_id': '00000000:18:00.0',
  'utilization.gpu': '87',
  'memory.used': '40000',
  'memory.free': '41559',
  'temperature.gpu': '61',
  'power.draw': '512.5',
  'clocks.sm': '1980',
  'clocks_throttle_reasons.sw_power_cap': 'Active',
  'ecc.errors.uncorrected.volatile.total': '0',
};

function stateWith(line: Record<string, string>, restarts = 0): SamplerState {
  return sampledState(line, NOW, { ageMs: 1500, restarts });
}

describe('agent metrics', () => {
  it('uses dcgm-exporter names, types, units and labels, read back by a Prometheus parser', async () => {
    const m = createAgentMetrics('machine-1', new HostMeter(), '0.1.0', () => 'gpu');
    m.update(stateWith(LINE), NOW, true);
    const families = parseMetrics(await m.registry.metrics());
    const labels = {
      gpu: '0',
      UUID: 'GPU-b42dd28e',
      device: 'nvidia0',
      modelName: 'NVIDIA H100 80GB HBM3',
      Hostname: 'machine-1',
      pci_bus_id: '00000000:18:00.0',
    };
    expect(families.get('DCGM_FI_DEV_GPU_UTIL')?.metrics[0]?.labels).toEqual(labels);
    expect(families.get('DCGM_FI_DEV_GPU_UTIL')?.type).toBe('GAUGE');
    expect(families.get('DCGM_FI_DEV_ECC_DBE_VOL_TOTAL')?.type).toBe('COUNTER');
    expect(families.get('DCGM_FI_DEV_FB_USED')?.help).toBe('Framebuffer memory used (in MiB).');
    expect(seriesValue(families, 'DCGM_FI_DEV_GPU_UTIL', { gpu: '0' })).toBe(87);
    expect(seriesValue(families, 'DCGM_FI_DEV_FB_USED')).toBe(40000);
    expect(seriesValue(families, 'DCGM_FI_DEV_POWER_USAGE')).toBe(512.5);
    expect(seriesValue(families, 'DCGM_FI_DEV_SM_CLOCK')).toBe(1980);
    expect(seriesValue(families, 'gpuctl_gpu_clock_throttled', { reason: 'sw_power_cap' })).toBe(1);
    expect(seriesValue(families, 'gpuctl_agent_last_sample_age_seconds')).toBe(1.5);
    expect(seriesValue(families, 'gpuctl_agent_gpu_healthy')).toBe(1);
    expect(seriesValue(families, 'gpuctl_agent_info', { mode: 'gpu', version: '0.1.0' })).toBe(1);
    expect(seriesValue(families, 'gpuctl_host_memory_total_bytes')).toBeGreaterThan(0);
    // A field nvidia-smi did not report has no series rather than a made-up value.
    expect(families.get('DCGM_FI_DEV_MEMORY_TEMP')?.metrics ?? []).toEqual([]);
  });

  it('keeps the restart counter monotonic and follows new samples', async () => {
    const m = createAgentMetrics('h', new HostMeter(), '0.1.0', () => 'gpu');
    m.update(stateWith(LINE, 2), NOW, false);
    const later = stateWith({ ...LINE, 'utilization.gpu': '12' }, 3);
    m.update({ ...later, lastSampleAt: NOW - 100 }, NOW, true);
    const families = parseMetrics(await m.registry.metrics());
    expect(seriesValue(families, 'gpuctl_agent_sampler_restarts_total')).toBe(3);
    expect(seriesValue(families, 'DCGM_FI_DEV_GPU_UTIL')).toBe(12);
  });

  it('exports the PCIe link (current and max) and XID events from a readable kernel log, per GPU and code', async () => {
    const m = createAgentMetrics('h', new HostMeter(), '0.1.0', () => 'gpu');
    const link = { 'pcie.link.gen.gpucurrent': '4', 'pcie.link.gen.max': '5', 'pcie.link.width.current': '8', 'pcie.link.width.max': '16' };
    const log = readFileSync(join(import.meta.dirname, '../../fixtures/dmesg/xid79.txt'), 'utf8');
    // The capture's GPU sits at 0000:00:06; a second XID for it and one for another device in the same log.
    const text = `${log}[ 9000.1] NVRM: Xid (PCI:0000:00:06): 13, pid=7, Graphics Exception\n[ 9001.2] NVRM: Xid (PCI:0000:18:00): 48, pid=8, DBE\n`;
    m.update(stateWith({ ...LINE, ...link, 'pci.bus_id': '00000000:00:06.0' }), NOW, true, null, {
      readable: true,
      events: parseXids(text),
    });
    let families = parseMetrics(await m.registry.metrics());
    expect(seriesValue(families, 'DCGM_FI_DEV_PCIE_LINK_GEN')).toBe(4);
    expect(seriesValue(families, 'DCGM_FI_DEV_PCIE_MAX_LINK_GEN')).toBe(5);
    expect(seriesValue(families, 'DCGM_FI_DEV_PCIE_LINK_WIDTH')).toBe(8);
    expect(seriesValue(families, 'DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH')).toBe(16);
    expect(seriesValue(families, 'gpuctl_agent_kernel_log_readable')).toBe(1);
    expect(families.get('gpuctl_gpu_xid_events')?.metrics.map((x) => [x.labels?.xid, Number(x.value)])).toEqual([
      ['79', 1],
      ['13', 1],
    ]);
    expect(seriesValue(families, 'DCGM_FI_DEV_XID_ERRORS', { gpu: '0' })).toBe(13);
    // An unreadable log is said (0) and leaves no XID series: "no XID" would be a guess.
    m.update(stateWith(LINE), NOW, true, null, { readable: false, reason: 'dmesg exited 1' });
    families = parseMetrics(await m.registry.metrics());
    expect(seriesValue(families, 'gpuctl_agent_kernel_log_readable')).toBe(0);
    expect(families.get('gpuctl_gpu_xid_events')?.metrics ?? []).toEqual([]);
    expect(families.get('DCGM_FI_DEV_XID_ERRORS')?.metrics ?? []).toEqual([]);
  });

  it("drops a GPU's series once its sample is stale, even when no new sample ever comes (nvidia-smi dead or hung)", async () => {
    const m = createAgentMetrics('h', new HostMeter(), '0.1.0', () => 'gpu');
    const state = stateWith(LINE);
    m.update(state, NOW, true);
    let families = parseMetrics(await m.registry.metrics());
    expect(seriesValue(families, 'DCGM_FI_DEV_GPU_UTIL')).toBe(87);
    // The same state a minute later: the sampler has printed nothing since (lastSampleAt unchanged).
    m.update(state, NOW + 60_000, false);
    families = parseMetrics(await m.registry.metrics());
    expect(families.get('DCGM_FI_DEV_GPU_UTIL')?.metrics ?? []).toEqual([]);
    expect(families.get('DCGM_FI_DEV_GPU_TEMP')?.metrics ?? []).toEqual([]);
    expect(families.get('gpuctl_gpu_clock_throttled')?.metrics ?? []).toEqual([]);
    expect(seriesValue(families, 'gpuctl_agent_last_sample_age_seconds')).toBe(61.5);
  });

  it('names every GPU metric validly and once', () => {
    const names = GPU_METRICS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^(DCGM_FI_DEV_[A-Z_]+|gpuctl_gpu_[a-z_]+)$/);
  });
});

describe('cachedFor', () => {
  it('shares one rendering until it is ttl old, and forgets a failed one', async () => {
    let t = 0;
    let calls = 0;
    const get = cachedFor(
      1000,
      async () => ++calls,
      () => t,
    );
    expect(await Promise.all([get(), get()])).toEqual([1, 1]);
    t = 999;
    expect(await get()).toBe(1);
    t = 1000;
    expect(await get()).toBe(2);
    const failing = cachedFor(
      1000,
      async () => {
        calls += 1;
        throw new Error('boom');
      },
      () => t,
    );
    await expect(failing()).rejects.toThrow('boom');
    await expect(failing()).rejects.toThrow('boom');
    expect(calls).toBe(4);
  });
});
