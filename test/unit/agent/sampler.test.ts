/**
 * The agent's sampler on a faked stream (issue 22): it starts nvidia-smi through the context (gpu/smi-probe.ts
 * streamSmi → ctx.stream), so a test drives it line by line without a process: which binary and arguments it
 * asks for, a line becoming a reading, an old driver's rejected field dropped and the stream restarted, and no
 * nvidia-smi at all meaning the CPU fallback.
 */
import { afterEach, expect, test } from 'vitest';
import { Sampler } from '../../../src/agent/sampler.js';
import type { StreamEnd, StreamHandle, StreamRequest } from '../../../src/exec.js';
import { smiBinary, smiConfigured, streamSmi } from '../../../src/gpu/smi-probe.js';
import { SAMPLE_FIELDS, sampleArgs } from '../../../src/gpu/smi-sample.js';
import { makeTestCtx } from '../../helpers/ctx.js';

function fakeStreams() {
  const started: StreamRequest[] = [];
  const finish: Array<(end: StreamEnd) => void> = [];
  const stopped: string[] = [];
  const stream = (request: StreamRequest): StreamHandle => {
    started.push(request);
    let end!: (value: StreamEnd) => void;
    const ended = new Promise<StreamEnd>((resolve) => (end = resolve));
    finish.push(end);
    return {
      pid: 4242,
      stop: (reason) => {
        stopped.push(reason);
        end({ kind: 'stopped', reason });
      },
      ended,
    };
  };
  return { started, finish, stopped, stream };
}

/** One line of the streaming query for `fields`: a known GPU, every other cell "[N/A]". */
const line = (fields: readonly string[]) =>
  fields.map((f) => ({ index: '0', uuid: 'GPU-7f3a', name: 'NVIDIA H200', 'temperature.gpu': '41' })[f] ?? '[N/A]').join(', ');

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

const samplers: Sampler[] = [];
afterEach(async () => {
  await Promise.all(samplers.splice(0).map((s) => s.stop()));
});

function start(env: Record<string, string>, fake: ReturnType<typeof fakeStreams>, logs: string[] = []) {
  const ctx = makeTestCtx({ env, stream: fake.stream });
  const sampler = new Sampler((request) => streamSmi(ctx, request), {
    file: smiBinary(ctx),
    configured: smiConfigured(ctx) !== undefined,
    intervalMs: 1000,
    clock: ctx.clock,
    backoffMs: 1,
    onLog: (m) => void logs.push(m),
  });
  samplers.push(sampler);
  sampler.run();
  return sampler;
}

test('starts GPUCTL_NVIDIA_SMI with the streaming query through ctx.stream; a line becomes the GPU’s reading', async () => {
  const fake = fakeStreams();
  const sampler = start({ GPUCTL_NVIDIA_SMI: '/opt/nvidia/bin/nvidia-smi' }, fake);
  await until(() => fake.started.length === 1);
  expect(fake.started[0]).toMatchObject({
    file: '/opt/nvidia/bin/nvidia-smi',
    args: sampleArgs(SAMPLE_FIELDS, 1000),
    silenceTimeoutMs: 3000,
  });
  fake.started[0]!.onLine(line(SAMPLE_FIELDS));
  const state = sampler.state();
  expect(state.phase).toBe('running');
  expect(state.gpus.get('GPU-7f3a')?.sample).toMatchObject({ index: 0, name: 'NVIDIA H200', temperatureC: 41 });
});

test('an old driver’s rejected field is dropped and the stream started again without it', async () => {
  const fake = fakeStreams();
  const logs: string[] = [];
  const sampler = start({}, fake, logs);
  await until(() => fake.started.length === 1);
  expect(fake.started[0]!.file).toBe('nvidia-smi');
  fake.started[0]!.onLine('Field "remapped_rows.failure" is not a valid field to query.');
  expect(fake.stopped).toEqual(['nvidia-smi does not know the field "remapped_rows.failure"']);
  await until(() => fake.started.length === 2);
  const fewer = SAMPLE_FIELDS.filter((f) => f !== 'remapped_rows.failure');
  expect(fake.started[1]!.args).toEqual(sampleArgs(fewer, 1000));
  expect(sampler.state().droppedFields).toEqual(['remapped_rows.failure']);
  expect(logs).toContain('nvidia-smi does not know "remapped_rows.failure" (old driver); sampling without it');
  fake.started[1]!.onLine(line(fewer));
  expect(sampler.state().gpus.size).toBe(1);
});

test('no nvidia-smi at all: the CPU fallback, said once, and no restart', async () => {
  const fake = fakeStreams();
  const logs: string[] = [];
  const sampler = start({}, fake, logs);
  await until(() => fake.started.length === 1);
  fake.finish[0]!({ kind: 'not-found', file: 'nvidia-smi' });
  await until(() => sampler.state().phase === 'absent');
  expect(logs).toEqual(['nvidia-smi not found: no GPU to sample (CPU fallback)']);
  expect(fake.started).toHaveLength(1);
});

test('GPUCTL_NVIDIA_SMI naming no program is a failure that names it (restarted, /gpu-health fails), not the CPU fallback', async () => {
  const fake = fakeStreams();
  const logs: string[] = [];
  const sampler = start({ GPUCTL_NVIDIA_SMI: '/opt/nv/nvidia-smi' }, fake, logs);
  await until(() => fake.started.length === 1);
  fake.finish[0]!({ kind: 'not-found', file: '/opt/nv/nvidia-smi' });
  await until(() => fake.started.length === 2);
  expect(sampler.state().phase).not.toBe('absent');
  expect(sampler.state().failure?.message).toBe('GPUCTL_NVIDIA_SMI is set to "/opt/nv/nvidia-smi", and there is no such program');
  expect(logs[0]).toBe('GPUCTL_NVIDIA_SMI is set to "/opt/nv/nvidia-smi", and there is no such program; restarting in 0.001 s');
});

test('a test context without a stream fake refuses to start one (nothing reaches a real process)', async () => {
  await expect(streamSmi(makeTestCtx(), { args: ['-L'], silenceTimeoutMs: 10, onLine: () => undefined })).rejects.toThrow(
    'unexpected stream in test: nvidia-smi -L',
  );
});

test('stopped while the start is still pending: the stream is stopped as soon as it has started, and stays stopped', async () => {
  const fake = fakeStreams();
  const sampler = start({}, fake);
  samplers.pop();
  await sampler.stop();
  expect(fake.started).toHaveLength(1);
  expect(fake.stopped).toEqual(['agent stopping']);
  expect(sampler.state().phase).toBe('stopped');
});
