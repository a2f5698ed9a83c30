/**
 * validate and health in a CI pipeline, as processes: --format github and sarif, the step summary
 * (appended, never truncated), and a fly.toml whose [build] dockerfile is missing (a finding with its
 * line, exit 1, the fly.toml still linted).
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ValidateJson } from '../../src/validate/run.js';
import type { SarifLog } from '../../src/validate/sarif.js';
import { runGpuctl } from '../helpers/cli.js';
import { deployedWorld } from './fly-world.js';

const RETIRED =
  "app = 'quant-signals'\nprimary_region = 'ord'\n\n[build]\n  dockerfile = 'docker/Dockerfile.gpu'\n\n[[vm]]\n  gpu_kind = 'a10'\n";

/** A repository with deploy/fly.toml (retired GPU, a Dockerfile that does not exist). */
function repo(flyToml = RETIRED): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-e2e-ci-'));
  mkdirSync(join(dir, 'deploy'));
  writeFileSync(join(dir, 'deploy/fly.toml'), flyToml);
  return dir;
}

describe('a [build] dockerfile that does not exist', () => {
  test('is a finding at its line, exit 1, and the fly.toml rules still run', async () => {
    const cwd = repo();
    const run = await runGpuctl(['validate', '-c', 'deploy/fly.toml', '--json'], { cwd });
    expect(run.exitCode, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout) as ValidateJson;
    expect(result.findings.map((f) => [f.id, f.line])).toEqual([
      ['fly-gpu-retired', 8],
      ['dockerfile-missing', 5],
      ['gpu-without-volume', 7],
    ]);
    expect(result.findings[1]).toMatchObject({ severity: 'error', file: 'deploy/fly.toml', column: 3 });
    expect(result.findings[1]?.message).toContain("[build] dockerfile = 'docker/Dockerfile.gpu' names a file that does not exist");
    expect(result.files).toEqual([{ path: 'deploy/fly.toml', kind: 'fly.toml' }]);
  });

  test('once it exists, its rules run and the finding is gone', async () => {
    const cwd = repo();
    mkdirSync(join(cwd, 'deploy/docker'));
    writeFileSync(join(cwd, 'deploy/docker/Dockerfile.gpu'), 'FROM python:3.12-slim\nUSER 10001\n');
    const result = JSON.parse((await runGpuctl(['validate', '-c', 'deploy/fly.toml', '--json'], { cwd })).stdout) as ValidateJson;
    expect(result.findings.map((f) => f.id)).toEqual(['fly-gpu-retired', 'gpu-without-volume']);
    expect(result.files.map((f) => f.path)).toEqual(['deploy/fly.toml', 'deploy/docker/Dockerfile.gpu']);
  });
});

describe('--format github', () => {
  test('prints one workflow command per finding, paths relative to GITHUB_WORKSPACE', async () => {
    const cwd = repo();
    const run = await runGpuctl(['validate', '--format', 'github'], { cwd: join(cwd, 'deploy'), env: { GITHUB_WORKSPACE: cwd } });
    expect(run.exitCode).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^::error file=deploy\/fly\.toml,line=8,col=3,title=fly-gpu-retired::Fly\.io retired GPU Machines/);
    expect(lines[1]).toBe(
      "::error file=deploy/fly.toml,line=5,col=3,title=dockerfile-missing::[build] dockerfile = 'docker/Dockerfile.gpu' names a file that does not exist (relative to fly.toml): " +
        "flyctl deploy would stop there, and no Dockerfile rule ran.%0AFix: Set dockerfile to the Dockerfile's path relative to fly.toml, create it (gpuctl init writes one), or pass --dockerfile.",
    );
    expect(lines[2]).toMatch(/^::warning file=deploy\/fly\.toml,line=7,col=1,title=gpu-without-volume::/);
    expect(lines.at(-1)).toBe('gpuctl validate: 2 errors, 1 warning in fly.toml.');
    expect(run.stderr).toBe('');
  });

  test('--json and --format sarif exclude each other (exit 2); --json is unchanged', async () => {
    const cwd = repo();
    const both = await runGpuctl(['validate', '-c', 'deploy/fly.toml', '--json', '--format', 'sarif'], { cwd });
    expect(both.exitCode).toBe(2);
    expect(JSON.parse(both.stdout)).toMatchObject({ error: { code: 'usage', message: '--json and --format sarif exclude each other.' } });
    const bad = await runGpuctl(['validate', '--format', 'xml'], { cwd });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("argument 'xml' is invalid. Allowed choices are text, github, sarif.");
  });
});

test('--format sarif writes a SARIF 2.1.0 log for code scanning', async () => {
  const cwd = repo();
  const run = await runGpuctl(['validate', '-c', 'deploy/fly.toml', '--format', 'sarif'], { cwd, env: { GITHUB_WORKSPACE: cwd } });
  expect(run.exitCode).toBe(1);
  const log = JSON.parse(run.stdout) as SarifLog;
  expect(log.version).toBe('2.1.0');
  expect(log.runs[0]?.tool.driver.name).toBe('gpuctl');
  expect(log.runs[0]?.results.map((r) => [r.ruleId, r.level, r.locations[0]?.physicalLocation.region.startLine])).toEqual([
    ['fly-gpu-retired', 'error', 8],
    ['dockerfile-missing', 'error', 5],
    ['gpu-without-volume', 'warning', 7],
  ]);
  expect(log.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('deploy/fly.toml');
});

test('validate appends a markdown summary to GITHUB_STEP_SUMMARY, keeping what was there', async () => {
  const cwd = repo();
  const summary = join(cwd, 'summary.md');
  writeFileSync(summary, '## earlier step\n\n');
  const run = await runGpuctl(['validate', '-c', 'deploy/fly.toml', '--format', 'github'], { cwd, env: { GITHUB_STEP_SUMMARY: summary } });
  expect(run.exitCode).toBe(1);
  const md = readFileSync(summary, 'utf8');
  expect(md.startsWith('## earlier step\n\n### ❌ gpuctl validate: 2 errors, 1 warning\n\nChecked `deploy/fly.toml`.\n')).toBe(true);
  expect(md).toContain('| `deploy/fly.toml:5:3` | error | `dockerfile-missing` |');
  // Without the variable nothing is written anywhere.
  appendFileSync(summary, 'end\n');
  await runGpuctl(['validate', '-c', 'deploy/fly.toml'], { cwd });
  expect(readFileSync(summary, 'utf8').endsWith('end\n')).toBe(true);
});

describe('gpuctl health in CI', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/health' ? 200 : 404;
      res.end(req.url === '/health' ? '{"status":"ok"}' : 'nope');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('appends its verdict, machines and probes to GITHUB_STEP_SUMMARY', async () => {
    const w = await deployedWorld();
    const summary = join(w.dir, 'summary.md');
    const run = await w.gpuctl(['health', '--url', base, '--json'], { GITHUB_STEP_SUMMARY: summary });
    expect(run.exitCode, run.stderr).toBe(0);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^### ✅ gpuctl health: quant-signals is healthy\n\nhttps:\/\/quant-signals\.fly\.dev, release v1\n/);
    expect(md).toMatch(/\| `\w+` \| ord \| started \| 1\/1 passing \| healthy \|/);
    expect(md).toMatch(/\| `\/health` \| ok \| \d+ ms \| 200 \{"status":"ok"\} \|/);
    expect(md).toMatch(/\| `\/gpu-health` \| absent \|/);
    expect(JSON.parse(run.stdout)).toMatchObject({ healthy: true }); // --json output is unchanged by the summary
  });

  test('an unhealthy app lists the problems in the summary', async () => {
    const w = await deployedWorld();
    await w.gpuctl(['deploy', '--wait-timeout', '2s'], { FAKE_FLYCTL_FAULT: 'unhealthy' });
    const summary = join(w.dir, 'summary.md');
    const run = await w.gpuctl(['health', '--no-probe'], { GITHUB_STEP_SUMMARY: summary });
    expect(run.exitCode).toBe(1);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('### ❌ gpuctl health: quant-signals is unhealthy');
    expect(md).toMatch(/Problems:\n\n- machine \w+ \(ord\) check servicecheck-00-http-8080 is critical/);
  });
});
