import { describe, expect, it } from 'vitest';
import { saneSample } from '../../../src/agent/sane.js';
import { parseSampleLine, SAMPLE_FIELDS, type GpuSample } from '../../../src/gpu/smi-sample.js';

function gpu(overrides: Record<string, string> = {}): GpuSample {
  const base: Record<string, string> = {
    index: '0',
    uuid: 'GPU-0',
    name: 'NVIDIA H100 80GB HBM3',
    'utilization.gpu': '50',
    'memory.total': '81559',
    'memory.used': '1000',
    'temperature.gpu': '40',
    ...overrides,
  };
  const parsed = parseSampleLine(SAMPLE_FIELDS.map((f) => base[f] ?? '[N/A]').join(', '), SAMPLE_FIELDS);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.sample;
}

describe('saneSample', () => {
  it('keeps a sane sample as it is', () => {
    const s = gpu();
    expect(saneSample(s)).toEqual({ sample: s, dropped: [] });
  });

  it.each([
    ['utilization.gpu', '-50', 'utilGpuPct'],
    ['utilization.gpu', '1e308', 'utilGpuPct'],
    ['utilization.gpu', '101', 'utilGpuPct'],
    ['temperature.gpu', '-273', 'temperatureC'],
    ['memory.used', '-5', 'memoryUsedMiB'],
    ['memory.total', '-1', 'memoryTotalMiB'],
    ['power.draw', '-3', 'powerDrawW'],
  ] as const)('drops %s=%s and names it', (field, value, key) => {
    const { sample, dropped } = saneSample(gpu({ [field]: value }));
    expect(sample[key]).toBeNull();
    expect(dropped).toEqual([`${key}=${Number(value)}`]);
    // The other readings survive.
    expect(sample.uuid).toBe('GPU-0');
  });

  it('drops memory used above the total', () => {
    const { sample, dropped } = saneSample(gpu({ 'memory.used': '90000' }));
    expect(sample.memoryUsedMiB).toBeNull();
    expect(sample.memoryTotalMiB).toBe(81559);
    expect(dropped).toEqual(['memoryUsedMiB=90000>memoryTotalMiB=81559']);
  });

  it('keeps the edges: 0 and 100 %, -40 °C', () => {
    expect(saneSample(gpu({ 'utilization.gpu': '100', 'temperature.gpu': '-40' })).dropped).toEqual([]);
    expect(saneSample(gpu({ 'utilization.gpu': '0' })).dropped).toEqual([]);
  });
});
