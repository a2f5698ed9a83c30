/**
 * Every rule has a failing and a passing fixture: test/fixtures/validate/rules/<id>/{fail,pass}.<fly.toml|Dockerfile>;
 * the build context a Dockerfile sees is rules/<id>/<fail|pass>-context/ (absent: an empty context).
 * The failing one must raise the rule (with a real line); the passing one, a near twin, must not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RULES, validateFiles, type RuleId, type ValidateFiles } from '../../../src/validate/index.js';
import { FIXTURES } from '../../helpers/cli.js';

const DIR = join(FIXTURES, 'validate/rules');

function load(id: RuleId, which: 'fail' | 'pass'): ValidateFiles {
  const files: ValidateFiles = {};
  const toml = join(DIR, id, `${which}.fly.toml`);
  const docker = join(DIR, id, `${which}.Dockerfile`);
  if (existsSync(toml)) files.flyToml = { path: `${which}.fly.toml`, text: readFileSync(toml, 'utf8') };
  if (existsSync(docker)) files.dockerfile = { path: `${which}.Dockerfile`, text: readFileSync(docker, 'utf8') };
  // <which>.missing: the Dockerfile fly.toml names, which validate found absent.
  const missing = join(DIR, id, `${which}.missing`);
  if (existsSync(missing)) files.dockerfileMissing = readFileSync(missing, 'utf8').trim();
  const compose = join(DIR, id, `${which}.compose.yaml`);
  if (existsSync(compose)) files.composeYaml = { path: `${which}.compose.yaml`, text: readFileSync(compose, 'utf8') };
  return files;
}

const inContext = (id: RuleId, which: 'fail' | 'pass') => (path: string) => existsSync(join(DIR, id, `${which}-context`, path));

describe.each(Object.keys(RULES) as RuleId[])('%s', (id) => {
  const file = ({ 'fly.toml': 'flyToml', Dockerfile: 'dockerfile', 'compose.yaml': 'composeYaml' } as const)[RULES[id].file];

  test('its failing fixture raises it, at a line in the right file', () => {
    const files = load(id, 'fail');
    expect(files[file], `fixture rules/${id}/fail.${RULES[id].file}`).toBeDefined();
    const hits = validateFiles(files, { contextHas: inContext(id, 'fail') }).filter((f) => f.id === id);
    expect(hits.length).toBeGreaterThan(0);
    const lines = files[file]!.text.split('\n').length;
    for (const hit of hits) {
      expect(hit.file).toBe(files[file]!.path);
      expect(hit.line).toBeGreaterThanOrEqual(1);
      expect(hit.line).toBeLessThanOrEqual(lines);
      expect(hit.message).not.toBe('');
      expect(hit.fix).not.toBe('');
    }
  });

  test('its passing fixture does not', () => {
    const files = load(id, 'pass');
    expect(files[file]).toBeDefined();
    expect(validateFiles(files, { contextHas: inContext(id, 'pass') }).map((f) => f.id)).not.toContain(id);
  });
});

test('findings point at the offending line', () => {
  const at = (id: RuleId) => validateFiles(load(id, 'fail')).find((f) => f.id === id);
  expect(at('fly-gpu-retired')).toMatchObject({ line: 5, column: 3 });
  expect(at('service-check-duration')).toMatchObject({ line: 7, column: 5 });
  expect(at('service-check-duration')?.message).toContain('grace period greater than 1 minute (5m0s)');
  expect(at('toml-syntax')).toMatchObject({ line: 2, column: 14 });
  expect(at('dockerfile-driver-packages')).toMatchObject({ line: 5 });
  expect(at('dockerfile-driver-packages')?.message).toContain('nvidia-driver-535');
  expect(at('dockerfile-cuda-too-new')).toMatchObject({ line: 1, severity: 'error' });
  expect(at('env-fly-prefix')).toMatchObject({ line: 4, column: 3 });
  const missing = validateFiles(load('dockerfile-missing-file', 'fail'), { contextHas: () => false }).filter(
    (f) => f.id === 'dockerfile-missing-file',
  );
  expect(missing.map((f) => [f.line, f.severity, f.message.split(':')[0]])).toEqual([
    [3, 'error', 'COPY requirements.txt'],
    [7, 'warning', 'CMD runs the module app, but neither app.py nor app/__main__.py is in the build context'],
  ]);
  expect(missing[0]?.fix).toContain('Add requirements.txt next to fly.toml');
  expect(at('dockerfile-missing')).toMatchObject({ file: 'fail.fly.toml', line: 5, column: 3, severity: 'error' });
  const ports = validateFiles(load('port-not-served', 'fail')).filter((f) => f.id === 'port-not-served');
  expect(ports.map((f) => [f.line, f.message])).toEqual([
    [
      11,
      "Check 'gpu' asks for /gpu-health on port 8081, which nothing in this layout serves (served: 8080 (http_service internal_port), 9091 (gpuctl agent)).",
    ],
    [
      15,
      '[metrics] scrapes port 9090, which nothing in this layout serves (served: 8080 (http_service internal_port), 9091 (gpuctl agent)).',
    ],
  ]);
});

// deploy-gpu item 4: a hand-written retired gpu_kind got "Set primary_region = 'iad'" (no region serves GPUs any more)
// and fixes that name another kind, listed before the retirement.
test('a hand-written GPU guest: the retirement leads, no region fix, and the kind fixes say they would not deploy it', () => {
  const text = "app = 'a'\nprimary_region = 'ord'\n\n[[vm]]\n  gpu_kind = 'a100-80gb'\n";
  const findings = validateFiles({ flyToml: { path: 'fly.toml', text } });
  expect(findings.map((f) => f.id)).toEqual(['fly-gpu-retired', 'gpu-without-volume', 'gpu-kind-size-alias']);
  expect(findings.find((f) => f.id === 'gpu-kind-size-alias')?.fix).toMatch(
    /^Correcting it would not deploy it: Fly\.io runs no GPU guest/,
  );
  expect(findings.map((f) => f.fix).join('\n')).not.toContain('primary_region');
});
