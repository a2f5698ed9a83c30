/** gpuctl smoke's pure parts: the flags, the engine's argument arrays, the build phases, the final user, each check. */
import { describe, expect, it } from 'vitest';
import { parseSmoke } from '../../../src/commands/smoke.js';
import { buildToolsCheck, cleanExitCodes, gpuHealthCheck, metricsCheck, stopCheck, userCheck } from '../../../src/smoke/checks.js';
import { buildArgs, hostPort, runArgs } from '../../../src/smoke/engine.js';
import { finalStageFacts } from '../../../src/smoke/layout.js';
import { buildPhase } from '../../../src/smoke/build.js';

const parse = (opts: Record<string, unknown>) => parseSmoke({ args: [], opts });

describe('parseSmoke', () => {
  it('defaults and every flag', () => {
    expect(parse({ dir: '/w' })).toMatchObject({
      dir: '/w',
      buildArgs: [],
      waitTimeoutMs: 120_000,
      keep: false,
      processGroup: undefined,
      loadtest: null,
    });
    const o = parse({
      dir: '/w',
      engine: 'podman',
      buildArg: ['A=1'],
      waitTimeout: '30s',
      keep: true,
      loadtest: '20s,50',
      maxP95: '50ms',
      minRps: '40',
      path: '/p',
      processGroup: 'worker',
    });
    expect(o).toMatchObject({ engine: 'podman', buildArgs: ['A=1'], waitTimeoutMs: 30_000, keep: true, processGroup: 'worker' });
    expect(o.loadtest).toEqual({ durationS: 20, rate: 50, path: '/p', maxP95Ms: 50, minRps: 40 });
  });

  it('refuses bad values naming the flag', () => {
    expect(() => parse({ buildArg: ['=1'] })).toThrow('--build-arg "=1" is not NAME=VALUE.');
    expect(() => parse({ waitTimeout: 'soon' })).toThrow('--wait-timeout "soon" is not a duration.');
    expect(() => parse({ loadtest: '20s,50,3' })).toThrow('is not DURATION[,RATE]');
    expect(() => parse({ loadtest: '11m' })).toThrow('is not DURATION[,RATE]');
    expect(() => parse({ loadtest: '20s,0.5' })).toThrow('must be 1 to 10000');
    expect(() => parse({ maxP95: '10ms' })).toThrow('give --loadtest too');
    expect(() => parse({ loadtest: '5s', path: 'health' })).toThrow('must start with /');
    expect(() => parse({ loadtest: '5s', minRps: '-1' })).toThrow('--min-rps "-1" must be a number above 0.');
    expect(() => parse({ loadtest: '5s', maxP95: 'fast' })).toThrow('--max-p95 "fast" is not a duration.');
    expect(() => parse({ loadtest: '5s', maxP95: '0ms' })).toThrow('--max-p95 "0ms" must be longer than 0.');
    expect(() => parse({ processGroup: ' ' })).toThrow("--process-group needs a name: one of fly.toml's [processes].");
  });
});

describe("the engine's argument arrays", () => {
  it('build: labelled, --force-rm, the build args, DIR last', () => {
    expect(buildArgs({ dir: '/d', tag: 't', label: 'l=1', buildArgs: ['A=1', 'B=2'] })).toEqual([
      'build',
      '--force-rm',
      '--label',
      'l=1',
      '-t',
      't',
      '--build-arg',
      'A=1',
      '--build-arg',
      'B=2',
      '/d',
    ]);
  });

  it('run: ports on 127.0.0.1 only, env, volumes, and the GPU flag of each engine only when asked', () => {
    const spec = { name: 'n', label: 'l', tag: 't', ports: [8080, 9400], env: { A: '1' }, mounts: ['/models'], gpus: false };
    expect(runArgs('podman', spec)).toEqual([
      'run',
      '--detach',
      '--name=n',
      '--label',
      'l',
      '--publish',
      '127.0.0.1::8080',
      '--publish',
      '127.0.0.1::9400',
      '--env',
      'A=1',
      '--volume',
      '/models',
      't',
    ]);
    expect(runArgs('docker', { ...spec, gpus: true }).slice(-3)).toEqual(['--gpus', 'all', 't']);
    expect(runArgs('podman', { ...spec, gpus: true }).slice(-3)).toEqual(['--device', 'nvidia.com/gpu=all', 't']);
    // A process group's command replaces the image's CMD: after the image, as its own arguments.
    expect(runArgs('podman', { ...spec, cmd: ['serve', '--port', '8080'] }).slice(-4)).toEqual(['t', 'serve', '--port', '8080']);
    expect(hostPort('127.0.0.1:49153\n')).toBe(49153);
    expect(hostPort('0.0.0.0:49153\n')).toBeNull();
  });

  it("build phases: podman's STEP lines and BuildKit's #N [stage i/n]; other lines are not phases", () => {
    expect(buildPhase('[2/3] STEP 4/5: RUN npm install')).toBe('[2/3] 4/5 RUN npm install');
    expect(buildPhase('STEP 1/12: FROM ubuntu:24.04 AS build')).toBe('1/12 FROM ubuntu:24.04 AS build');
    expect(buildPhase('#7 [runtime 2/9] RUN apt-get update')).toBe('[runtime 2/9] RUN apt-get update');
    expect(buildPhase('Get:1 http://deb.debian.org/debian bookworm InRelease')).toBeNull();
    expect(buildPhase(`STEP 1/2: RUN ${'x'.repeat(100)}`)).toHaveLength(72);
  });

  it("the final stage's user: the last USER, else GPUCTL_RUN_AS; root is none", () => {
    const finalUser = (dockerfile: string) => finalStageFacts(dockerfile).runAs;
    expect(finalUser('FROM a AS b\nUSER builder\nFROM c\nENV GPUCTL_RUN_AS=app\n')).toBe('app');
    expect(finalUser('FROM c\nENV GPUCTL_RUN_AS=app\nUSER 10001:10001\n')).toBe('10001');
    expect(finalUser('FROM c\nUSER root\n')).toBeNull();
    expect(finalUser('FROM a\nUSER builder\nFROM c\n')).toBeNull();
  });
});

describe('the checks', () => {
  const CPU_METRICS =
    '# HELP DCGM_FI_DEV_GPU_UTIL x\n# TYPE DCGM_FI_DEV_GPU_UTIL gauge\ngpuctl_host_cpus 2\ngpuctl_host_load1 0.5\ngpuctl_host_cpu_busy_ratio 0.1\n';

  it('/metrics: the host series in CPU fallback; a DCGM family declared without samples is not a GPU series', () => {
    expect(metricsCheck(200, CPU_METRICS, 'cpu').status).toBe('pass');
    expect(metricsCheck(200, CPU_METRICS, 'gpu')).toMatchObject({ status: 'fail' });
    expect(metricsCheck(200, CPU_METRICS, 'gpu').evidence).toContain('missing DCGM_FI_DEV_GPU_UTIL');
    expect(metricsCheck(0, '', 'cpu').evidence).toBe('no answer');
  });

  it('/gpu-health: ok passes; the CPU fallback of a GPU layout without a GPU warns; otherwise a failure names the reasons', () => {
    const fallback = {
      status: 'failing',
      mode: 'cpu fallback',
      failed: [{ name: 'nvidia-smi-missing', message: 'nvidia-smi is not installed' }],
    };
    expect(gpuHealthCheck(200, { status: 'ok', mode: 'cpu fallback', failed: [] }, { gpuLayout: false, gpusReserved: false }).status).toBe(
      'pass',
    );
    expect(gpuHealthCheck(503, fallback, { gpuLayout: true, gpusReserved: false }).status).toBe('warn');
    const failed = gpuHealthCheck(503, fallback, { gpuLayout: true, gpusReserved: true });
    expect(failed.status).toBe('fail');
    expect(failed.evidence).toBe('HTTP 503 failing, cpu fallback: nvidia-smi is not installed');
    expect(gpuHealthCheck(0, null, { gpuLayout: false, gpusReserved: false }).evidence).toBe('no answer');
  });

  it('user: the application and the agent as the layout user pass; root or another user fails', () => {
    const ps =
      'root /usr/bin/tini -s -- /usr/local/bin/gpuctl-start python3 -m app\napp python3 -m app\napp node /usr/local/bin/gpuctl agent\n';
    expect(userCheck(ps, ['python3', '-m', 'app'], 'app')).toMatchObject({ status: 'pass', evidence: 'application as app, agent as app' });
    expect(userCheck(ps.replace('app python3', 'root python3'), ['python3', '-m', 'app'], 'app').status).toBe('fail');
    expect(userCheck(ps, ['python3', '-m', 'app'], 'svc').status).toBe('fail');
    expect(userCheck(ps, ['uvicorn', 'main:app'], 'app').status).toBe('fail');
    // An image that names no user (no USER, no GPUCTL_RUN_AS): any user but root.
    expect(userCheck(ps, ['python3', '-m', 'app'], null).status).toBe('pass');
    expect(userCheck(ps.replace('app python3', 'root python3'), ['python3', '-m', 'app'], null)).toMatchObject({
      status: 'fail',
      evidence: 'application as root, agent as app (expected a non-root user)',
    });
  });

  it('build tools: none passes, any found fails naming it', () => {
    expect(buildToolsCheck('\n').status).toBe('pass');
    expect(buildToolsCheck('/usr/bin/gcc\n/usr/bin/make\n')).toMatchObject({
      status: 'fail',
      evidence: 'found /usr/bin/gcc, /usr/bin/make',
    });
  });

  it('stop: 0 or 128+N within kill_timeout passes; SIGKILL (137) or still running fails', () => {
    expect(cleanExitCodes('SIGINT')).toEqual([0, 130, 143]);
    const base = { killSignal: 'SIGINT', killTimeoutS: 30, seconds: 0.7 };
    expect(stopCheck({ ...base, stopped: true, exitCode: 130 }).status).toBe('pass');
    expect(stopCheck({ ...base, stopped: true, exitCode: 137 }).status).toBe('fail');
    expect(stopCheck({ ...base, stopped: false, exitCode: null }).evidence).toBe('still running 30 s after SIGINT (Fly would kill it)');
  });

  it('/metrics: one expected series missing is a failure', () => {
    const partial = 'gpuctl_host_cpus 2\ngpuctl_host_load1 0.5\n';
    expect(metricsCheck(200, partial, 'cpu')).toMatchObject({
      status: 'fail',
      evidence: 'missing gpuctl_host_cpu_busy_ratio (of 2 series)',
    });
  });

  it('/gpu-health: only HTTP 200 with status ok passes; the CPU fallback warns only for a GPU layout without GPUs', () => {
    const opts = { gpuLayout: true, gpusReserved: false };
    expect(gpuHealthCheck(200, { status: 'ok', mode: 'gpu', failed: [] }, opts)).toMatchObject({
      status: 'pass',
      evidence: 'HTTP 200 ok, gpu',
    });
    expect(gpuHealthCheck(503, { status: 'ok', mode: 'gpu', failed: [] }, opts).status).toBe('fail');
    expect(gpuHealthCheck(200, { status: 'degraded', mode: 'gpu', failed: [] }, opts).status).toBe('fail');
    const fallback = { status: 'failing', mode: 'cpu fallback', failed: [{ name: null, message: 'no GPU' }] };
    // a CPU layout's fallback failing is its own failure
    expect(gpuHealthCheck(503, fallback, { gpuLayout: false, gpusReserved: false }).status).toBe('fail');
    // a GPU layout failing on its GPU is not the fallback
    expect(gpuHealthCheck(503, { ...fallback, mode: 'gpu' }, opts).status).toBe('fail');
  });

  it('user: the agent counts too (root fails); a wrapper or another gpuctl process is not the agent; no CMD matches nothing', () => {
    const app = 'app python3 -m app\n';
    expect(userCheck(`${app}root node /usr/local/bin/gpuctl agent\n`, ['python3', '-m', 'app'], 'app')).toMatchObject({
      status: 'fail',
      evidence: 'application as app, agent as root (expected app)',
    });
    const others = `root /usr/local/bin/gpuctl diag --level quick\nroot /bin/sh /usr/local/bin/gpuctl-start gpuctl agent\n${app}app node /usr/local/bin/gpuctl agent\n`;
    expect(userCheck(others, ['python3', '-m', 'app'], 'app')).toMatchObject({
      status: 'pass',
      evidence: 'application as app, agent as app',
    });
    expect(userCheck(`${app}root /usr/local/bin/gpuctl diag\n`, ['python3', '-m', 'app'], 'app').evidence).toBe('application as app');
    expect(userCheck(app, [], 'app')).toMatchObject({ status: 'fail', evidence: 'no process runs ""' });
  });

  it("stop: the kill signal's own 128+N is clean; a refused signal or an unknown exit code fails; the time to a tenth", () => {
    expect(cleanExitCodes('SIGQUIT')).toEqual([0, 131, 130, 143]);
    const base = { killSignal: 'SIGQUIT', killTimeoutS: 30, seconds: 0.74, stopped: true };
    expect(stopCheck({ ...base, exitCode: 131 })).toMatchObject({
      status: 'pass',
      evidence: 'stopped in 0.7 s (kill_timeout 30 s), exit 131',
    });
    expect(stopCheck({ ...base, exitCode: null })).toMatchObject({
      status: 'fail',
      evidence: 'stopped in 0.7 s (kill_timeout 30 s), exit ?',
    });
    expect(stopCheck({ ...base, exitCode: 0, killError: 'invalid signal: SIGFOO' })).toMatchObject({
      status: 'fail',
      evidence: 'the signal was not sent: invalid signal: SIGFOO',
    });
  });
});
