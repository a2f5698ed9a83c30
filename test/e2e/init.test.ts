/** `gpuctl init` as a user runs it: the built CLI, a fresh directory, no terminal. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { WORKLOADS } from '../../src/shared/profiles.js';
import type { InitJson } from '../../src/init/result.js';
import type { ValidateJson } from '../../src/validate/run.js';
import { runGpuctl } from '../helpers/cli.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'gpuctl-e2e-init-'));

describe.each(WORKLOADS)('init --yes --workload %s', (workload) => {
  test('writes files that validate clean once the app files exist, and a second run reports identical', async () => {
    const cwd = fresh();
    const first = await runGpuctl(['init', '--yes', '--workload', workload], { cwd });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/create\s+fly\.toml/);
    // The Dockerfile needs requirements.txt and the module app: init says so, and validate finds them missing.
    expect(first.stdout).toContain(
      'Next: add requirements.txt and the module app (app.py or app/__main__.py) (the Dockerfile needs them), then gpuctl validate',
    );
    const missing = JSON.parse((await runGpuctl(['validate', '--json'], { cwd })).stdout) as ValidateJson;
    expect(missing.findings.map((f) => [f.id, f.severity, f.line])).toEqual([
      ['dockerfile-missing-file', 'error', expect.any(Number)],
      ['dockerfile-missing-file', 'warning', expect.any(Number)],
    ]);
    expect(missing.findings[0]?.message).toContain('COPY requirements.txt: requirements.txt is not in the build context');
    writeFileSync(join(cwd, 'requirements.txt'), '');
    writeFileSync(join(cwd, 'app.py'), 'print("serving")\n');
    const validate = await runGpuctl(['validate'], { cwd });
    expect(validate.stdout).toContain('fly.toml, Dockerfile: no problems found.');
    expect(validate.exitCode).toBe(0);
    const again = await runGpuctl(['init', '--yes', '--json'], { cwd });
    const result = JSON.parse(again.stdout) as InitJson;
    // Init's six files and the alerting rules (the application's, docs/alerts.md): prometheus/gpuctl-alerts.yml.
    expect(result.files.map((f) => [f.path, f.status])).toEqual(
      [
        'fly.toml',
        'Dockerfile',
        '.dockerignore',
        'gpuctl-start.sh',
        '.gpuctl.json',
        'prometheus/gpuctl-alerts.yml',
        '.gpuctl/gpuctl.tgz',
      ].map((p) => [p, 'identical']),
    );
    expect(result.inputs.workload).toBe(workload);
    // Every file the Dockerfile copies from the context, except the application's own, is in it.
    const sources = [...readFileSync(join(cwd, 'Dockerfile'), 'utf8').matchAll(/^COPY (?!--from)(?:--\S+ )*(\S+) \S+$/gm)].map((m) => m[1]);
    expect(sources).toEqual(['requirements.txt', '.gpuctl/gpuctl.tgz', '.', 'gpuctl-start.sh']);
    for (const source of sources.filter((s) => s !== 'requirements.txt' && s !== '.'))
      expect(existsSync(join(cwd, source!)), source).toBe(true);
  });
});

test('a GPU kind renders the GPU layout, says it is retired, and validate flags only that', async () => {
  const cwd = fresh();
  const init = await runGpuctl(['init', '--yes', '--gpu-kind', 'a100-pcie-40gb', '--workload', 'training', '--dir', 'gpu'], { cwd });
  expect(init.exitCode).toBe(0);
  writeFileSync(join(cwd, 'gpu/requirements.txt'), 'torch\n');
  mkdirSync(join(cwd, 'gpu/app'));
  writeFileSync(join(cwd, 'gpu/app/__main__.py'), 'print("training")\n');
  expect(init.stdout).toContain('Fly.io retired GPU Machines on 2026-08-01');
  expect(init.stdout).toContain('gpuctl init --dir gpu --vm-size performance-8x --memory 32768 --force');
  const validate = await runGpuctl(['validate', '-c', 'gpu/fly.toml', '--json'], { cwd });
  expect(validate.exitCode).toBe(1);
  const result = JSON.parse(validate.stdout) as ValidateJson;
  expect(result.findings.map((f) => [f.id, f.file])).toEqual([['fly-gpu-retired', 'gpu/fly.toml']]);
  expect(result.files.map((f) => f.path)).toEqual(['gpu/fly.toml', 'gpu/Dockerfile']);
  // The command it showed turns the GPU layout into the deployable one; a comment of the user's survives it.
  const flyToml = join(cwd, 'gpu/fly.toml');
  writeFileSync(flyToml, readFileSync(flyToml, 'utf8').replace('[metrics]', '# ours: scraped by the team Grafana too\n[metrics]'));
  const cpu = await runGpuctl(['init', '--dir', 'gpu', '--vm-size', 'performance-8x', '--force'], { cwd });
  expect(cpu.exitCode, cpu.stderr).toBe(0);
  expect((await runGpuctl(['validate', '-c', 'gpu/fly.toml'], { cwd })).exitCode).toBe(0);
  const after = readFileSync(flyToml, 'utf8');
  // gpuctl's own comments are rewritten with the layout: no GPU header, no GPU preset note above the CPU [[vm]].
  expect(after).not.toContain('# !! Fly.io retired');
  expect(after).not.toContain('This GPU layout no longer deploys on Fly');
  expect(after).not.toMatch(/# NVIDIA A100[^\n]*performance CPUs/);
  expect(after).toMatch(/^# fly\.toml for [\w-]+: training on performance-8x/);
  expect(after).toContain('# ours: scraped by the team Grafana too\n');
});

test('a hand-edited file is a conflict and is kept; --force overwrites it', async () => {
  const cwd = fresh();
  expect((await runGpuctl(['init', '--yes'], { cwd })).exitCode).toBe(0);
  const edited = readFileSync(join(cwd, 'fly.toml'), 'utf8').replace("memory = '16gb'", "memory = '24gb' # more for the tokenizer");
  writeFileSync(join(cwd, 'fly.toml'), edited);
  const refused = await runGpuctl(['init', '--yes'], { cwd });
  expect(refused.exitCode).toBe(1);
  expect(refused.stdout).toMatch(/conflict\s+fly\.toml/);
  expect(refused.stderr).toContain(
    'Error: 1 file already exists and differs from what gpuctl init would write: fly.toml. Nothing was written.',
  );
  expect(readFileSync(join(cwd, 'fly.toml'), 'utf8')).toBe(edited);
  const json = JSON.parse((await runGpuctl(['init', '--yes', '--json'], { cwd })).stdout) as InitJson;
  expect(json).toMatchObject({ ok: false, error: { code: 'conflicts' } });
  expect(json.files[0]).toMatchObject({ path: 'fly.toml', status: 'conflict', written: false });
  expect(json.files[0]?.diff).toContain("-  memory = '24gb' # more for the tokenizer\n+  memory = '16gb' # more for the tokenizer");
  const forced = await runGpuctl(['init', '--yes', '--force'], { cwd });
  expect(forced.exitCode).toBe(0);
  expect(forced.stdout).toMatch(/overwrite\s+fly\.toml/);
  expect(readFileSync(join(cwd, 'fly.toml'), 'utf8')).toContain("memory = '16gb' # more for the tokenizer");
});

test('--dry-run prints the diff and writes nothing', async () => {
  const cwd = fresh();
  const dry = await runGpuctl(['init', '--yes', '--dry-run', '--workload', 'backtest'], { cwd });
  expect(dry.exitCode).toBe(0);
  expect(dry.stdout).toContain('Dry run: nothing was written.');
  expect(dry.stdout).toContain('+++ b/fly.toml\n@@ -0,0 +1,');
  expect(dry.stdout).toContain("+  GPUCTL_WORKLOAD = 'backtest'");
  expect(readdirSync(cwd)).toEqual([]);
});

test('without a terminal or --yes, a first run asks for flags (exit 2) and writes nothing', async () => {
  const cwd = fresh();
  const run = await runGpuctl(['init', '--workload', 'batch'], { cwd });
  expect(run.exitCode).toBe(2);
  expect(run.stderr).toContain('No terminal to ask on, and no --gpu-kind or --vm-size given.');
  expect(readdirSync(cwd)).toEqual([]);
});

test('init --yes says which app name it took from the directory, and --app or an existing app file says nothing of it', async () => {
  const cwd = join(fresh(), 'quant-signals');
  mkdirSync(cwd);
  const run = await runGpuctl(['init', '--yes'], { cwd });
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.stdout).toContain('App name quant-signals, taken from the directory name "quant-signals" (--app to choose another).');
  const json = JSON.parse((await runGpuctl(['init', '--yes', '--json', '--dry-run', '--app', 'other-name'], { cwd })).stdout) as InitJson;
  expect(json.appFromDirectory).toBeNull();
  writeFileSync(join(cwd, 'requirements.txt'), '');
  mkdirSync(join(cwd, 'app'));
  writeFileSync(join(cwd, 'app/__main__.py'), '');
  const again = await runGpuctl(['init', '--yes'], { cwd });
  expect(again.stdout).not.toContain('taken from the directory name'); // the record names it now
  expect(again.stdout).toContain('Next: gpuctl validate, then gpuctl smoke, then gpuctl deploy.');
});

test('an existing fly.toml that is not UTF-8 is bad input, as validate says it: exit 2, --force too, the file untouched (issue 22)', async () => {
  const cwd = fresh();
  expect((await runGpuctl(['init', '--yes'], { cwd })).exitCode).toBe(0);
  const path = join(cwd, 'fly.toml');
  const text = readFileSync(path, 'utf8');
  // A Latin-1 "é" in a comment of the user's: read lossily, it became U+FFFD and --force wrote EF BF BD back.
  const bytes = Buffer.concat([Buffer.from('# Jos'), Buffer.from([0xe9]), Buffer.from(' wrote this\n'), Buffer.from(text)]);
  writeFileSync(path, bytes);
  const validate = await runGpuctl(['validate'], { cwd });
  const said = /fly\.toml:1:6: Not UTF-8: byte 0xe9 is not valid UTF-8 \(save the file as UTF-8\)/;
  expect(validate.exitCode).toBe(2);
  expect(validate.stdout).toContain('fly.toml:1:6  error  toml-syntax\n  Not UTF-8: byte 0xe9 is not valid UTF-8 (save the file as UTF-8)');
  for (const args of [
    ['init', '--yes'],
    ['init', '--yes', '--force'],
    ['init', '--yes', '--workload', 'batch', '--force'],
  ]) {
    const run = await runGpuctl(args, { cwd });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toMatch(said);
    expect(run.stderr).toContain('gpuctl init changed nothing.');
    expect(readFileSync(path).equals(bytes)).toBe(true);
  }
});
