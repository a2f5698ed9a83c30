/** The /gpu-health body: the agent's shape, and the other shapes read defensively. */
import { expect, test } from 'vitest';
import type { GpuHealth } from '../../../src/agent/health.js';
import { readGpuHealthBody } from '../../../src/health/gpu-body.js';
import { judge } from '../../../src/health/probe.js';

// The agent's 503 body, typed by the agent's own GpuHealth (src/agent/health.ts): if its shape changes, this stops compiling.
const agentBody: GpuHealth = {
  status: 'failing',
  mode: 'gpu',
  gpus: 2,
  lastSampleAgeSeconds: 1.2,
  samplerRestarts: 0,
  failures: [
    { condition: 'ecc-uncorrected', gpu: 1, message: 'GPU 1 has 3 uncorrectable ECC errors since boot' },
    { condition: 'temperature', gpu: 0, message: 'GPU 0 is at 91 °C, over the 85 °C limit' },
  ],
};
const AGENT_503 = JSON.stringify(agentBody);

test.each([
  [
    'the agent: failures with condition, gpu, message',
    AGENT_503,
    ['ecc-uncorrected|1|GPU 1 has 3 uncorrectable ECC errors since boot', 'temperature|0|GPU 0 is at 91 °C, over the 85 °C limit'],
  ],
  ['failures as strings', '{"status":"unhealthy","failures":["no GPU","driver gone"]}', ['-|-|no GPU', '-|-|driver gone']],
  [
    'conditions as a list with ok flags',
    '{"conditions":[{"name":"ecc","ok":true},{"name":"xid","ok":false,"detail":"Xid 79"}]}',
    ['xid|-|Xid 79'],
  ],
  [
    'conditions as a map of booleans and objects',
    '{"conditions":{"driver":true,"memory":false,"thermal":{"status":"critical","reason":"hot"}}}',
    ['memory|-|memory failed', 'thermal|-|hot'],
  ],
  [
    'checks with status words',
    '{"checks":[{"id":"gpu0","status":"passing"},{"id":"gpu1","status":"failed","output":"lost"}]}',
    ['gpu1|-|lost'],
  ],
  ['a healthy agent body', '{"status":"ok","mode":"gpu","gpus":1,"failures":[]}', []],
])('%s', (_, body, expected) => {
  const read = readGpuHealthBody(body);
  expect(read?.failed.map((c) => `${c.name ?? '-'}|${c.gpu ?? '-'}|${c.message}`)).toEqual(expected);
});

test('not JSON, or JSON that is not an object: no body to read', () => {
  expect(readGpuHealthBody('nope')).toBeNull();
  expect(readGpuHealthBody('[1,2]')).toBeNull();
  expect(readGpuHealthBody('')).toBeNull();
});

test('judge names every failed condition of a 503, not only the status', () => {
  const result = judge(503, AGENT_503, true);
  expect(result.verdict).toBe('failed');
  expect(result.detail).toBe(
    'HTTP 503: 2 failed conditions: ecc-uncorrected: GPU 1 has 3 uncorrectable ECC errors since boot; temperature: GPU 0 is at 91 °C, over the 85 °C limit',
  );
  expect(result.conditions).toHaveLength(2);
  expect(judge(503, 'nope', true)).toEqual({ verdict: 'failed', detail: 'HTTP 503: nope' });
});
