/**
 * Golden directories for `init --for-local-gpu`: test/fixtures/init-local/<case>/inputs.json names a
 * recorded nvidia-smi capture (nvidiaSmi) and the init inputs; expected/ holds every file rendered.
 * The GPU comes through the real detect path: the fake nvidia-smi replays the capture to gpuctl's
 * own query, parsed and matched (catalogue or derived profile) as `gpuctl detect` does.
 * Regenerate with `UPDATE_GOLDEN=1 npx vitest run test/unit/init/golden-local.test.ts`; review the diff.
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { describe, expect, test } from 'vitest';
import { describeGpus } from '../../../src/detect/detect.js';
import { parseQuery, queryArgs } from '../../../src/gpu/nvidia-smi.js';
import { resolveInputs } from '../../../src/init/inputs.js';
import { localGpuFrom, type LocalGpu } from '../../../src/init/local-gpu.js';
import { parseRecorded } from '../../../src/init/record.js';
import { renderData, renderFiles } from '../../../src/init/render.js';
import { loadTemplates } from '../../../src/init/templates.js';
import { validateFiles } from '../../../src/validate/index.js';
import { FAKE_BIN, FIXTURES } from '../../helpers/cli.js';

const GOLDEN = join(FIXTURES, 'init-local');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const DIR_NAME = 'golden-app';
const cases = readdirSync(GOLDEN)
  .filter((name) => existsSync(join(GOLDEN, name, 'inputs.json')))
  .sort();
const templates = loadTemplates();

async function localGpu(fixture: string): Promise<LocalGpu> {
  const run = await execa(process.execPath, [join(FAKE_BIN, 'nvidia-smi'), ...queryArgs()], {
    env: { FAKE_NVIDIA_SMI_FIXTURE: fixture },
    timeout: 20_000,
  });
  const parsed = parseQuery(run.stdout);
  if (!parsed.ok) throw new Error(`the capture ${fixture} did not parse`);
  return localGpuFrom({ ...describeGpus(parsed.gpus), host: null, topology: null, topologyNote: null });
}

test('the cases cover the catalogue GPUs of the issue and a derived one', () => {
  expect(cases).toEqual(
    expect.arrayContaining([
      'h200-inference',
      'h100-batch',
      'l40s-inference',
      'a100-sxm4-x4-backtest',
      'v100-x8-training',
      'rtx4090-x8-batch',
      'rtx2080super-derived-inference',
    ]),
  );
});

describe.each(cases)('%s', async (name) => {
  const spec = JSON.parse(readFileSync(join(GOLDEN, name, 'inputs.json'), 'utf8')) as { nvidiaSmi: string };
  const local = await localGpu(spec.nvidiaSmi);
  const inputs = resolveInputs([parseRecorded(readFileSync(join(GOLDEN, name, 'inputs.json'), 'utf8'), name)], DIR_NAME);
  const files = renderFiles(templates, renderData(inputs, DIR_NAME, local));
  const text = (path: string) => files.find((f) => f.path === path)?.content ?? '';

  test('renders exactly the expected files', () => {
    const expectedDir = join(GOLDEN, name, 'expected');
    if (UPDATE) {
      mkdirSync(expectedDir, { recursive: true });
      for (const f of files) writeFileSync(join(expectedDir, f.path), f.content);
    }
    expect(readdirSync(expectedDir).sort()).toEqual(files.map((f) => f.path).sort());
    for (const f of files) expect(f.content, f.path).toBe(readFileSync(join(expectedDir, f.path), 'utf8'));
  });

  test('the Dockerfile is built for the GPU and the driver; fly.toml is the CPU layout; compose reserves the GPUs', () => {
    const docker = text('Dockerfile');
    expect(docker).toContain(`TORCH_CUDA_ARCH_LIST=${local.computeCapability}`);
    expect(docker).toContain(`CUDAARCHS=${local.computeCapability.replace('.', '')}`);
    expect(docker).toContain(`ARG CUDA_VERSION=${local.cudaImage}`);
    expect(Number(local.cudaImage.split('.').slice(0, 2).join('.'))).toBeLessThanOrEqual(Number(local.maxCuda));
    expect(docker.includes('NCCL_NVLS_ENABLE=0')).toBe(local.indices.length > 1);
    const fly = parse(text('fly.toml')) as { env: Record<string, string>; vm: Array<Record<string, unknown>> };
    expect(fly.env.GPUCTL_DEVICE).toBe('cpu');
    expect(fly.vm[0]?.gpu_kind).toBeUndefined();
    expect(text('fly.toml')).toContain('This is the CPU layout for Fly.io');
    const compose = parseYaml(text('compose.yaml')) as {
      services: { app: { environment: Record<string, string>; deploy: { resources: { reservations: { devices: unknown[] } } } } };
    };
    expect(compose.services.app.deploy.resources.reservations.devices).toEqual([
      { driver: 'nvidia', device_ids: local.indices.map(String), capabilities: ['gpu'] },
    ]);
    expect(compose.services.app.environment.GPUCTL_PRECISION).toBe(local.profile.bestPrecision);
  });

  test('validates clean: fly.toml, the Dockerfile and compose.yaml', () => {
    const findings = validateFiles({
      flyToml: { path: 'fly.toml', text: text('fly.toml') },
      dockerfile: { path: 'Dockerfile', text: text('Dockerfile') },
      composeYaml: { path: 'compose.yaml', text: text('compose.yaml') },
    });
    expect(findings).toEqual([]);
  });
});
