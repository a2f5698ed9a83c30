/** The agent sampler's state after one good nvidia-smi sample, for tests that read what the agent then exports. */
import type { SamplerState } from '../../src/agent/sampler.js';
import { parseSampleLine, SAMPLE_FIELDS } from '../../src/gpu/smi-sample.js';

/** `line`: nvidia-smi's fields by name (the rest [N/A]), as one CSV line the sampler parses; sampled `ageMs` before `now`. */
export function sampledState(
  line: Readonly<Record<string, string>>,
  now: number,
  { ageMs = 1000, restarts = 0 }: { ageMs?: number; restarts?: number } = {},
): SamplerState {
  const parsed = parseSampleLine(SAMPLE_FIELDS.map((f) => line[f] ?? '[N/A]').join(', '), SAMPLE_FIELDS);
  if (!parsed.ok) throw new Error(parsed.reason);
  return {
    phase: 'running',
    intervalMs: 5000,
    gpus: new Map([[parsed.sample.uuid, { sample: parsed.sample, at: now - ageMs }]]),
    lastSampleAt: now - ageMs,
    restarts,
    failure: null,
    droppedFields: [],
    badSamples: 0,
  };
}
