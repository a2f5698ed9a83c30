/** The built `gpuctl agent` against the fake nvidia-smi (8 H100s, looping), over real HTTP on loopback. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seriesValue } from '../helpers/prometheus.js';
import { alive, startAgent, stopAll } from './agent-helpers.js';

afterEach(stopAll);

const pids = (dir: string) => readFileSync(join(dir, 'smi.pids'), 'utf8').trim().split('\n').map(Number);

describe('gpuctl agent', () => {
  it('serves /health, /gpu-health and /metrics for 8 GPUs, following the utilisation nvidia-smi reports', async () => {
    const agent = await startAgent({
      script: [{ 'utilization.gpu': 5 }, { 'utilization.gpu': 5 }, { 'utilization.gpu': [90, 80, 70, 60, 50, 40, 30, 20] }],
    });
    expect(await agent.get('/health')).toEqual({ status: 200, body: '{"status":"ok"}\n' });
    await expect.poll(async () => (await agent.gpuHealth()).status, { timeout: 10_000 }).toBe(200);
    expect((await agent.gpuHealth()).body).toMatchObject({ status: 'ok', mode: 'gpu', gpus: 8, failures: [] });
    await expect.poll(async () => seriesValue(await agent.metrics(), 'DCGM_FI_DEV_GPU_UTIL', { gpu: '0' }), { timeout: 10_000 }).toBe(90);
    const families = await agent.metrics();
    expect(families.get('DCGM_FI_DEV_GPU_UTIL')?.metrics.map((m) => Number(m.value))).toEqual([90, 80, 70, 60, 50, 40, 30, 20]);
    expect(seriesValue(families, 'DCGM_FI_DEV_FB_TOTAL', { gpu: '7', modelName: 'NVIDIA H100 80GB HBM3' })).toBe(81559);
    expect(seriesValue(families, 'gpuctl_agent_sampler_up')).toBe(1);
    expect(seriesValue(families, 'gpuctl_agent_last_sample_age_seconds')).toBeLessThan(0.6);
    expect((await agent.get('/nope')).status).toBe(404);
    // One nvidia-smi for the whole run, looping: not one per request.
    expect(pids(agent.dir)).toHaveLength(1);
  });

  it('answers 503 naming every failed condition and the GPU', async () => {
    const agent = await startAgent({
      script: [
        {
          'temperature.gpu': [40, 95],
          'ecc.errors.uncorrected.volatile.total': [0, 3],
          'retired_pages.pending': ['No', 'Yes'],
          'clocks_throttle_reasons.hw_thermal_slowdown': ['Not Active', 'Active'],
        },
      ],
    });
    await expect.poll(async () => (await agent.gpuHealth()).body.lastSampleAgeSeconds, { timeout: 10_000 }).not.toBeNull();
    const { status, body } = await agent.gpuHealth();
    expect(status).toBe(503);
    expect(body.failures.map((f) => [f.condition, f.gpu])).toEqual([
      ['ecc-uncorrected', 1],
      ['pages-pending', 1],
      ['temperature', 1],
      ['clocks-throttled', 1],
    ]);
    expect(seriesValue(await agent.metrics(), 'gpuctl_agent_gpu_healthy')).toBe(0);
  });

  it('takes its temperature limit from GPUCTL_AGENT_MAX_TEMP_C', async () => {
    const agent = await startAgent({ script: [{ 'temperature.gpu': 70 }], env: { GPUCTL_AGENT_MAX_TEMP_C: '65' } });
    await expect
      .poll(async () => (await agent.gpuHealth()).body.failures.filter((f) => f.condition === 'temperature').length, { timeout: 10_000 })
      .toBe(8);
  });

  it('names a GPU that disappears', async () => {
    const agent = await startAgent({ fixture: 'public/gls__H100NVLx2.nvidia-smi-q.txt', script: [{}, {}, { $gpus: 1 }] });
    await expect
      .poll(async () => (await agent.gpuHealth()).body.failures.map((f) => [f.condition, f.gpu]), { timeout: 10_000 })
      .toEqual([['gpu-missing', 1]]);
  });

  it.each([
    ['dies', 'die', 'nvidia-smi exited with code 15: Unable to determine the device handle for GPU0000:00:06.0: Unknown Error'],
    ['hangs', 'hang', 'printed nothing for 0.6 s (hung); killed'],
    ['prints garbage', 'garbage', 'nvidia-smi printed a line gpuctl cannot read'],
  ])('restarts a sampler that %s, and /gpu-health says so meanwhile', async (_what, fault, message) => {
    const agent = await startAgent({
      env: { FAKE_NVIDIA_SMI_LOOP_FAULT: fault, FAKE_NVIDIA_SMI_FAULT_AFTER: '3', FAKE_NVIDIA_SMI_FAULT_RUNS: '1' },
    });
    await expect
      .poll(async () => (await agent.gpuHealth()).body.failures.map((f) => f.condition), { timeout: 10_000, interval: 50 })
      .toContain('nvidia-smi-failing');
    const failing = await agent.gpuHealth();
    expect(failing.status).toBe(503);
    expect(failing.body.failures.find((f) => f.condition === 'nvidia-smi-failing')?.message).toContain(message);
    // The second nvidia-smi (after a 1 s backoff) does not fault: healthy again, one restart counted.
    await expect.poll(async () => (await agent.gpuHealth()).status, { timeout: 10_000 }).toBe(200);
    expect(seriesValue(await agent.metrics(), 'gpuctl_agent_sampler_restarts_total')).toBe(1);
    const [first, second] = pids(agent.dir);
    expect(second).toBeDefined();
    expect(alive(first ?? 0)).toBe(false);
    expect(agent.stderr()).toContain('restarting in 1 s');
  });

  it('drops impossible readings (utilisation -50 or 1e308, -273 °C, negative memory) and counts bad samples', async () => {
    const agent = await startAgent({
      script: [
        {
          'utilization.gpu': [-50, 1e308, 30, 30, 30, 30, 30, 30],
          'temperature.gpu': [40, 40, -273, 40, 40, 40, 40, 40],
          'memory.used': [1000, 1000, 1000, -5, 1000, 1000, 1000, 1000],
        },
      ],
    });
    await expect
      .poll(async () => seriesValue(await agent.metrics(), 'gpuctl_agent_bad_samples_total') ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(0);
    const families = await agent.metrics();
    expect(seriesValue(families, 'DCGM_FI_DEV_GPU_UTIL', { gpu: '0' })).toBeUndefined();
    expect(seriesValue(families, 'DCGM_FI_DEV_GPU_UTIL', { gpu: '1' })).toBeUndefined();
    expect(seriesValue(families, 'DCGM_FI_DEV_GPU_UTIL', { gpu: '2' })).toBe(30);
    expect(seriesValue(families, 'DCGM_FI_DEV_GPU_TEMP', { gpu: '2' })).toBeUndefined();
    expect(seriesValue(families, 'DCGM_FI_DEV_GPU_TEMP', { gpu: '3' })).toBe(40);
    expect(seriesValue(families, 'DCGM_FI_DEV_FB_USED', { gpu: '3' })).toBeUndefined();
    expect(seriesValue(families, 'DCGM_FI_DEV_FB_USED', { gpu: '4' })).toBe(1000);
    // Every value exported is in range.
    for (const m of families.get('DCGM_FI_DEV_GPU_UTIL')?.metrics ?? []) expect(Number(m.value)).toBeGreaterThanOrEqual(0);
    expect(agent.stderr()).toContain('GPU 0: impossible readings dropped (utilGpuPct=-50)');
  });

  it('wants the bearer token on /metrics when GPUCTL_AGENT_TOKEN is set, and never prints it', async () => {
    const token = 'agent-secret-7f3a9c';
    const agent = await startAgent({ env: { GPUCTL_AGENT_TOKEN: token } });
    const bare = await fetch(`${agent.url}/metrics`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toBe('Bearer realm="gpuctl-agent"');
    const body = await bare.text();
    expect(body).toContain('Authorization: Bearer <GPUCTL_AGENT_TOKEN>');
    expect((await fetch(`${agent.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const good = await fetch(`${agent.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(good.status).toBe(200);
    expect(await good.text()).toContain('gpuctl_agent_sampler_up');
    // /health and /gpu-health stay open: Fly's checks cannot send a header either.
    expect((await agent.get('/health')).status).toBe(200);
    expect(agent.stderr()).toContain('GPUCTL_AGENT_TOKEN is set');
    expect(agent.stderr() + body).not.toContain(token);
  });

  it('exposes the last gpuctl diag verdict from GPUCTL_DIAG_STATE; a malformed file is logged, not fatal', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gpuctl-diag-')), 'diag-last.json');
    const verdict = {
      schemaVersion: 1,
      finishedAt: '2026-12-04T00:40:00.000Z',
      level: 'quick',
      gpus: [
        { index: 0, uuid: 'GPU-a', verdict: 'pass' },
        { index: 1, uuid: 'GPU-b', verdict: 'fail' },
      ],
    };
    const agent = await startAgent({ env: { GPUCTL_DIAG_STATE: file } });
    await expect.poll(async () => (await agent.gpuHealth()).status, { timeout: 10_000 }).toBe(200);
    expect((await agent.metrics()).get('gpuctl_diag_result')?.metrics ?? []).toEqual([]);
    writeFileSync(file, JSON.stringify(verdict));
    await expect
      .poll(async () => seriesValue(await agent.metrics(), 'gpuctl_diag_result', { gpu: '1', UUID: 'GPU-b', level: 'quick' }), {
        timeout: 10_000,
      })
      .toBe(2);
    const families = await agent.metrics();
    expect(seriesValue(families, 'gpuctl_diag_result', { gpu: '0' })).toBe(0);
    expect(seriesValue(families, 'gpuctl_diag_last_run_timestamp_seconds', { level: 'quick' })).toBe(Date.parse(verdict.finishedAt) / 1000);
    writeFileSync(file, '{"schemaVersion": 1, "finishedAt"');
    await expect.poll(async () => (await agent.metrics()).get('gpuctl_diag_result')?.metrics.length ?? 0, { timeout: 10_000 }).toBe(0);
    expect(agent.stderr()).toContain(`the last diag verdict ${file} is unreadable (not JSON)`);
    expect((await agent.get('/health')).status).toBe(200);
  });

  it('drops a field an old driver does not know, without counting a failure', async () => {
    const agent = await startAgent({ env: { FAKE_NVIDIA_SMI_UNKNOWN_FIELDS: 'remapped_rows.pending' } });
    await expect.poll(async () => (await agent.gpuHealth()).status, { timeout: 10_000 }).toBe(200);
    expect((await agent.gpuHealth()).body.samplerRestarts).toBe(0);
    expect(agent.stderr()).toContain('nvidia-smi does not know "remapped_rows.pending" (old driver); sampling without it');
  });

  it('stops within a second on SIGTERM, and its nvidia-smi with it', async () => {
    const agent = await startAgent();
    await expect.poll(async () => (await agent.gpuHealth()).status, { timeout: 10_000 }).toBe(200);
    const [smi] = pids(agent.dir);
    const started = performance.now();
    agent.child.kill('SIGTERM');
    const result = await agent.child;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.exitCode).toBe(143);
    await expect.poll(() => alive(smi ?? 0), { timeout: 2000 }).toBe(false);
  });

  it('serves host metrics and "cpu fallback" where there is no nvidia-smi', async () => {
    const agent = await startAgent({ tools: [] });
    await expect.poll(async () => (await agent.gpuHealth()).body.mode, { timeout: 10_000 }).toBe('cpu fallback');
    expect(await agent.gpuHealth()).toMatchObject({ status: 200, body: { status: 'ok', gpus: 0, failures: [] } });
    const families = await agent.metrics();
    expect(seriesValue(families, 'gpuctl_agent_info', { mode: 'cpu fallback' })).toBe(1);
    expect(seriesValue(families, 'gpuctl_host_memory_available_bytes')).toBeGreaterThan(0);
    expect(families.get('DCGM_FI_DEV_GPU_UTIL')?.metrics ?? []).toEqual([]);
  });

  it('fails /gpu-health without nvidia-smi when GPUs are expected', async () => {
    const agent = await startAgent({ tools: [], args: ['--expect-gpus', '1'] });
    await expect
      .poll(async () => (await agent.gpuHealth()).body.failures.map((f) => f.condition), { timeout: 10_000 })
      .toEqual(['nvidia-smi-missing']);
  });

  it('refuses a port in use with exit 1 and a hint', async () => {
    const first = await startAgent();
    const port = new URL(first.url).port;
    const { runGpuctl } = await import('../helpers/cli.js');
    const result = await runGpuctl(['agent', '--listen', `127.0.0.1:${port}`], {
      tools: ['nvidia-smi'],
      env: { FAKE_NVIDIA_SMI_FIXTURE: 'h200-x1/query.csv' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`The agent cannot listen on 127.0.0.1:${port}: the port is in use.`);
  });
});
