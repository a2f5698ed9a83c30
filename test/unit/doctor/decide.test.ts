import { describe, expect, it } from 'vitest';
import { decideDoctor, doctorExitCode, missingChecks, type DoctorFacts } from '../../../src/doctor/decide.js';
import { NOTHING_INSTALLED } from './facts.js';

const ready: DoctorFacts = {
  nodeVersion: '20.20.2',
  gpu: { kind: 'ok', driverVersion: '580.159.04', cudaVersion: '13.0', gpus: [{ name: 'NVIDIA H200', computeCapability: '9.0' }] },
  nvcc: { kind: 'ok', version: '13.0', targets: ['sm_75', 'sm_80', 'sm_86', 'sm_89', 'sm_90', 'sm_100', 'sm_120'] },
  flyctl: { kind: 'ok', version: '0.4.87' },
  flyAuth: { kind: 'ok', email: 'ops@example.com' },
  tokenInEnv: true,
  docker: { kind: 'ok', version: 'Docker 28.2.2' },
  engine: { kind: 'ok', name: 'docker', version: '28.2.2' },
};

const status = (facts: DoctorFacts, required: Parameters<typeof decideDoctor>[1] = []) =>
  Object.fromEntries(decideDoctor(facts, required).map((r) => [r.id, r.status]));

describe('decideDoctor', () => {
  it('a ready GPU workstation passes everything', () => {
    const rows = decideDoctor(ready);
    expect(rows.every((r) => r.status === 'pass')).toBe(true);
    expect(rows.find((r) => r.id === 'fly-auth')?.detail).toBe('logged in as ops@example.com (token from the environment)');
    expect(doctorExitCode(rows)).toBe(0);
  });

  it('a laptop without GPU or flyctl warns but does not fail', () => {
    const facts = NOTHING_INSTALLED;
    expect(status(facts)).toEqual({
      node: 'pass',
      gpu: 'warn',
      nvcc: 'warn',
      'cuda-compat': 'skip',
      flyctl: 'warn',
      'fly-auth': 'skip',
      docker: 'warn',
      engine: 'warn',
    });
    expect(doctorExitCode(decideDoctor(facts))).toBe(0);
    expect(doctorExitCode(decideDoctor(facts, ['gpu']), missingChecks(facts))).toBe(3);
    expect(doctorExitCode(decideDoctor(facts, ['gpu', 'flyctl', 'fly-auth', 'cuda-compat']), missingChecks(facts))).toBe(3);
    expect(status(facts, ['fly-auth'])['fly-auth']).toBe('fail');
  });

  it('a required tool that is present but failing, next to a missing one, is a failure (exit 1), not "missing"', () => {
    const facts: DoctorFacts = {
      ...ready,
      gpu: { kind: 'absent' },
      flyctl: { kind: 'ok', version: '0.4.87' },
      flyAuth: { kind: 'error', message: 'unauthorized' },
    };
    expect(doctorExitCode(decideDoctor(facts, ['gpu', 'fly-auth']), missingChecks(facts))).toBe(1);
    expect(doctorExitCode(decideDoctor({ ...ready, nodeVersion: '20.11.1' }), missingChecks(ready))).toBe(1);
  });

  it('a token in the environment that Fly.io refuses: the remedy is a new token or unsetting it, not "set FLY_API_TOKEN"', () => {
    const refused = decideDoctor({ ...ready, flyAuth: { kind: 'error', message: 'unauthorized' } }).find((r) => r.id === 'fly-auth');
    expect(refused).toMatchObject({ status: 'warn', detail: 'unauthorized (token from the environment)' });
    expect(refused?.remedy).toContain('did not accept the token in FLY_API_TOKEN/FLY_ACCESS_TOKEN');
    expect(refused?.remedy).not.toContain('set FLY_API_TOKEN');
    const login = 'Run `flyctl auth login`, or set FLY_API_TOKEN (e.g. from `fly tokens create deploy`).';
    const noToken = decideDoctor({ ...ready, tokenInEnv: false, flyAuth: { kind: 'error', message: 'no access token available' } });
    expect(noToken.find((r) => r.id === 'fly-auth')?.remedy).toBe(login);
    // A token that could not be checked (flyctl hung) was not refused: the general remedy stays.
    const hung = decideDoctor({ ...ready, flyAuth: { kind: 'error', message: 'flyctl auth whoami: timeout' } }).find(
      (r) => r.id === 'fly-auth',
    );
    expect(hung?.remedy).toBe(login);
  });

  it('old Node fails', () => {
    expect(status({ ...ready, nodeVersion: '20.11.1' }).node).toBe('fail');
    expect(status({ ...ready, nodeVersion: '22.1.0' }).node).toBe('pass');
  });

  it('a broken driver fails even when not required', () => {
    expect(status({ ...ready, gpu: { kind: 'error', message: 'nvidia-smi cannot reach the NVIDIA driver' } }).gpu).toBe('fail');
  });

  it('CUDA 13 cannot build for Volta', () => {
    const volta: DoctorFacts = {
      ...ready,
      gpu: {
        kind: 'ok',
        driverVersion: '550.127.05',
        cudaVersion: '12.4',
        gpus: [{ name: 'Tesla V100-SXM2-16GB', computeCapability: '7.0' }],
      },
    };
    const rows = decideDoctor(volta);
    expect(rows.find((r) => r.id === 'nvcc')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('cannot build for sm_70') as string,
    });
    expect(rows.find((r) => r.id === 'cuda-compat')).toMatchObject({
      status: 'fail',
      detail: 'driver CUDA 12.4 cannot run binaries from nvcc 13.0',
    });
  });

  it('driver one minor behind nvcc is a warning (minor-version compatibility)', () => {
    const rows = decideDoctor({
      ...ready,
      gpu: { ...ready.gpu, kind: 'ok', driverVersion: '575.1', cudaVersion: '12.9', gpus: [] },
      nvcc: { kind: 'ok', version: '12.9', targets: [] },
    });
    expect(rows.find((r) => r.id === 'cuda-compat')?.status).toBe('pass');
    const behind = decideDoctor({
      ...ready,
      gpu: { kind: 'ok', driverVersion: '570.1', cudaVersion: '12.8', gpus: [] },
      nvcc: { kind: 'ok', version: '12.9', targets: [] },
    });
    expect(behind.find((r) => r.id === 'cuda-compat')?.status).toBe('warn');
  });

  it('flyctl older than v0.4.82 is flagged as still offering GPU flags', () => {
    expect(decideDoctor({ ...ready, flyctl: { kind: 'ok', version: '0.3.10' } }).find((r) => r.id === 'flyctl')?.detail).toContain(
      'still offers GPU flags',
    );
  });

  describe('bench without nvcc: packed install or clone (issue 13)', () => {
    const noNvcc = { ...ready, nvcc: { kind: 'absent' } } as const;
    it('a packed gpuctl falls back to its prebuilt binary, which needs an R580 driver', () => {
      const rows = decideDoctor({ ...noNvcc, benchPrebuilt: true });
      expect(rows.find((r) => r.id === 'nvcc')?.remedy).toMatch(
        /runs the prebuilt binary this gpuctl ships \(dist\/native, built with CUDA 13\.0: needs an R580\+ driver\)/,
      );
      expect(rows.find((r) => r.id === 'cuda-compat')).toMatchObject({
        status: 'pass',
        detail: "driver supports CUDA 13.0 ≥ 13.0 (the prebuilt binary's)",
      });
      const old = decideDoctor({
        ...noNvcc,
        benchPrebuilt: true,
        gpu: { kind: 'ok', driverVersion: '550.90.12', cudaVersion: '12.4', gpus: [] },
      });
      expect(old.find((r) => r.id === 'cuda-compat')).toMatchObject({
        status: 'fail',
        detail: 'driver CUDA 12.4 cannot run the prebuilt binary (CUDA 13.0, needs an R580+ driver)',
      });
    });

    it('a clone has no prebuilt binary: --cpu builds with c++, GPU runs need a toolkit; never "falls back to its prebuilt binary"', () => {
      const row = decideDoctor({ ...noNvcc, benchPrebuilt: false }).find((r) => r.id === 'nvcc')!;
      expect(row.detail).toContain('this gpuctl ships no prebuilt benchmark binary (a clone');
      expect(row.remedy).toContain('`gpuctl bench --cpu` builds the CPU suite with the host C++ compiler');
      expect(row.remedy).toContain('12.4+ with an R525+ driver, 13 with R580+');
      expect(`${row.detail} ${row.remedy}`).not.toContain('falls back');
    });
  });
});
