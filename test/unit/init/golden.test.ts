/**
 * Golden directories: test/fixtures/init/<case>/inputs.json (the flags, as .gpuctl.json records them)
 * and expected/ (every file init renders). Regenerate with `UPDATE_GOLDEN=1 npx vitest run test/unit/init`
 * and review the change in `git diff`. Every profile is crossed with every Fly GPU kind and two CPU sizes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'smol-toml';
import { describe, expect, test } from 'vitest';
import { FLY_GPU_KIND_IDS } from '../../../src/flyio/gpu-kinds.js';
import { resolveInputs } from '../../../src/init/inputs.js';
import { WORKLOADS } from '../../../src/shared/profiles.js';
import { parseRecorded } from '../../../src/init/record.js';
import { renderData, renderFiles, type RenderedFile } from '../../../src/init/render.js';
import { loadTemplates } from '../../../src/init/templates.js';
import { validateFiles } from '../../../src/validate/index.js';
import { FIXTURES } from '../../helpers/cli.js';

const GOLDEN = join(FIXTURES, 'init');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const DIR_NAME = 'golden-app';
const CPU_SIZES = ['performance-2x', 'performance-8x'] as const;

const matrix = WORKLOADS.flatMap((workload) => [
  ...FLY_GPU_KIND_IDS.map((gpuKind) => ({ name: `${workload}-${gpuKind}`, inputs: { workload, gpuKind } })),
  ...CPU_SIZES.map((vmSize) => ({ name: `${workload}-${vmSize}`, inputs: { workload, vmSize } })),
]);

if (UPDATE) {
  for (const { name, inputs } of matrix) {
    const dir = join(GOLDEN, name);
    if (!existsSync(join(dir, 'inputs.json'))) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'inputs.json'), `${JSON.stringify({ init: inputs }, null, 2)}\n`);
    }
  }
}

const cases = readdirSync(GOLDEN)
  .filter((name) => existsSync(join(GOLDEN, name, 'inputs.json')))
  .sort();
const templates = loadTemplates();

function render(name: string): RenderedFile[] {
  const choices = parseRecorded(readFileSync(join(GOLDEN, name, 'inputs.json'), 'utf8'), `${name}/inputs.json`);
  return renderFiles(templates, renderData(resolveInputs([choices], DIR_NAME), DIR_NAME));
}

test('the golden cases cover every workload × (GPU kind | CPU size)', () => {
  expect(cases).toEqual(expect.arrayContaining(matrix.map((m) => m.name)));
});

describe.each(cases)('%s', (name) => {
  const files = render(name);
  const file = (path: string) => files.find((f) => f.path === path)!;

  test('renders exactly the expected files', () => {
    const expectedDir = join(GOLDEN, name, 'expected');
    if (UPDATE) {
      mkdirSync(expectedDir, { recursive: true });
      for (const f of files) writeFileSync(join(expectedDir, f.path), f.content);
    }
    expect(readdirSync(expectedDir).sort()).toEqual(files.map((f) => f.path).sort());
    for (const f of files) expect(f.content, f.path).toBe(readFileSync(join(expectedDir, f.path), 'utf8'));
  });

  test('fly.toml parses with smol-toml and round-trips', () => {
    const parsed = parse(file('fly.toml').content);
    expect(parse(stringify(parsed))).toEqual(parsed);
  });

  test('validates clean on a CPU target, with exactly the retirement error on a GPU target', () => {
    const findings = validateFiles({
      flyToml: { path: 'fly.toml', text: file('fly.toml').content },
      dockerfile: { path: 'Dockerfile', text: file('Dockerfile').content },
    });
    const gpu = 'gpuKind' in (JSON.parse(readFileSync(join(GOLDEN, name, 'inputs.json'), 'utf8')) as { init: object }).init;
    expect(findings.map((f) => f.id)).toEqual(gpu ? ['fly-gpu-retired'] : []);
  });
});
