/**
 * The owners of the environment and of time, kept by scripts/lint-owners.mjs, turned on in eslint.config.js
 * (docs/architecture.md): only ui/step-summary.ts reads GITHUB_STEP_SUMMARY and only shared/paths.ts reads
 * XDG_* (envRule); only shared/clock.ts reads the time or sets a timer, and only runtime.ts reads GPUCTL_NOW
 * (clockRule); only shared/http-read.ts makes HTTP requests (httpClientRule). And the repo's own config has them on.
 */
import { ESLint, type Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { lint, loadConfig, messages, REPO, removeTrees } from './owner-lint.js';

afterAll(removeTrees);

describe('GITHUB_STEP_SUMMARY and XDG_* are read only by their owners (issue 22)', () => {
  const read = (expr: string) => `import type { Env } from '../context.js';\nexport const f = (env: Env): unknown => ${expr};\n`;
  it('reports env.NAME, env["NAME"] and destructuring anywhere else, and lets each owner read its own', async () => {
    const rules = await lint(
      {
        'src/commands/deploy.ts': read('env.GITHUB_STEP_SUMMARY'),
        'src/bench/main.ts': read("env['GITHUB_STEP_SUMMARY']"),
        'src/deploy/log-file.ts': read('env.XDG_STATE_HOME'),
        'src/flyio/region-cache.ts':
          'import type { Env } from "../context.js";\nexport const f = ({ XDG_CACHE_HOME }: Env): unknown => XDG_CACHE_HOME;\n',
        'src/agent/config.ts': read('env.XDG_CONFIG_HOME'),
        'src/cli.ts': read('env.XDG_RUNTIME_DIR'),
        'src/ui/step-summary.ts': read('env.GITHUB_STEP_SUMMARY'),
        'src/shared/paths.ts': read('[env.XDG_STATE_HOME, env.XDG_CACHE_HOME, env.XDG_CONFIG_HOME]'),
        'src/deploy/run.ts': read('env.HOME'),
      },
      'envRule',
    );
    expect(rules).toEqual({
      'src/commands/deploy.ts': ['no-restricted-properties'],
      'src/bench/main.ts': ['no-restricted-properties'],
      'src/deploy/log-file.ts': ['no-restricted-properties'],
      'src/flyio/region-cache.ts': ['no-restricted-properties'],
      'src/agent/config.ts': ['no-restricted-properties'],
      'src/cli.ts': ['no-restricted-properties'],
      'src/ui/step-summary.ts': [],
      'src/shared/paths.ts': [],
      'src/deploy/run.ts': [],
    });
    expect(messages()['src/commands/deploy.ts']![0]).toContain('only src/ui/step-summary.ts reads GITHUB_STEP_SUMMARY');
    expect(messages()['src/deploy/log-file.ts']![0]).toContain('only src/shared/paths.ts reads XDG_STATE_HOME');
  }, 60_000);

  it('an owner may not read the other owner’s variables, nor globalThis.process', async () => {
    const rules = await lint(
      {
        'src/ui/step-summary.ts': read('[env.XDG_STATE_HOME, globalThis.process]'),
        'src/shared/paths.ts': read('env.GITHUB_STEP_SUMMARY'),
      },
      'envRule',
    );
    expect(rules).toEqual({
      'src/ui/step-summary.ts': ['no-restricted-properties', 'no-restricted-properties'],
      'src/shared/paths.ts': ['no-restricted-properties'],
    });
  }, 60_000);

  it("the repo's own config keeps both the process rule and the env rule on, and the owners' own reads allowed", async () => {
    const { ENV_OWNERS } = await loadConfig();
    expect(Object.keys(ENV_OWNERS)).toEqual(['src/ui/step-summary.ts', 'src/shared/paths.ts']);
    const eslint = new ESLint({ cwd: REPO });
    const banned = async (file: string) =>
      (
        ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.['no-restricted-properties'] as [
          number,
          ...{ property: string }[],
        ]
      )
        .slice(1)
        .map((o) => (o as { property: string }).property);
    expect(await banned('src/deploy/run.ts')).toEqual(expect.arrayContaining(['process', 'GITHUB_STEP_SUMMARY', 'XDG_STATE_HOME']));
    expect(await banned('src/ui/step-summary.ts')).toEqual(expect.arrayContaining(['process', 'XDG_CACHE_HOME']));
    expect(await banned('src/ui/step-summary.ts')).not.toContain('GITHUB_STEP_SUMMARY');
    expect(await banned('src/shared/paths.ts')).not.toContain('XDG_CACHE_HOME');
    expect(await banned('src/cli.ts')).not.toContain('process');
    expect(await banned('src/cli.ts')).toContain('GITHUB_STEP_SUMMARY');
  }, 60_000);
});

describe('time comes from ctx.clock: only shared/clock.ts reads it or sets timers (issue 22)', () => {
  it('reports Date.now, performance.now, new Date(), Date(), the global timers and their imports anywhere but the clock', async () => {
    const rules = await lint(
      {
        'src/agent/run.ts': 'export const t = (): number => Date.now();\n',
        'src/deploy/stream.ts': 'export const t = (): number => performance.now();\n',
        'src/prometheus/gpu-samples.ts': 'export const at = (): Date => new Date();\n',
        'src/diag/run.ts': 'export const at = (): string => Date();\n',
        'src/agent/sampler.ts': 'export const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));\n',
        'src/gpu/host.ts': 'export const tick = (fn: () => void): unknown => setInterval(fn, 1000);\n',
        'src/exec.ts': 'export const soon = (fn: () => void): unknown => globalThis.setTimeout(fn, 1);\n',
        'src/monitor/run.ts':
          "import { setTimeout as sleep } from 'node:timers/promises';\nexport const wait = (): Promise<void> => sleep(1);\n",
        'src/health/probe.ts': "import { performance } from 'node:perf_hooks';\nexport const t = (): number => performance.timeOrigin;\n",
        'src/shared/clock.ts':
          'export const now = (): Date => new Date();\nexport const m = (): number => performance.now() + Date.now();\nexport const later = (fn: () => void): unknown => setTimeout(fn, 1);\n',
      },
      'clockRule',
    );
    expect(rules).toEqual({
      'src/agent/run.ts': ['gpuctl-clock/owner'],
      'src/deploy/stream.ts': ['gpuctl-clock/owner'],
      'src/prometheus/gpu-samples.ts': ['gpuctl-clock/owner'],
      'src/diag/run.ts': ['gpuctl-clock/owner'],
      'src/agent/sampler.ts': ['gpuctl-clock/owner'],
      'src/gpu/host.ts': ['gpuctl-clock/owner'],
      'src/exec.ts': ['gpuctl-clock/owner'],
      'src/monitor/run.ts': ['gpuctl-clock/owner'],
      'src/health/probe.ts': ['gpuctl-clock/owner'],
      'src/shared/clock.ts': [],
    });
    expect(messages()['src/agent/run.ts']![0]).toContain('time comes from ctx.clock (src/shared/clock.ts');
  }, 60_000);

  it('leaves dates made from a value, Date.parse and the clock itself alone', async () => {
    const rules = await lint(
      {
        'src/autoscale/schedule.ts':
          "import type { Clock } from '../shared/clock.js';\nexport const f = (clock: Clock, t: number): number => new Date(t).getTime() + Date.parse('2026-11-24T14:20:00Z') + clock.monotonic();\n",
      },
      'clockRule',
    );
    expect(rules).toEqual({ 'src/autoscale/schedule.ts': [] });
  }, 60_000);

  it('reports GPUCTL_NOW read anywhere but runtime.ts', async () => {
    const read =
      "import type { Env } from '../context.js';\nexport const f = (env: Env): unknown => [env.GPUCTL_NOW, env['GPUCTL_NOW']];\n";
    const rules = await lint({ 'src/autoscale/run.ts': read, 'src/runtime.ts': read }, 'clockRule');
    expect(rules).toEqual({ 'src/autoscale/run.ts': ['gpuctl-now-hook/owner', 'gpuctl-now-hook/owner'], 'src/runtime.ts': [] });
  }, 60_000);

  it("the repo's own config has both on, off for their owners", async () => {
    const { CLOCK_OWNERS, NOW_HOOK_OWNERS } = await loadConfig();
    expect(CLOCK_OWNERS).toEqual(['src/shared/clock.ts']);
    expect(NOW_HOOK_OWNERS).toEqual(['src/runtime.ts']);
    const eslint = new ESLint({ cwd: REPO });
    const rule = async (file: string, name: string) => ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.[name];
    for (const file of ['src/agent/sampler.ts', 'src/exec.ts', 'src/shared/http-read.ts', 'src/runtime.ts', 'src/commands/monitor.ts'])
      expect(await rule(file, 'gpuctl-clock/owner')).toEqual([2]);
    expect(await rule('src/shared/clock.ts', 'gpuctl-clock/owner')).toBeUndefined();
    for (const file of ['src/autoscale/run.ts', 'src/commands/autoscale.ts'])
      expect(await rule(file, 'gpuctl-now-hook/owner')).toEqual([2]);
    expect(await rule('src/runtime.ts', 'gpuctl-now-hook/owner')).toBeUndefined();
  }, 60_000);
});

describe('HTTP requests go through shared/http-read.ts: fetch only in its adapter (issue 22)', () => {
  it('reports fetch, http(s) request/get/Agent, whole-module http(s) imports and undici anywhere but http-read.ts; a server stays allowed', async () => {
    const client = [
      "import { request } from 'node:http';",
      "import * as https from 'node:https';",
      "import { fetch as f2 } from 'undici';",
      "export const a = (): unknown => [fetch('http://127.0.0.1/'), globalThis.fetch, request, https, f2];",
      '',
    ].join('\n');
    const server = "import { createServer } from 'node:http';\nexport const s = createServer();\n";
    const rules = await lint(
      { 'src/health/probe.ts': client, 'src/agent/server.ts': server, 'src/shared/http-read.ts': client },
      'httpClientRule',
    );
    expect(rules).toEqual({
      'src/agent/server.ts': [],
      'src/health/probe.ts': Array(5).fill('gpuctl-http-client/owner'),
      'src/shared/http-read.ts': [],
    });
    expect(messages()['src/health/probe.ts']![0]).toContain('HTTP requests go through src/shared/http-read.ts');
  }, 60_000);

  it("the repo's own config has it on, off for http-read.ts", async () => {
    const { HTTP_CLIENT_OWNERS } = await loadConfig();
    expect(HTTP_CLIENT_OWNERS).toEqual(['src/shared/http-read.ts']);
    const eslint = new ESLint({ cwd: REPO });
    const rule = async (file: string) => ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.['gpuctl-http-client/owner'];
    for (const file of ['src/health/probe.ts', 'src/prometheus/client.ts', 'src/smoke/probe.ts']) expect(await rule(file)).toEqual([2]);
    expect(await rule('src/shared/http-read.ts')).toBeUndefined();
  }, 60_000);
});
