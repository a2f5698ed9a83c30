/** `gpuctl validate` through the built CLI: exit codes 0/1/2, text and --json. */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { ValidateJson } from '../../src/validate/run.js';
import { FIXTURES, runGpuctl } from '../helpers/cli.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'gpuctl-e2e-validate-'));

test('a blog-post GPU config: every finding with file, line and fix; exit 1', async () => {
  const cwd = fresh();
  copyFileSync(join(FIXTURES, 'validate/real-world/12-blog-gpu-everything-wrong.fly.toml'), join(cwd, 'fly.toml'));
  const run = await runGpuctl(['validate'], { cwd });
  expect(run.exitCode).toBe(1);
  expect(run.stdout).toContain('fly.toml:4:1  warning  kill-timeout-too-long');
  expect(run.stdout).toContain(
    'fly.toml:20:5  warning  service-check-duration\n  Service HTTP check has a grace period greater than 1 minute (10m0s); flyctl lowers it to 1 minute.',
  );
  expect(run.stdout).toMatch(/✗ 7 errors, 4 warnings in fly\.toml\.$/);
});

test('TOML syntax errors carry line and column; exit 2', async () => {
  const cwd = fresh();
  writeFileSync(join(cwd, 'fly.toml'), 'app = "x"\n[http_service\n');
  const run = await runGpuctl(['validate', '--json'], { cwd });
  expect(run.exitCode).toBe(2);
  const result = JSON.parse(run.stdout) as ValidateJson;
  expect(result).toMatchObject({
    ok: false,
    exitCode: 2,
    errors: 1,
    findings: [{ id: 'toml-syntax', file: 'fly.toml', line: 2, column: 14 }],
  });
});

test('a TOML syntax error does not claim the Dockerfile was checked', async () => {
  const cwd = fresh();
  writeFileSync(join(cwd, 'fly.toml'), 'app = "x"\n[http_service\n');
  writeFileSync(join(cwd, 'Dockerfile'), 'FROM nvidia/cuda:12.2.2-devel-ubuntu22.04\nRUN apt-get install -y cuda-drivers\n');
  const run = await runGpuctl(['validate'], { cwd });
  expect(run.exitCode).toBe(2);
  expect(run.stdout).toContain('✗ 1 error, 0 warnings in fly.toml.\n- Dockerfile not checked: fly.toml is not valid TOML;');
  expect(run.stdout).not.toContain('dockerfile-driver-packages');
  const json = JSON.parse((await runGpuctl(['validate', '--json'], { cwd })).stdout) as ValidateJson;
  expect(json.files).toEqual([{ path: 'fly.toml', kind: 'fly.toml' }]);
  expect(json.notChecked).toEqual([{ path: 'Dockerfile', kind: 'Dockerfile', reason: 'fly.toml is not valid TOML' }]);
  expect(json.findings.map((f) => f.id)).toEqual(['toml-syntax']);
});

test('fly.toml deploying a [build] image: the Dockerfile beside it is not what deploys, so its findings do not fail validate', async () => {
  const cwd = fresh();
  writeFileSync(join(cwd, 'fly.toml'), 'app = "x"\nprimary_region = "ord"\n[build]\n  image = "ghcr.io/acme/api:1.4"\n');
  writeFileSync(join(cwd, 'Dockerfile'), 'FROM python:3.12-slim\nUSER 1000\nCOPY requirements.txt .\n');
  const run = await runGpuctl(['validate'], { cwd });
  expect(run.exitCode, run.stdout).toBe(0);
  expect(run.stdout).toContain(
    '✓ fly.toml: no problems found.\n- Dockerfile not checked: fly.toml deploys the image ghcr.io/acme/api:1.4 ([build] image), so flyctl builds no Dockerfile (--dockerfile checks it anyway).',
  );
  const json = JSON.parse((await runGpuctl(['validate', '--json'], { cwd })).stdout) as ValidateJson;
  expect(json.files).toEqual([{ path: 'fly.toml', kind: 'fly.toml' }]);
  expect(json.notChecked.map((f) => [f.path, f.kind])).toEqual([['Dockerfile', 'Dockerfile']]);
  expect(json.notChecked[0]?.reason).toContain('deploys the image ghcr.io/acme/api:1.4');
  // asked for by name, it is checked: COPY requirements.txt with no requirements.txt is an error
  const asked = await runGpuctl(['validate', '--dockerfile', 'Dockerfile'], { cwd });
  expect(asked.exitCode).toBe(1);
  expect(asked.stdout).toContain('dockerfile-missing-file');
});

test('warnings only: exit 0', async () => {
  const cwd = fresh();
  writeFileSync(
    join(cwd, 'fly.toml'),
    'app = "x"\n[http_service]\n  internal_port = 8080\n  [[http_service.checks]]\n    grace_period = "2m"\n',
  );
  const run = await runGpuctl(['validate'], { cwd });
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toContain('! 0 errors, 1 warning in fly.toml.');
});

test('the Dockerfile named in [build] is checked too', async () => {
  const cwd = fresh();
  writeFileSync(join(cwd, 'fly.toml'), 'app = "x"\n[build]\n  dockerfile = "Dockerfile.gpu"\n[[vm]]\n  size = "performance-2x"\n');
  writeFileSync(
    join(cwd, 'Dockerfile.gpu'),
    'FROM nvidia/cuda:12.2.2-devel-ubuntu22.04\nRUN apt-get install -y cuda-drivers\nCMD ["python3"]\n',
  );
  const result = JSON.parse((await runGpuctl(['validate', '--json'], { cwd })).stdout) as ValidateJson;
  expect(result.findings.map((f) => `${f.file}:${f.line} ${f.id}`)).toEqual([
    'Dockerfile.gpu:1 dockerfile-devel-runtime',
    'Dockerfile.gpu:1 dockerfile-runs-as-root',
    'Dockerfile.gpu:2 dockerfile-driver-packages',
  ]);
});

test('a file that was asked for and is missing: exit 2', async () => {
  const run = await runGpuctl(['validate', '-c', 'nope.toml'], { cwd: fresh() });
  expect(run.exitCode).toBe(2);
  expect(run.stderr).toContain('Cannot read fly.toml nope.toml: no such file or directory (ENOENT).');
  const nothing = await runGpuctl(['validate'], { cwd: fresh() });
  expect(nothing.exitCode).toBe(2);
  expect(nothing.stderr).toContain('Nothing to validate');
});

test('fly.toml that is not UTF-8 is the toml-syntax error at the bad byte; exit 2 (issue 18)', async () => {
  const cwd = fresh();
  writeFileSync(
    join(cwd, 'fly.toml'),
    Buffer.concat([Buffer.from('app = "x"\n[env]\n  NAME = "Jos'), Buffer.from([0xe9]), Buffer.from('"\n')]),
  );
  const run = await runGpuctl(['validate', '--json'], { cwd });
  expect(run.exitCode).toBe(2);
  const result = JSON.parse(run.stdout) as ValidateJson;
  expect(result.findings).toEqual([
    expect.objectContaining({
      id: 'toml-syntax',
      line: 3,
      column: 14,
      message: expect.stringMatching(/^Not UTF-8: byte 0xe9/) as unknown as string,
    }),
  ]);
});

test('values of the wrong type are errors with their lines; exit 1 (issue 18)', async () => {
  const cwd = fresh();
  writeFileSync(
    join(cwd, 'fly.toml'),
    'app = 42\nprimary_region = true\n[http_service]\n  internal_port = "eighty"\n[[vm]]\n  memory = "lots"\n  cpus = -4\n',
  );
  const run = await runGpuctl(['validate', '--json'], { cwd });
  expect(run.exitCode).toBe(1);
  const result = JSON.parse(run.stdout) as ValidateJson;
  expect(result.findings.filter((f) => f.id === 'fly-value-type').map((f) => f.line)).toEqual([1, 2, 4, 6, 7]);
});
