/** smoke's check evaluators on inputs recorded from a real container (test/fixtures/smoke) and on their broken forms. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  agentHealthCheck,
  gpuHealthCheck,
  metricsCheck,
  parseProcs,
  stopCheck,
  toolsCheck,
  userCheck,
  type Check,
} from '../../../src/smoke/checks.js';
import { FIXTURES } from '../../helpers/cli.js';

const line = (check: Check) => `${check.status}: ${check.evidence}`;
function failsWith(check: Check, text: string): void {
  expect(check.status).toBe('fail');
  expect(check.evidence).toContain(text);
}
const fixture = (name: string) => readFileSync(join(FIXTURES, 'smoke', name), 'utf8');
const metrics = fixture('agent-metrics-cpu.txt');
const [gpuHealthBody = '', , gpuHealthStatus = '0'] = fixture('gpu-health-cpu.txt').split('\n');
const procs = parseProcs(fixture('procs-cpu.txt'));
const APP = { name: 'app', uid: 10001 };

describe('agent /health and /gpu-health', () => {
  it('200 passes; nothing answering or 503 fails with what was seen', () => {
    expect(agentHealthCheck({ status: 200, body: '{"status":"ok"}' })).toMatchObject({ status: 'pass', evidence: '200 {"status":"ok"}' });
    expect(agentHealthCheck({ status: 0, body: '' })).toMatchObject({ status: 'fail', evidence: 'no answer' });
    expect(agentHealthCheck({ status: 500, body: 'boom' })).toMatchObject({ status: 'fail', evidence: '500 boom' });
  });

  it('the recorded CPU-fallback verdict passes and names the mode', () => {
    expect(gpuHealthCheck({ status: Number(gpuHealthStatus), body: gpuHealthBody })).toEqual({
      name: 'agent /gpu-health',
      status: 'pass',
      evidence: '200 ok, cpu fallback, 0 GPU(s)',
      mode: 'cpu fallback',
    });
  });

  it('a 503 names each failed condition; a body that is not JSON fails', () => {
    const body = JSON.stringify({
      status: 'failing',
      mode: 'cpu fallback',
      gpus: 0,
      failures: [{ condition: 'nvidia-smi-missing', message: 'nvidia-smi is not installed, but this machine should have 1 GPU(s)' }],
    });
    expect(gpuHealthCheck({ status: 503, body })).toMatchObject({
      status: 'fail',
      evidence: '503 failing, cpu fallback, 0 GPU(s): nvidia-smi is not installed, but this machine should have 1 GPU(s)',
    });
    expect(gpuHealthCheck({ status: 200, body: '<html>' })).toMatchObject({ status: 'fail', evidence: '200, not JSON: <html>' });
  });
});

describe('agent /metrics', () => {
  it('the recorded CPU exposition has the host series; without a GPU the DCGM series are not asked for', () => {
    expect(line(metricsCheck({ status: 200, body: metrics }, false))).toMatch(/^pass: \d+ series families; gpuctl_host_cpus/);
  });

  it('with a GPU reserved, the dcgm-exporter series must have samples (the agent declares them without a GPU too)', () => {
    expect(metrics).toMatch(/^# TYPE DCGM_FI_DEV_GPU_UTIL gauge$/m);
    failsWith(
      metricsCheck({ status: 200, body: metrics }, true),
      'missing DCGM_FI_DEV_GPU_UTIL, DCGM_FI_DEV_FB_USED, DCGM_FI_DEV_GPU_TEMP, DCGM_FI_DEV_POWER_USAGE',
    );
    const labels = '{gpu="0",UUID="GPU-1",modelName="NVIDIA H200"}';
    const gpu = `${metrics}${['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_GPU_TEMP', 'DCGM_FI_DEV_POWER_USAGE']
      .map((name) => `# TYPE ${name} gauge\n${name}${labels} 1\n`)
      .join('')}`;
    expect(metricsCheck({ status: 200, body: gpu }, true)).toMatchObject({ status: 'pass' });
  });

  it('a text the parser refuses, or a missing host series, fails', () => {
    expect(metricsCheck({ status: 200, body: '# TYPE x gauge\nx{a="1" 1\n' }, false).status).toBe('fail');
    const withoutLoad = metrics
      .split('\n')
      .filter((line) => !line.includes('gpuctl_host_load1'))
      .join('\n');
    failsWith(metricsCheck({ status: 200, body: withoutLoad }, false), 'missing gpuctl_host_load1');
  });
});

describe('the user the application runs as', () => {
  it('the recorded process table: python3 -m app and the agent as uid 10001 (tini and the script as root are fine)', () => {
    expect(procs.map((p) => [p.uid, p.args.split(' ')[0]])).toContainEqual([10001, 'python3']);
    expect(userCheck(procs, ['python3', '-m', 'app'], APP)).toEqual({
      name: 'runs as non-root user',
      status: 'pass',
      evidence: 'app (uid 10001): application uid 10001; agent uid 10001',
    });
  });

  it('an application as root, another uid, no such process, or no user at all fails', () => {
    const asRoot = procs.map((p) => (p.args === 'python3 -m app' ? { ...p, uid: 0 } : p));
    expect(userCheck(asRoot, ['python3', '-m', 'app'], APP).status).toBe('fail');
    expect(userCheck(procs, ['python3', '-m', 'app'], { name: 'app', uid: 10002 }).status).toBe('fail');
    expect(userCheck(procs, ['uvicorn', 'main:app'], APP)).toMatchObject({
      status: 'fail',
      evidence: "no process runs the image's CMD (uvicorn main:app)",
    });
    failsWith(userCheck(procs, ['python3', '-m', 'app'], { name: '', uid: null }), 'names no user');
    expect(userCheck(procs, ['python3', '-m', 'app'], { name: 'root', uid: 0 }).status).toBe('fail');
  });
});

describe('build tools and the stop', () => {
  it('no tool found passes; any found fails naming it', () => {
    expect(toolsCheck('\n').status).toBe('pass');
    expect(toolsCheck('/usr/bin/gcc\n/usr/bin/make\n')).toMatchObject({ status: 'fail', evidence: 'found /usr/bin/gcc, /usr/bin/make' });
  });

  it('the start script documents 0 or 128+N; a kill or a timeout fails', () => {
    const stop = { signal: 'SIGINT', signalNumber: 2, killTimeoutS: 30 };
    expect(stopCheck({ ...stop, seconds: 0.7, exitCode: 130 }).status).toBe('pass');
    expect(stopCheck({ ...stop, seconds: 0.7, exitCode: 0 }).status).toBe('pass');
    failsWith(stopCheck({ ...stop, seconds: 30.1, exitCode: 137 }), 'expected 0 or 130');
    expect(stopCheck({ ...stop, seconds: null, exitCode: null })).toMatchObject({
      status: 'fail',
      evidence: 'still running 30 s after SIGINT (Fly would kill it)',
    });
  });
});
