/** `gpuctl smoke` flags, the layout read from init's files, the build's phases, the run's arguments, the report's text. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSmoke } from '../../../src/commands/smoke.js';
import { phaseOf } from '../../../src/smoke/build.js';
import { gpuFlags, hostPortOf, runArgs } from '../../../src/smoke/container.js';
import { layoutOf } from '../../../src/smoke/layout.js';
import { renderMarkdown, renderText, type SmokeJson } from '../../../src/smoke/render.js';
import { createStyle } from '../../../src/ui/style.js';
import { ROOT } from '../../helpers/cli.js';

const parse = (opts: Record<string, unknown>) => parseSmoke({ args: [], opts }, '/work');

describe('parseSmoke', () => {
  it('defaults: the current directory, any engine, 2 min wait, no load run', () => {
    expect(parse({})).toEqual({ dir: '/work', engine: null, buildArgs: [], waitTimeoutMs: 120_000, keep: false, loadtest: null });
  });

  it('reads every flag', () => {
    const o = parse({
      dir: 'app',
      engine: 'podman',
      buildArg: ['A=1', 'B_2='],
      waitTimeout: '30s',
      keep: true,
      loadtest: '20s,50',
      maxP95: '50ms',
      minRps: '40',
    });
    expect(o).toEqual({
      dir: '/work/app',
      engine: 'podman',
      buildArgs: ['A=1', 'B_2='],
      waitTimeoutMs: 30_000,
      keep: true,
      loadtest: { durationS: 20, rate: 50, maxP95Ms: 50, minRps: 40 },
    });
    expect(parse({ loadtest: '5s' }).loadtest).toEqual({ durationS: 5, rate: null });
  });

  it('refuses bad values with the flag named', () => {
    expect(() => parse({ buildArg: ['=1'] })).toThrow('--build-arg "=1" is not NAME=value.');
    expect(() => parse({ buildArg: ['A=1\nB=2'] })).toThrow('--build-arg');
    expect(() => parse({ engine: 'nerdctl' })).toThrow('--engine must be docker or podman');
    expect(() => parse({ waitTimeout: 'soon' })).toThrow('--wait-timeout "soon" is not a duration.');
    expect(() => parse({ loadtest: '20s,50,3' })).toThrow('is not DURATION[,RATE]');
    expect(() => parse({ loadtest: '11m' })).toThrow('is not DURATION[,RATE]');
    expect(() => parse({ loadtest: '20s,0.5' })).toThrow('must be a number from 1 to 10000');
    expect(() => parse({ maxP95: '10ms' })).toThrow('give --loadtest too');
    expect(() => parse({ loadtest: '5s', minRps: '-1' })).toThrow('--min-rps must be a number above 0');
  });
});

describe('the layout', () => {
  const dockerfile = readFileSync(join(ROOT, 'templates/Dockerfile.cpu'), 'utf8');
  const fly = `app = 'demo'\nkill_signal = 'SIGINT'\nkill_timeout = 30\n[env]\n  GPUCTL_DEVICE = 'cpu'\n  GPUCTL_PORT = '8080'\n[http_service]\n  internal_port = 8080\n[metrics]\n  port = 9400\n`;

  it("reads fly.toml's ports, stop signal, timeout and env; the template's user is GPUCTL_RUN_AS", () => {
    expect(layoutOf('/d', { flyToml: fly, dockerfile })).toEqual({
      dir: '/d',
      app: 'demo',
      port: 8080,
      metricsPort: 9400,
      killSignal: 'SIGINT',
      killTimeoutS: 30,
      env: { GPUCTL_DEVICE: 'cpu', GPUCTL_PORT: '8080' },
      gpu: false,
      user: 'app',
    });
  });

  it("a GPU layout: FROM nvidia/cuda; compose.yaml's environment over fly.toml's; USER wins; Fly's defaults", () => {
    const gpu = layoutOf('/d', {
      flyToml: "[http_service]\n  internal_port = 8000\n[env]\n  A = '1'\n",
      dockerfile: 'FROM nvidia/cuda:12.5.1-base-ubuntu22.04\nUSER 1000:1000\n',
      compose: 'services:\n  app:\n    environment:\n      A: "2"\n      GPUCTL_AGENT_EXPECT_GPUS: "1"\n',
    });
    expect(gpu).toMatchObject({
      gpu: true,
      user: '1000',
      env: { A: '2', GPUCTL_AGENT_EXPECT_GPUS: '1' },
      killSignal: 'SIGINT',
      killTimeoutS: 5,
      metricsPort: 9400,
    });
    expect(() => layoutOf('/d', { flyToml: 'app = "x"\n', dockerfile: '' })).toThrow('has no [http_service] internal_port');
    expect(() => layoutOf('/d', { flyToml: 'app = ', dockerfile: '' })).toThrow('is not valid TOML');
  });

  it('runs with the ports on 127.0.0.1 only, the env, and the GPU flags of each engine', () => {
    const layout = layoutOf('/d', { flyToml: fly, dockerfile });
    expect(runArgs(layout, 'n', 't', 'gpuctl-smoke=1', 'podman', false)).toEqual([
      'run',
      '--detach',
      '--name',
      'n',
      '--label',
      'gpuctl-smoke=1',
      '--publish',
      '127.0.0.1::8080',
      '--publish',
      '127.0.0.1::9400',
      '--env',
      'GPUCTL_DEVICE=cpu',
      '--env',
      'GPUCTL_PORT=8080',
      't',
    ]);
    expect(runArgs(layout, 'n', 't', 'l', 'docker', true).slice(-3)).toEqual([...gpuFlags('docker'), 't']);
    expect(gpuFlags('docker')).toEqual(['--gpus', 'all']);
    expect(gpuFlags('podman')).toEqual(['--device', 'nvidia.com/gpu=all']);
    expect(hostPortOf('127.0.0.1:41234\n')).toBe(41234);
    expect(hostPortOf('0.0.0.0:41234\n')).toBeNull();
  });
});

describe('build phases', () => {
  it("podman's STEP lines, docker's legacy Step lines and BuildKit's #N [stage i/n]", () => {
    expect(phaseOf('[2/3] STEP 4/5: RUN npm install --global /tmp/gpuctl.tgz')).toBe('4/5 RUN npm install --global /tmp/gpuctl.tgz');
    expect(phaseOf('STEP 1/12: FROM ubuntu:24.04 AS build')).toBe('1/12 FROM ubuntu:24.04 AS build');
    expect(phaseOf('Step 3/12 : RUN apt-get update')).toBe('3/12 RUN apt-get update');
    expect(phaseOf('#7 [runtime 2/9] RUN apt-get update')).toBe('runtime 2/9 RUN apt-get update');
    expect(phaseOf('Get:1 http://deb.debian.org/debian bookworm InRelease')).toBeNull();
  });
});

describe('the report', () => {
  const report: SmokeJson = {
    schemaVersion: 1,
    dir: '/d',
    engine: { name: 'podman', version: 'podman version 4.3.1' },
    image: { tag: 'localhost/gpuctl-smoke-demo:ab', buildSeconds: 22.7, sizeBytes: 396e6, kept: false },
    gpu: { layout: false, machine: false, reserved: false, note: 'CPU layout: no GPU reserved' },
    checks: [
      { name: 'image builds', status: 'pass', evidence: '22.7 s, 396 MB' },
      { name: 'application /health', status: 'fail', evidence: 'the container exited (7) | before' },
    ],
    failedStep: 'application /health',
    buildLog: '/l.log',
    interrupted: false,
    passed: false,
    exitCode: 1,
  };

  it('a table for people naming the failed step, markdown for the step summary', () => {
    const text = renderText(report, createStyle(false));
    expect(text).toContain('FAIL gpuctl smoke /d with podman version 4.3.1');
    expect(text).toContain('built in 22.7 s, 396 MB (removed)');
    expect(text).toMatch(/✗ fail\s+application \/health\s+the container exited \(7\)/);
    expect(text).toContain('Failed at: application /health. Build log: /l.log');
    const md = renderMarkdown(report);
    expect(md).toContain('### gpuctl smoke: ❌ failed at application /health');
    expect(md).toContain('| ❌ | application /health | the container exited (7) \\| before |');
  });
});
