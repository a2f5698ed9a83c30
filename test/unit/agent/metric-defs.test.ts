/**
 * Every GPU series the agent exports carries the nvidia-smi field dcgm-exporter's series of that name means
 * (its etc/default-counters.csv): a full sample line with a different value in every field, read back with a
 * Prometheus parser. The flags (pending pages, remap failure) as 1, 0 or no series when nvidia-smi says [N/A].
 */
import { describe, expect, it } from 'vitest';
import { HostMeter } from '../../../src/agent/host.js';
import { GPU_METRICS } from '../../../src/agent/metric-defs.js';
import { createAgentMetrics } from '../../../src/agent/metrics.js';
import { sampledState } from '../../helpers/agent-state.js';
import { parseMetrics, seriesValue } from '../../helpers/prometheus.js';

const NOW = 1_800_000_000_000;
/** An H100 as nvidia-smi prints it; used + free is less than total (the driver reserves some), as on real GPUs. */
const FULL: Record<string, string> = {
  index: '0',
  uuid: 'GPU-b42dd28e',
  name: 'NVIDIA H100 80GB HBM3',
  'pci.bus_id': '00000000:18:00.0',
  'utilization.gpu': '87',
  'utilization.memory': '41',
  'utilization.encoder': '3',
  'utilization.decoder': '7',
  'memory.total': '81559',
  'memory.used': '40000',
  'memory.free': '41000',
  'temperature.gpu': '61',
  'temperature.memory': '70',
  'power.draw': '512.5',
  'power.limit': '700',
  'clocks.sm': '1980',
  'clocks.mem': '2619',
  'clocks.max.sm': '1985',
  pstate: 'P2',
  'clocks_throttle_reasons.active': '0x0000000000000004',
  'clocks_throttle_reasons.sw_power_cap': 'Active',
  'ecc.errors.corrected.volatile.total': '12',
  'ecc.errors.uncorrected.volatile.total': '1',
  'retired_pages.sbe': '5',
  'retired_pages.dbe': '2',
  'retired_pages.pending': 'No',
  'remapped_rows.correctable': '9',
  'remapped_rows.uncorrectable': '4',
  'remapped_rows.pending': 'No',
  'remapped_rows.failure': 'Yes',
  'pcie.link.gen.gpucurrent': '4',
  'pcie.link.gen.max': '5',
  'pcie.link.width.current': '8',
  'pcie.link.width.max': '16',
};

/** dcgm-exporter's series (gpuctl_* where it has none) and the value FULL gives it. */
const EXPECTED: Record<string, number> = {
  DCGM_FI_DEV_SM_CLOCK: 1980,
  DCGM_FI_DEV_MEM_CLOCK: 2619,
  DCGM_FI_DEV_MEMORY_TEMP: 70,
  DCGM_FI_DEV_GPU_TEMP: 61,
  DCGM_FI_DEV_POWER_USAGE: 512.5,
  DCGM_FI_DEV_POWER_MGMT_LIMIT: 700,
  DCGM_FI_DEV_GPU_UTIL: 87,
  DCGM_FI_DEV_MEM_COPY_UTIL: 41,
  DCGM_FI_DEV_ENC_UTIL: 3,
  DCGM_FI_DEV_DEC_UTIL: 7,
  DCGM_FI_DEV_FB_FREE: 41000,
  DCGM_FI_DEV_FB_USED: 40000,
  DCGM_FI_DEV_FB_TOTAL: 81559,
  DCGM_FI_DEV_CLOCK_THROTTLE_REASONS: 4,
  DCGM_FI_DEV_ECC_SBE_VOL_TOTAL: 12,
  DCGM_FI_DEV_ECC_DBE_VOL_TOTAL: 1,
  DCGM_FI_DEV_RETIRED_SBE: 5,
  DCGM_FI_DEV_RETIRED_DBE: 2,
  DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS: 4,
  DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS: 9,
  DCGM_FI_DEV_ROW_REMAP_FAILURE: 1,
  gpuctl_gpu_pages_pending: 0,
  DCGM_FI_DEV_PCIE_LINK_GEN: 4,
  DCGM_FI_DEV_PCIE_LINK_WIDTH: 8,
  DCGM_FI_DEV_PCIE_MAX_LINK_GEN: 5,
  DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH: 16,
  gpuctl_gpu_pstate: 2,
  gpuctl_gpu_max_sm_clock_mhz: 1985,
};

async function exposition(line: Record<string, string>) {
  const state = sampledState(line, NOW);
  const m = createAgentMetrics('machine-1', new HostMeter(), '0.1.0', () => 'gpu');
  m.update(state, NOW, true);
  return parseMetrics(await m.registry.metrics());
}

describe('GPU metric definitions', () => {
  it('export each nvidia-smi field under the series that means it (every GPU metric in the table)', async () => {
    expect(GPU_METRICS.map((d) => d.name).sort()).toEqual(Object.keys(EXPECTED).sort());
    const families = await exposition(FULL);
    const got = Object.fromEntries(Object.keys(EXPECTED).map((name) => [name, seriesValue(families, name, { gpu: '0' })]));
    expect(got).toEqual(EXPECTED);
  });

  it.each([
    ['a page pending retirement', 'Yes', 'No', 1],
    ['a row pending remapping', 'No', 'Yes', 1],
    ['both', 'Yes', 'Yes', 1],
    ['neither', 'No', 'No', 0],
    ['neither, on a GPU without page retirement (Ampere and later: [N/A])', '[N/A]', 'No', 0],
    ['a page pending on a GPU without row remapping (Volta)', 'Yes', '[N/A]', 1],
    ['neither reported', '[N/A]', '[N/A]', undefined],
  ])('pages pending: %s', async (_what, retired, remap, value) => {
    const families = await exposition({ ...FULL, 'retired_pages.pending': retired, 'remapped_rows.pending': remap });
    expect(seriesValue(families, 'gpuctl_gpu_pages_pending')).toBe(value);
  });

  it.each([
    ['Yes', 1],
    ['No', 0],
    ['[N/A]', undefined],
  ])('a row remap failure %s is %s (no series when not reported)', async (failure, value) => {
    const families = await exposition({ ...FULL, 'remapped_rows.failure': failure });
    expect(seriesValue(families, 'DCGM_FI_DEV_ROW_REMAP_FAILURE')).toBe(value);
  });

  it('a GPU whose bus id is not reported gets an empty pci_bus_id (to Prometheus: no label), not an invented one', async () => {
    const families = await exposition({ ...FULL, 'pci.bus_id': '[N/A]' });
    expect(families.get('DCGM_FI_DEV_GPU_UTIL')?.metrics[0]?.labels?.pci_bus_id ?? '').toBe('');
  });
});
