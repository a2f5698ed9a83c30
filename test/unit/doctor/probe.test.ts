/** The doctor's probes as a whole (doctor/probe.ts): Ctrl-C ends the run, a hung flyctl is said as one. */
import { expect, it } from 'vitest';
import { decideDoctor } from '../../../src/doctor/decide.js';
import { gatherDoctorFacts } from '../../../src/doctor/probe.js';
import { InterruptedError } from '../../../src/errors.js';
import type { ExecRequest } from '../../../src/exec.js';
import { exited, makeTestCtx } from '../../helpers/ctx.js';

const isFlyctl = (r: ExecRequest) => r.file === 'flyctl';

it('Ctrl-C while the tools answer: exit 130, not a report of the probes it cut short', async () => {
  const controller = new AbortController();
  // On a machine without nvidia-smi (whose probe throws on Ctrl-C), every other tool is cut short by the one Ctrl-C, as
  // exec.ts reports it: the old doctor printed them as failed checks ("flyctl version: interrupted", "podman info
  // failed (interrupted)", remedy "Reinstall flyctl.") and exited 1.
  const ctx = {
    ...makeTestCtx({
      rules: [
        { match: (r) => r.file === 'nvidia-smi', result: { kind: 'not-found', file: 'nvidia-smi' } },
        {
          match: () => true,
          result: () => {
            controller.abort();
            return { kind: 'interrupted', stdout: '', stderr: '' };
          },
        },
      ],
    }),
    signal: controller.signal,
  };
  await expect(gatherDoctorFacts(ctx)).rejects.toThrow(InterruptedError);
});

it('a flyctl that does not answer is said as one, with a remedy for a hang rather than a reinstall', async () => {
  const ctx = makeTestCtx({
    rules: [
      { match: isFlyctl, result: { kind: 'timeout', timeoutMs: 30_000, stdout: '', stderr: '' } },
      { match: () => true, result: { kind: 'not-found', file: 'tool' } },
    ],
  });
  const facts = await gatherDoctorFacts(ctx);
  expect(facts.flyctl).toEqual({ kind: 'hung', seconds: 30 });
  const row = decideDoctor(facts).find((r) => r.id === 'flyctl');
  expect(row).toMatchObject({ status: 'fail', detail: 'flyctl version did not answer within 30 s' });
  expect(row?.remedy).toMatch(/^Run `flyctl version` yourself/);
});

it('a whoami that does not answer says so in words', async () => {
  const ctx = makeTestCtx({
    rules: [
      { match: ['flyctl', 'version', '--json'], result: exited('{"Version":"0.4.87"}') },
      { match: isFlyctl, result: { kind: 'timeout', timeoutMs: 30_000, stdout: '', stderr: '' } },
      { match: () => true, result: { kind: 'not-found', file: 'tool' } },
    ],
  });
  const facts = await gatherDoctorFacts(ctx);
  expect(facts.flyAuth).toEqual({ kind: 'error', message: 'flyctl auth whoami did not answer within 30 s' });
});

it('DOCKER set and empty is unset for the Docker client row too, as for the engine row (it ran "" and said "not found")', async () => {
  const ctx = makeTestCtx({
    env: { DOCKER: '' },
    rules: [
      { match: ['docker', '--version'], result: exited('Docker version 28.2.2, build e6534b4\n') },
      { match: () => true, result: { kind: 'not-found', file: 'tool' } },
    ],
  });
  expect((await gatherDoctorFacts(ctx)).docker).toEqual({ kind: 'ok', version: 'Docker 28.2.2' });
});

it('GPUCTL_NVIDIA_SMI naming no program fails the driver row with that sentence and its remedy (it said "no NVIDIA GPU here")', async () => {
  const ctx = makeTestCtx({
    env: { GPUCTL_NVIDIA_SMI: '/opt/nv/nvidia-smi' },
    rules: [{ match: () => true, result: { kind: 'not-found', file: 'tool' } }],
  });
  const row = decideDoctor(await gatherDoctorFacts(ctx)).find((r) => r.id === 'gpu');
  expect(row).toEqual({
    id: 'gpu',
    name: 'NVIDIA driver',
    status: 'fail',
    detail: 'GPUCTL_NVIDIA_SMI is set to "/opt/nv/nvidia-smi", and there is no such program.',
    remedy: 'Point GPUCTL_NVIDIA_SMI at nvidia-smi, or unset it to use nvidia-smi from PATH.',
  });
});

it('NVCC naming no program fails the nvcc row with that sentence and its remedy (it said "not found")', async () => {
  const ctx = makeTestCtx({
    env: { NVCC: '/opt/cuda/bin/nvcc' },
    rules: [{ match: () => true, result: { kind: 'not-found', file: 'tool' } }],
  });
  const row = decideDoctor(await gatherDoctorFacts(ctx)).find((r) => r.id === 'nvcc');
  expect(row).toMatchObject({
    status: 'fail',
    detail: 'NVCC is set to "/opt/cuda/bin/nvcc", and there is no such program',
    remedy: 'Point NVCC at nvcc, or unset it to use nvcc from PATH.',
  });
});
