/**
 * --for-local-gpu in runInit: the GPU comes from nvidia-smi (here the fake replaying the H200 capture,
 * behind the test ctx's exec), and on a terminal with a GPU the target question defaults to it.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { describeGpus } from '../../../src/detect/detect.js';
import { parseQuery, queryArgs } from '../../../src/gpu/nvidia-smi.js';
import { localGpuFrom } from '../../../src/init/local-gpu.js';
import { runInit } from '../../../src/init/run.js';
import type { Prompter } from '../../../src/ui/prompt.js';
import { FAKE_BIN } from '../../helpers/cli.js';
import { exited, makeTestCtx } from '../../helpers/ctx.js';

let h200Csv = '';
beforeAll(async () => {
  const run = await execa(process.execPath, [join(FAKE_BIN, 'nvidia-smi'), ...queryArgs()], {
    env: { FAKE_NVIDIA_SMI_FIXTURE: 'h200-x1/query.csv' },
  });
  h200Csv = run.stdout;
});

const smiRule = () => ({ match: (r: { file: string }) => r.file === 'nvidia-smi', result: exited(`${h200Csv}\n`) });

/** Answers every select with its default (what Enter gives) and every input with its default; records the defaults. */
function pressEnter(): Prompter & { defaults: Array<[string, unknown]> } {
  const defaults: Array<[string, unknown]> = [];
  return {
    defaults,
    confirm: async () => true,
    input: async (m, o) => (defaults.push([m, o?.default]), o?.default ?? ''),
    select: (async (m: string, _choices: unknown, def: unknown) => (defaults.push([m, def]), def)) as Prompter['select'],
  };
}

test('on a terminal with a GPU, the default target is its GPU layout: Enter gives Dockerfile + compose.yaml for the H200', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-local-'));
  const prompt = pressEnter();
  const ctx = { ...makeTestCtx({ interactive: true, prompt, rules: [smiRule()] }), cwd: dir };
  const outcome = await runInit({ dir: undefined, choices: {}, yes: false, force: false, skip: false, dryRun: false }, ctx);
  expect(prompt.defaults[0]).toEqual(['Target', 'local']);
  expect(outcome.files.map((f) => f.path)).toContain('compose.yaml');
  expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('ARG CUDA_VERSION=13.0.2');
  expect((JSON.parse(readFileSync(join(dir, '.gpuctl.json'), 'utf8')) as { init: { forLocalGpu?: boolean } }).init.forLocalGpu).toBe(true);
});

test('without a GPU the default stays the CPU layout, and --for-local-gpu exits 3', async () => {
  const absent = { match: (r: { file: string }) => r.file === 'nvidia-smi', result: { kind: 'not-found' as const, file: 'nvidia-smi' } };
  const prompt = pressEnter();
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-local-'));
  await runInit(
    { dir: undefined, choices: {}, yes: false, force: false, skip: false, dryRun: true },
    { ...makeTestCtx({ interactive: true, prompt, rules: [absent] }), cwd: dir },
  );
  expect(prompt.defaults[0]).toEqual(['Target', 'cpu:performance-8x']);
  const ctx = { ...makeTestCtx({ rules: [absent] }), cwd: dir };
  await expect(
    runInit({ dir: undefined, choices: { forLocalGpu: true, workload: 'batch' }, yes: true, force: false, skip: false, dryRun: true }, ctx),
  ).rejects.toMatchObject({ exitCode: 3 });
});

test('a GPU whose compute capability is unknown (old driver, telegraf XML capture) is refused with the reason', async () => {
  const run = await execa(process.execPath, [join(FAKE_BIN, 'nvidia-smi'), ...queryArgs()], {
    env: { FAKE_NVIDIA_SMI_FIXTURE: 'public/telegraf__rtx-3080-v12.q-x.xml' },
  });
  const parsed = parseQuery(run.stdout);
  if (!parsed.ok) throw new Error('capture did not parse');
  expect(() => localGpuFrom({ ...describeGpus(parsed.gpus), host: null, topology: null, topologyNote: null })).toThrow(
    /compute capability of NVIDIA GeForce RTX 3080 is unknown/,
  );
});
