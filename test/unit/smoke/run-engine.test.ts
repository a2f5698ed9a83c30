/**
 * runSmoke against an engine faked at ctx.exec: what the engine prints is read, not trusted. `image inspect` printing
 * something that is not "SIZE CMD-JSON" is a clear tool error (exit 1), and the image is still removed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quietSmokeDeps } from '../../helpers/smoke-engine.js';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import { findEngine, imageFacts } from '../../../src/smoke/engine.js';
import type { SmokeLayout } from '../../../src/smoke/layout.js';
import { stopAsFly } from '../../../src/smoke/probe.js';
import { runSmoke } from '../../../src/smoke/run.js';
import { fakeClock } from '../../helpers/clock.js';
import { exited, makeTestCtx } from '../../helpers/ctx.js';

describe('imageFacts', () => {
  it('reads the size and the CMD (spaces inside an argument kept); none, or nothing printed, is no CMD', () => {
    expect(imageFacts('395912345 ["python3","-m","app"]\n')).toEqual({ sizeBytes: 395912345, cmd: ['python3', '-m', 'app'] });
    expect(imageFacts('12 ["sh","-c","a  b"]')).toEqual({ sizeBytes: 12, cmd: ['sh', '-c', 'a  b'] });
    expect(imageFacts('12 null')).toEqual({ sizeBytes: 12, cmd: [] });
    expect(imageFacts('')).toEqual({ sizeBytes: null, cmd: [] });
  });

  it('is null for anything else', () => {
    expect(imageFacts('<html>502 Bad Gateway</html>')).toBeNull();
    expect(imageFacts('12 {"Cmd":1}')).toBeNull();
    expect(imageFacts('12 [1,2]')).toBeNull();
    expect(imageFacts('garbage')).toBeNull();
    expect(imageFacts('<no value> ["app"]')).toBeNull();
  });
});

describe('runSmoke with an engine that prints garbage', () => {
  it('image inspect: a tool error naming the command, and the image built is removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-smoke-run-'));
    writeFileSync(join(dir, 'fly.toml'), "app = 'demo'\n[http_service]\n  internal_port = 8080\n");
    writeFileSync(join(dir, 'Dockerfile'), 'FROM ubuntu:22.04\n');
    const ctx = makeTestCtx({
      env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'gpuctl-smoke-state-')) },
      rules: [
        { match: (r) => r.file === 'podman' && r.args[0] === 'info', result: exited('{}') },
        { match: (r) => r.file === 'podman' && r.args[0] === 'build', result: exited('STEP 1/1: FROM ubuntu:22.04\n') },
        { match: (r) => r.file === 'podman' && r.args[0] === 'image', result: exited('Error: <garbage>\n') },
        { match: (r) => r.file === 'podman' && r.args[0] === 'rmi', result: exited('') },
      ],
    });
    const deps = quietSmokeDeps();
    const options = { dir, engine: 'podman' as const, buildArgs: [], waitTimeoutMs: 1000, keep: false };
    await expect(runSmoke(ctx, options, deps)).rejects.toMatchObject({
      exitCode: ExitCode.failed,
      code: 'bad_output',
      message: '`podman image inspect` printed something unreadable: "Error: <garbage>".',
    });
    expect(ctx.calls.map((c) => c.args[0])).toEqual(['info', 'build', 'image', 'rmi']);
  });
});

describe('runSmoke with an engine that names no port', () => {
  const smokeWithPort = async (portSaid: string, stateSaid: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-smoke-run-'));
    writeFileSync(
      join(dir, 'fly.toml'),
      "app = 'demo'\n[http_service]\n  internal_port = 8080\n[[http_service.checks]]\n  path = '/health'\n",
    );
    writeFileSync(join(dir, 'Dockerfile'), 'FROM ubuntu:22.04\n');
    const on = (sub: string, stdout: string) => ({
      match: (r: { file: string; args: readonly string[] }) => r.args[0] === sub,
      result: exited(stdout),
    });
    const ctx = makeTestCtx({
      env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'gpuctl-smoke-state-')) },
      rules: [
        on('info', '{}'),
        on('build', ''),
        on('image', '12 ["app"]'),
        on('run', 'c0ffee\n'),
        on('port', portSaid),
        on('inspect', stateSaid),
        on('logs', ''),
        on('rm', ''),
        on('rmi', ''),
      ],
    });
    const deps = quietSmokeDeps();
    const result = await runSmoke(ctx, { dir, engine: 'podman', buildArgs: [], waitTimeoutMs: 1000, keep: false }, deps);
    return { result, calls: ctx.calls.map((c) => c.args[0]) };
  };

  it('the start check fails saying what `port` printed (not "http://127.0.0.1:null"), and the container is removed', async () => {
    const { result, calls } = await smokeWithPort('0.0.0.0:49153\n', 'true 0\n');
    expect(result.passed).toBe(false);
    expect(result.checks.map((c) => [c.id, c.status, c.evidence])).toEqual([
      ['build', 'pass', expect.any(String)],
      ['start', 'fail', '`podman port` named no 127.0.0.1 port: "0.0.0.0:49153"'],
    ]);
    expect(calls).toEqual(['info', 'build', 'image', 'run', 'port', 'inspect', 'logs', 'rm', 'rmi']);
  });

  it('an application that exited at once (its ports gone with it) fails the health check with its exit code', async () => {
    const { result, calls } = await smokeWithPort('', 'false 3\n');
    expect(result.passed).toBe(false);
    expect(result.checks.map((c) => [c.id, c.status, c.evidence])).toEqual([
      ['build', 'pass', expect.any(String)],
      ['start', 'pass', 'started, then exited before its ports could be read'],
      [
        'app-health',
        'fail',
        expect.stringMatching(/^the container exited \(code 3\) before \/health answered; last: no answer; GET http:\/\/:8080\/health /),
      ],
    ]);
    expect(calls).toEqual(['info', 'build', 'image', 'run', 'port', 'inspect', 'logs', 'rm', 'rmi']);
  });
});

describe('stopAsFly with a signal the engine refuses', () => {
  it('fails at once naming what the engine said, instead of "still running" after kill_timeout', async () => {
    const clock = fakeClock({ autoAdvance: true });
    const ctx = makeTestCtx({ clock });
    const engine = {
      name: 'podman' as const,
      run: async (args: readonly string[]) =>
        args[0] === 'kill'
          ? { exitCode: 125, stdout: '', stderr: 'Error: invalid signal: SIGFOO\n' }
          : { exitCode: 0, stdout: 'true 0\n', stderr: '' },
    };
    const container = { name: 'c', app: '', agent: null, ports: {}, cmd: [], gpus: false };
    const layout = { killSignal: 'SIGFOO', killTimeoutS: 30 } as SmokeLayout;
    const stop = await stopAsFly(ctx, engine, container, layout, { readVerdict: () => null, progress: () => undefined });
    expect(stop).toMatchObject({ id: 'stop', status: 'fail', evidence: 'the signal was not sent: Error: invalid signal: SIGFOO' });
    expect(clock.sleeps).toEqual([]);
  });
});

describe('$DOCKER (README, Environment: the tool to run instead of the one on PATH)', () => {
  it('is the docker program smoke probes and runs; podman is still podman', async () => {
    const ctx = makeTestCtx({
      env: { DOCKER: '/opt/docker/bin/docker' },
      rules: [
        { match: (r) => r.file === '/opt/docker/bin/docker', result: exited('{}') },
        { match: (r) => r.file === 'podman', result: exited('{}') },
      ],
    });
    const docker = await findEngine(ctx, undefined);
    expect(docker.name).toBe('docker');
    await docker.run(['version'], { timeoutMs: 1000 });
    await (await findEngine(ctx, 'podman')).run(['version'], { timeoutMs: 1000 });
    expect(ctx.calls.map((c) => [c.file, c.args[0]])).toEqual([
      ['/opt/docker/bin/docker', 'info'],
      ['/opt/docker/bin/docker', 'version'],
      ['podman', 'info'],
      ['podman', 'version'],
    ]);
  });
});

describe('findEngine with --engine', () => {
  const daemonDown = exited('', 1, 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n');

  it('--engine docker with its daemon down names the flag, and the way out is to start it or leave --engine out (not to install podman)', async () => {
    const ctx = makeTestCtx({ rules: [{ match: (r) => r.file === 'docker', result: daemonDown }] });
    const error = await findEngine(ctx, 'docker').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      exitCode: ExitCode.missing,
      message:
        '--engine docker does not work here: docker: installed, but `docker info` failed (Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?).',
    });
    expect((error as { hint?: string }).hint).toMatch(/^Start the Docker daemon .*leave --engine out/);
    expect(ctx.calls.map((c) => c.file)).toEqual(['docker']);
  });

  it('without --engine, none working names both', async () => {
    const ctx = makeTestCtx({ rules: [{ match: () => true, result: { kind: 'not-found', file: 'x' } }] });
    await expect(findEngine(ctx, undefined)).rejects.toThrow('No working container engine: docker: not installed; podman: not installed.');
  });
});
