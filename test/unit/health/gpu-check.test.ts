/**
 * `gpuctl health` reads the GPU verdict from Fly's `gpu` check (the agent's /gpu-health on the private
 * metrics port), not from the public hostname, which reaches the application's port (issue 19 item 2).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GpuHealth } from '../../../src/agent/health.js';
import { decodeJson } from '../../../src/flyio/decode.js';
import { checksListSchema, statusSchema, type FlyAppStatus } from '../../../src/flyio/schemas.js';
import { assessHealth, renderHealth } from '../../../src/health/assess.js';
import { gpuCheckResults } from '../../../src/health/gpu-check.js';
import { probesFor } from '../../../src/health/probe.js';
import { createStyle } from '../../../src/ui/style.js';

const decoded = decodeJson(readFileSync(new URL('../../fixtures/flyctl/status.json', import.meta.url), 'utf8'), statusSchema);
if (!decoded.ok) throw new Error(decoded.reason);
const status: FlyAppStatus = decoded.value;
const id = status.machines[0]!.id;

/** What the agent answers on /gpu-health (its own type), 503 when failing. */
const failing: GpuHealth = {
  status: 'failing',
  mode: 'gpu',
  gpus: 1,
  lastSampleAgeSeconds: 2.1,
  samplerRestarts: 0,
  failures: [{ condition: 'temperature', gpu: 0, message: 'GPU 0 at 91 °C (limit 85 °C)' }],
};
const healthy: GpuHealth = { ...failing, status: 'ok', failures: [] };

/** `flyctl checks list --json` as flyctl prints it (facts §2.3): machine ID → [{name, status, output, updated_at}]. */
function checksList(gpu: { status: string; output: string }) {
  const raw = JSON.stringify(
    {
      [id]: [
        { name: 'gpu', ...gpu, updated_at: '2026-11-24T17:00:00Z' },
        { name: 'servicecheck-00-http-8080', status: 'passing', output: 'Success', updated_at: '2026-11-24T17:00:00Z' },
      ],
    },
    null,
    4,
  );
  const read = decodeJson(raw, checksListSchema);
  if (!read.ok) throw new Error(read.reason);
  return read.value;
}
const only = { ...status, machines: status.machines.slice(0, 1) };

describe('the GPU verdict from the gpu check', () => {
  it("a critical gpu check is read as the agent's body: each failed condition is a reason for its machine", () => {
    const checks = checksList({ status: 'critical', output: JSON.stringify(failing) });
    const gpu = gpuCheckResults(only, checks);
    expect(gpu).toEqual([expect.objectContaining({ machine: id, status: 'critical', verdict: 'failed' })]);
    const health = assessHealth(only, checks, [], gpu);
    expect(health.healthy).toBe(false);
    // The condition, once, instead of "check gpu is critical: {raw JSON}".
    expect(health.reasons).toEqual([`machine ${id} (ord) /gpu-health: temperature: GPU 0 at 91 °C (limit 85 °C)`]);
    expect(renderHealth(health, createStyle(false))).toContain(`✗ ${id} /gpu-health  temperature: GPU 0 at 91 °C (limit 85 °C)`);
  });

  it('a body quoted after "Output:" is read the same way', () => {
    const output = `HTTP GET http://[fdaa::3]:9091/gpu-health: 503 Service Unavailable Output: ${JSON.stringify(failing)}`;
    const [result] = gpuCheckResults(only, checksList({ status: 'critical', output }));
    expect(result?.conditions).toEqual([{ name: 'temperature', gpu: 0, message: 'GPU 0 at 91 °C (limit 85 °C)' }]);
  });

  it('a passing gpu check with the agent\'s "ok" body is a healthy GPU', () => {
    const checks = checksList({ status: 'passing', output: JSON.stringify(healthy) });
    const gpu = gpuCheckResults(only, checks);
    expect(gpu).toEqual([expect.objectContaining({ verdict: 'ok', detail: 'ok (gpu)' })]);
    expect(assessHealth(only, checks, [], gpu).healthy).toBe(true);
  });

  it('a critical check with no JSON (the agent unreachable) fails with its output', () => {
    const checks = checksList({ status: 'critical', output: 'connect: connection refused' });
    const health = assessHealth(only, checks, [], gpuCheckResults(only, checks));
    expect(health.reasons).toEqual([`machine ${id} (ord) /gpu-health: check gpu is critical: connect: connection refused`]);
  });

  it('through the public hostname only /health is probed; --url probes /gpu-health directly', () => {
    expect(probesFor(undefined).map((p) => p.path)).toEqual(['/health']);
    expect(probesFor('http://localhost:9091').map((p) => p.path)).toEqual(['/health', '/gpu-health']);
  });
});
