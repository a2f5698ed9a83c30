import { describe, expect, it } from 'vitest';
import { decideHealth, type HealthThresholds } from '../../../src/agent/health.js';
import { parseSampleLine, SAMPLE_FIELDS, type GpuSample } from '../../../src/gpu/smi-sample.js';
import type { GpuReading, SamplerState } from '../../../src/agent/sampler.js';

const NOW = 1_800_000_000_000;
const T: HealthThresholds = { maxTempC: 85, maxMemoryPct: null, expectGpus: null };

/** A healthy H100 line in the agent's own field order, with overrides by field name. */
function gpu(index: number, overrides: Record<string, string> = {}): GpuSample {
  const base: Record<string, string> = {
    index: String(index),
    uuid: `GPU-${index}`,
    name: 'NVIDIA H100 80GB HBM3',
    'memory.total': '81559',
    'memory.used': '1000',
    'temperature.gpu': '40',
    'clocks_throttle_reasons.hw_thermal_slowdown': 'Not Active',
    'ecc.errors.uncorrected.volatile.total': '0',
    'retired_pages.pending': '[N/A]',
    'remapped_rows.pending': 'No',
    ...overrides,
  };
  const parsed = parseSampleLine(SAMPLE_FIELDS.map((f) => base[f] ?? '[N/A]').join(', '), SAMPLE_FIELDS);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.sample;
}

function state(readings: Array<[GpuSample, number]>, extra: Partial<SamplerState> = {}): SamplerState {
  const gpus = new Map<string, GpuReading>(readings.map(([sample, ageMs]) => [sample.uuid, { sample, at: NOW - ageMs }]));
  const newest = Math.min(...readings.map(([, age]) => age));
  return {
    phase: 'running',
    intervalMs: 1000,
    gpus,
    lastSampleAt: readings.length ? NOW - newest : null,
    restarts: 0,
    failure: null,
    droppedFields: [],
    badSamples: 0,
    ...extra,
  };
}

const conditions = (s: SamplerState, t = T) => decideHealth(s, NOW, t).failures.map((f) => [f.condition, f.gpu]);

describe('decideHealth', () => {
  it('is ok with fresh, healthy GPUs', () => {
    expect(
      decideHealth(
        state([
          [gpu(0), 100],
          [gpu(1), 100],
        ]),
        NOW,
        T,
      ),
    ).toMatchObject({ status: 'ok', mode: 'gpu', gpus: 2, failures: [] });
  });

  it.each<[string, Record<string, string>, string]>([
    ['uncorrectable ECC errors', { 'ecc.errors.uncorrected.volatile.total': '2' }, 'ecc-uncorrected'],
    ['pages pending retirement', { 'retired_pages.pending': 'Yes' }, 'pages-pending'],
    ['rows pending remapping', { 'remapped_rows.pending': 'Yes' }, 'pages-pending'],
    ['a temperature over the limit', { 'temperature.gpu': '91' }, 'temperature'],
    ['thermal throttling', { 'clocks_throttle_reasons.hw_thermal_slowdown': 'Active' }, 'clocks-throttled'],
  ])('names %s with the GPU', (_what, overrides, condition) => {
    expect(
      conditions(
        state([
          [gpu(0), 100],
          [gpu(1, overrides), 100],
        ]),
      ),
    ).toEqual([[condition, 1]]);
  });

  it('the temperature limit is "over", not "at": 85 °C with an 85 °C limit is ok, 86 °C fails', () => {
    expect(conditions(state([[gpu(0, { 'temperature.gpu': '85' }), 100]]))).toEqual([]);
    expect(conditions(state([[gpu(0, { 'temperature.gpu': '86' }), 100]]))).toEqual([['temperature', 0]]);
  });

  it('an H200 at its power cap under full load is ok: sw_power_cap is normal, not a throttle that fails', () => {
    // Seen on a real H200 under full load: 693 of 700 W, SM at 1500 MHz of 1980, the power cap the active reason.
    const loaded = gpu(0, {
      name: 'NVIDIA H200',
      'memory.total': '143771',
      'memory.used': '120000',
      'utilization.gpu': '100',
      'temperature.gpu': '62',
      'power.draw': '693.00',
      'power.limit': '700.00',
      'clocks.sm': '1500',
      'clocks.max.sm': '1980',
      pstate: 'P0',
      'clocks_throttle_reasons.active': '0x0000000000000004',
      'clocks_throttle_reasons.sw_power_cap': 'Active',
      'clocks_throttle_reasons.sw_thermal_slowdown': 'Not Active',
      'clocks_throttle_reasons.hw_power_brake_slowdown': 'Not Active',
    });
    expect(loaded.throttle.sw_power_cap).toBe(true);
    expect(decideHealth(state([[loaded, 100]]), NOW, T)).toMatchObject({ status: 'ok', mode: 'gpu', failures: [] });
  });

  it('names every failed condition at once', () => {
    const s = state([[gpu(0, { 'temperature.gpu': '99', 'ecc.errors.uncorrected.volatile.total': '1' }), 100]], {
      failure: { at: NOW, message: 'nvidia-smi exited with code 15' },
      restarts: 2,
    });
    const health = decideHealth(s, NOW, T);
    expect(health.status).toBe('failing');
    expect(health.failures.map((f) => f.condition)).toEqual(['nvidia-smi-failing', 'ecc-uncorrected', 'temperature']);
    expect(health.failures[0]?.message).toContain('2 restart(s)');
  });

  it('fails a stale sample (older than three intervals), not a fresh one', () => {
    expect(conditions(state([[gpu(0), 3000]]))).toEqual([]);
    expect(conditions(state([[gpu(0), 3001]]))).toEqual([['sample-stale', undefined]]);
  });

  it('names a GPU nvidia-smi stopped reporting', () => {
    expect(
      conditions(
        state([
          [gpu(0), 100],
          [gpu(1), 10_000],
        ]),
      ),
    ).toEqual([['gpu-missing', 1]]);
  });

  it('fails fewer GPUs than expected, and memory over the limit when one is set', () => {
    expect(conditions(state([[gpu(0, { 'memory.used': '80000' }), 100]]), { ...T, expectGpus: 2, maxMemoryPct: 90 })).toEqual([
      ['memory', 0],
      ['gpu-missing', undefined],
    ]);
  });

  it('is ok with exactly the GPUs expected, and memory at (not over) the limit', () => {
    const t = { ...T, expectGpus: 2, maxMemoryPct: 90 };
    const two = (used: string) =>
      state([
        [gpu(0, { 'memory.total': '1000', 'memory.used': used }), 100],
        [gpu(1), 100],
      ]);
    expect(decideHealth(two('900'), NOW, t)).toMatchObject({ status: 'ok', gpus: 2, failures: [] });
    expect(conditions(two('901'), t)).toEqual([['memory', 0]]);
  });

  it('fails before the first sample', () => {
    expect(conditions(state([]))).toEqual([['no-sample-yet', undefined]]);
  });

  it('is ok as "cpu fallback" without nvidia-smi, unless GPUs are expected', () => {
    expect(decideHealth(state([], { phase: 'absent' }), NOW, T)).toMatchObject({ status: 'ok', mode: 'cpu fallback', failures: [] });
    expect(conditions(state([], { phase: 'absent' }), { ...T, expectGpus: 1 })).toEqual([['nvidia-smi-missing', undefined]]);
  });
});
