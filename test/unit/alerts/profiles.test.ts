import { describe, expect, it } from 'vitest';
import { thresholdsFor, WORKLOAD_ALERTS } from '../../../src/alerts/profiles.js';
import { alertRules, DEFAULT_THRESHOLDS } from '../../../src/alerts/rules.js';
import { HEADROOM } from '../../../src/init/tuning.js';
import { WORKLOADS } from '../../../src/shared/profiles.js';

describe('alert thresholds per workload profile', () => {
  it('set the memory rule at 100% less the headroom init tunes GPUCTL_GPU_MEMORY_FRACTION with', () => {
    for (const w of WORKLOADS) expect(WORKLOAD_ALERTS[w].memoryPct, w).toBe(Math.round(100 * (1 - HEADROOM[w])));
  });

  it('page on a busy GPU only for inference, and keep the defaults and the caller overrides', () => {
    for (const w of WORKLOADS)
      expect(
        alertRules(thresholdsFor(w)).some((r) => r.alert === 'GpuctlGpuUtilisationHigh'),
        w,
      ).toBe(w === 'inference');
    expect(thresholdsFor('training', { expectGpus: 8 })).toEqual({ ...DEFAULT_THRESHOLDS, utilPct: null, memoryPct: 97, expectGpus: 8 });
  });
});
