/**
 * `gpuctl health` against the real `gpuctl agent` (the built CLI, on the fake nvidia-smi with a GPU
 * over its temperature limit): the agent's 503 body is read and each failed condition is reported.
 */
import { afterEach, expect, it } from 'vitest';
import type { HealthJson } from '../../src/health/assess.js';
import { startAgent, stopAll } from './agent-helpers.js';
import { deployedWorld } from './fly-world.js';

afterEach(stopAll);

it("reports each condition of the agent's /gpu-health 503, not only the status", async () => {
  const agent = await startAgent({
    fixture: 'public/gls__H100NVLx2.nvidia-smi-q.txt',
    script: [{ 'temperature.gpu': 70 }],
    env: { GPUCTL_AGENT_MAX_TEMP_C: '65' },
  });
  await expect.poll(async () => (await agent.gpuHealth()).status, { timeout: 10_000 }).toBe(503);
  const w = await deployedWorld();
  const run = await w.gpuctl(['health', '--url', agent.url, '--json']);
  expect(run.exitCode).toBe(1);
  const health = JSON.parse(run.stdout) as HealthJson;
  const gpu = health.http.find((p) => p.path === '/gpu-health');
  expect(gpu?.conditions?.map((c) => [c.name, c.gpu])).toEqual([
    ['temperature', 0],
    ['temperature', 1],
  ]);
  expect(health.reasons).toEqual(
    expect.arrayContaining([
      '/gpu-health: temperature: GPU 0 is at 70 °C, over the 65 °C limit',
      '/gpu-health: temperature: GPU 1 is at 70 °C, over the 65 °C limit',
    ]),
  );
});
