/** --verify-gpu reads `gpuctl detect --json` with detect's own schema (detect/schema.ts), held to detect's output (issue 22). */
import { describe, expect, it } from 'vitest';
import { gpusFromDetect, gpusFromSmi, SMI_COMMAND } from '../../../src/deploy/verify-gpu.js';
import { describeGpus } from '../../../src/detect/detect.js';
import { DetectJson, parseDetectJson } from '../../../src/detect/schema.js';
import { queryArgs, type SmiGpu } from '../../../src/gpu/nvidia-smi.js';

const h200: SmiGpu = {
  index: 0,
  name: 'NVIDIA H200',
  uuid: 'GPU-1',
  pciBusId: '00000000:18:00.0',
  memoryMiB: 143771,
  memoryUsedMiB: 0,
  computeCapability: '9.0',
  driverVersion: '570.133.20',
  powerLimitW: 700,
  maxSmClockMHz: 1980,
  maxMemClockMHz: 3201,
  migMode: 'Disabled',
  eccMode: 'Enabled',
  persistenceMode: 'Enabled',
};

describe("detect's JSON schema", () => {
  it('accepts what detect prints, and --verify-gpu takes the GPU names from it', () => {
    const json = JSON.stringify({
      ...describeGpus([h200, { ...h200, index: 1, uuid: 'GPU-2' }]),
      topology: null,
      topologyNote: null,
      host: null,
    });
    expect(DetectJson.safeParse(JSON.parse(json)).success).toBe(true);
    expect(parseDetectJson(json)?.gpus.map((g) => [g.index, g.memoryMiB])).toEqual([
      [0, 143771],
      [1, 143771],
    ]);
    expect(gpusFromDetect(json)).toEqual(['NVIDIA H200', 'NVIDIA H200']);
  });

  it('rejects what is not detect schemaVersion 1: another version, a page, gpus not a list, a GPU not an object', () => {
    expect(gpusFromDetect('{"schemaVersion":2,"gpus":[]}')).toBeUndefined();
    expect(gpusFromDetect('<html>502</html>')).toBeUndefined();
    expect(gpusFromDetect('{"schemaVersion":1,"gpus":{}}')).toBeUndefined();
    expect(gpusFromDetect('{"schemaVersion":1,"gpus":[null]}')).toBeUndefined();
    expect(gpusFromDetect('{"schemaVersion":1,"source":"gpu-z","gpus":[]}')).toBeUndefined();
  });

  it('a GPU without a name string reads as "unknown GPU"; no GPU is an empty list', () => {
    expect(gpusFromDetect('{"schemaVersion":1,"source":"nvidia-smi","gpus":[{"index":0,"name":7}]}')).toEqual(['unknown GPU']);
    expect(gpusFromDetect('{"schemaVersion":1,"source":"systeminformation","gpus":[]}')).toEqual([]);
  });
});

describe('--verify-gpu without gpuctl in the image: nvidia-smi asked and read by the one builder and parser (issue 22)', () => {
  it('asks with queryArgs and reads the answer with parseQuery', () => {
    expect(SMI_COMMAND).toBe(['nvidia-smi', ...queryArgs(['index', 'name', 'memory.total'])].join(' '));
    expect(gpusFromSmi('0, NVIDIA A10, 23028\n1, NVIDIA A10, 23028\n')).toEqual({ ok: true, gpus: ['NVIDIA A10', 'NVIDIA A10'] });
  });

  it('a line that is not a GPU record is a reason, not a GPU named after it', () => {
    // The old split took the first cell of any line: "NVIDIA-SMI has failed because…" was filtered by name only.
    const none = gpusFromSmi('No devices were found\n');
    expect(none.ok).toBe(false);
    expect(!none.ok && none.reason).toContain('line 1 has 1 fields');
    expect(gpusFromSmi('Failed to initialize NVML: Unknown Error, 3 fields\n')).toMatchObject({ ok: false });
    expect(gpusFromSmi('')).toEqual({ ok: false, reason: 'it printed nothing' });
  });
});
