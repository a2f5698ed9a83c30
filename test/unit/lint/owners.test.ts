/**
 * Two owners, kept by scripts/lint-owners.mjs, turned on in eslint.config.js (docs/architecture.md):
 * - only src/cli.ts and src/exec.ts touch `process` (processRule): the rest takes argv, env, the streams
 *   and the host's facts from the Ctx. The tests prove it fires on each way in (the global,
 *   globalThis.process, an import of node:process) and stays quiet for the two owners;
 * - only the commands, ui/, runtime.ts and cli.ts write to ctx.stdout/ctx.stderr (terminalRule): core
 *   code returns values or emits events for its command to print.
 * - only ui/step-summary.ts reads GITHUB_STEP_SUMMARY and only shared/paths.ts reads XDG_* (envRule);
 * - only shared/clock.ts reads the time or sets a timer, and only runtime.ts reads GPUCTL_NOW (clockRule);
 * - only the same owners as terminalRule start spinners or print results (screenRule), and only ui/ writes
 *   stdout (stdoutRule): a feature emits events and returns results.
 * And the repo's own config has them on.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface LintConfigModule {
  PROCESS_OWNERS: string[];
  ENV_OWNERS: Record<string, string[]>;
  processRule: () => Linter.Config;
  envRule: () => Linter.Config[];
  terminalRule: () => Linter.Config;
  tomlRule: () => Linter.Config;
  TOML_OWNERS: string[];
  metricNameRule: () => Linter.Config;
  METRIC_NAME_OWNERS: string[];
  smiRule: () => Linter.Config;
  SMI_OWNERS: string[];
  screenRule: () => Linter.Config;
  SCREEN_OWNERS: string[];
  stdoutRule: () => Linter.Config;
  STDOUT_OWNERS: string[];
  clockRule: () => Linter.Config[];
  CLOCK_OWNERS: string[];
  NOW_HOOK_OWNERS: string[];
  httpClientRule: () => Linter.Config;
  HTTP_CLIENT_OWNERS: string[];
}
const loadConfig = async () => (await import(pathToFileURL(join(REPO, 'eslint.config.js')).href)) as LintConfigModule;

const roots: string[] = [];
let lastMessages: Record<string, string[]> = {};
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

async function lint(
  files: Record<string, string>,
  which:
    | 'processRule'
    | 'terminalRule'
    | 'tomlRule'
    | 'metricNameRule'
    | 'smiRule'
    | 'screenRule'
    | 'stdoutRule'
    | 'envRule'
    | 'clockRule'
    | 'httpClientRule' = 'processRule',
): Promise<Record<string, Array<string | null>>> {
  const root = mkdtempSync(join(tmpdir(), 'gpuctl-process-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const config = await loadConfig();
  // envRule's blocks only make sense after processRule's (they replace its options for the owners).
  const rules = which === 'envRule' ? [config.processRule(), ...config.envRule()] : [config[which]()].flat();
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...rules],
  });
  const results = await eslint.lintFiles(['src/**/*.ts']);
  lastMessages = Object.fromEntries(results.map((r) => [r.filePath.slice(root.length + 1), r.messages.map((m) => m.message)]));
  return Object.fromEntries(results.map((r) => [r.filePath.slice(root.length + 1), r.messages.map((m) => m.ruleId)]));
}

describe('nothing but cli.ts and exec.ts touches process', () => {
  it('reports the global, globalThis.process and an import of node:process anywhere else', async () => {
    const rules = await lint({
      'src/agent/run.ts': 'export const pid = (): number => process.pid;\n',
      'src/runtime.ts': 'export const platform = (): string => globalThis.process.platform;\n',
      'src/deploy/log-file.ts': "import { pid } from 'node:process';\nexport const temp = `x.${pid}.tmp`;\n",
      'src/commands/scale.ts': "import process from 'process';\nexport const env = process.env;\n",
    });
    expect(rules['src/agent/run.ts']).toEqual(['no-restricted-globals']);
    expect(rules['src/runtime.ts']).toEqual(['no-restricted-properties']);
    expect(rules['src/deploy/log-file.ts']).toEqual(['no-restricted-imports']);
    expect(rules['src/commands/scale.ts']).toEqual(['no-restricted-imports']);
  }, 60_000);

  it('lets cli.ts and exec.ts use it, and leaves files outside src/ alone', async () => {
    const rules = await lint({
      'src/cli.ts': 'export const argv = (): string[] => process.argv.slice(2);\n',
      'src/exec.ts': "export const kill = (pid: number): boolean => process.kill(-pid, 'SIGTERM');\n",
      'src/shared/clock.ts': 'export const later = (): number => Date.now() + 1;\n',
    });
    expect(rules).toEqual({ 'src/cli.ts': [], 'src/exec.ts': [], 'src/shared/clock.ts': [] });
  }, 60_000);

  it("the repo's own config has the rule on for source files, off for the two owners and for tests", async () => {
    const { PROCESS_OWNERS } = await loadConfig();
    expect(PROCESS_OWNERS).toEqual(['src/cli.ts', 'src/exec.ts']);
    const eslint = new ESLint({ cwd: REPO });
    const rule = async (file: string) => ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.['no-restricted-globals'];
    for (const file of ['src/agent/run.ts', 'src/runtime.ts', 'src/commands/deploy.ts', 'src/shared/atomic-write.ts']) {
      expect(await rule(file)).toEqual([2, expect.objectContaining({ name: 'process' })]);
    }
    for (const file of ['src/cli.ts', 'src/exec.ts', 'test/helpers/ctx.ts']) expect(await rule(file)).toBeUndefined();
  }, 60_000);
});

describe('only the commands (and ui/, runtime.ts, cli.ts) write to the terminal', () => {
  const write = "import type { Ctx } from '../context.js';\nexport const show = (ctx: Ctx): void => ctx.stderr.write('x\\n');\n";
  it('reports ctx.stdout and ctx.stderr in core code, not in the owners, nor an exec result’s stdout', async () => {
    const rules = await lint(
      {
        'src/deploy/run.ts': write,
        'src/init/ask.ts': write.replace('stderr', 'stdout'),
        'src/agent/run.ts': 'export const out = (result: { stdout: string }): string => result.stdout;\n',
        'src/commands/deploy.ts': write,
        'src/ui/spinner.ts': write,
        'src/runtime.ts': write,
      },
      'terminalRule',
    );
    expect(rules).toEqual({
      'src/deploy/run.ts': ['no-restricted-syntax'],
      'src/init/ask.ts': ['no-restricted-syntax'],
      'src/agent/run.ts': [],
      'src/commands/deploy.ts': [],
      'src/ui/spinner.ts': [],
      'src/runtime.ts': [],
    });
  }, 60_000);

  it("the repo's own config has it on for core code, off for the commands", async () => {
    const eslint = new ESLint({ cwd: REPO });
    const rule = async (file: string) => ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.['no-restricted-syntax'];
    for (const file of ['src/deploy/run.ts', 'src/init/conflicts.ts', 'src/monitor/run.ts']) {
      const [level, options] = (await rule(file)) as [number, { selector: string }];
      expect(level).toBe(2);
      expect(options.selector).toContain('stdout|stderr');
    }
    for (const file of ['src/commands/deploy.ts', 'src/ui/output.ts', 'src/runtime.ts']) expect(await rule(file)).toBeUndefined();
  }, 60_000);
});

describe('fly.toml is parsed by one reader (flyio/fly-toml.ts)', () => {
  it('reports smol-toml imported anywhere but the owners', async () => {
    const use = "import { parse } from 'smol-toml';\nexport const doc = (text: string): unknown => parse(text);\n";
    const rules = await lint(
      {
        'src/deploy/config.ts': use,
        'src/flyio/app-name.ts': "export const load = async (): Promise<unknown> => import('smol-toml');\n",
        'src/flyio/fly-toml.ts': use,
        'src/init/toml-merge.ts': use,
        'src/autoscale/policy.ts': use,
      },
      'tomlRule',
    );
    expect(rules).toEqual({
      'src/deploy/config.ts': ['gpuctl-toml/owner'],
      'src/flyio/app-name.ts': ['gpuctl-toml/owner'],
      'src/flyio/fly-toml.ts': [],
      'src/init/toml-merge.ts': [],
      'src/autoscale/policy.ts': [],
    });
  }, 60_000);

  it("the repo's own config has it on, off for the owners", async () => {
    const { TOML_OWNERS } = await loadConfig();
    expect(TOML_OWNERS).toEqual(['src/flyio/fly-toml.ts', 'src/init/toml-merge.ts', 'src/autoscale/policy.ts']);
    const eslint = new ESLint({ cwd: REPO });
    const rule = async (file: string) => ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.['gpuctl-toml/owner'];
    for (const file of ['src/deploy/config.ts', 'src/validate/index.ts', 'src/init/record.ts']) expect(await rule(file)).toEqual([2]);
    for (const file of TOML_OWNERS) expect(await rule(file)).toBeUndefined();
  }, 60_000);
});

describe("the agent's metric names are spelled once (shared/agent-metrics.ts)", () => {
  it('reports a metric name as a string or inside a template anywhere but the table', async () => {
    const rules = await lint(
      {
        'src/prometheus/gpu-samples.ts': "export const util = 'DCGM_FI_DEV_GPU_UTIL';\n",
        'src/autoscale/export.ts': 'export const q = (app: string): string => `avg(gpuctl_agent_sampler_up{app="${app}"})`;\n',
        'src/agent/diag-state.ts': "export const note = 'no gpuctl_diag_* series';\n",
        'src/shared/agent-metrics.ts': "export const AGENT_METRIC = { gpuUtil: 'DCGM_FI_DEV_GPU_UTIL' } as const;\n",
      },
      'metricNameRule',
    );
    expect(rules).toEqual({
      'src/prometheus/gpu-samples.ts': ['gpuctl-metric-names/owner'],
      'src/autoscale/export.ts': ['gpuctl-metric-names/owner'],
      'src/agent/diag-state.ts': [],
      'src/shared/agent-metrics.ts': [],
    });
  }, 60_000);

  it("the repo's own config has it on, off for the table", async () => {
    const { METRIC_NAME_OWNERS } = await loadConfig();
    expect(METRIC_NAME_OWNERS[0]).toBe('src/shared/agent-metrics.ts');
    const eslint = new ESLint({ cwd: REPO });
    const rule = async (file: string) =>
      ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.['gpuctl-metric-names/owner'];
    for (const file of ['src/prometheus/gpu-samples.ts', 'src/autoscale/policy-schema.ts', 'src/agent/metrics.ts'])
      expect(await rule(file)).toEqual([2]);
    expect(await rule('src/shared/agent-metrics.ts')).toBeUndefined();
  }, 60_000);
});

describe('nvidia-smi is found, run and streamed through gpu/smi-probe.ts; its cells read by gpu/smi-text.ts', () => {
  it('reports GPUCTL_NVIDIA_SMI read, or nvidia-smi given as a file to run, anywhere but the adapter', async () => {
    const rules = await lint(
      {
        'src/agent/run.ts': "export const file = (env: Record<string, string | undefined>): string => env.GPUCTL_NVIDIA_SMI ?? 'x';\n",
        'src/gpu/topo-probe.ts': "export const request = { file: 'nvidia-smi', args: ['topo', '-m'] };\n",
        'src/gpu/smi-live.ts': "export const tool = 'nvidia-smi';\n",
        'src/gpu/smi-probe.ts':
          "export const file = (env: Record<string, string | undefined>): string => env.GPUCTL_NVIDIA_SMI ?? 'nvidia-smi';\n",
      },
      'smiRule',
    );
    expect(rules).toEqual({
      'src/agent/run.ts': ['gpuctl-smi/owner'],
      'src/gpu/topo-probe.ts': ['gpuctl-smi/owner'],
      'src/gpu/smi-live.ts': [],
      'src/gpu/smi-probe.ts': [],
    });
  }, 60_000);

  it('reports a stream started outside the adapter (ctx.stream, startStream) and the "[N/A]" rule spelled again', async () => {
    const head = "import type { Ctx } from '../context.js';\n";
    const rules = await lint(
      {
        'src/agent/run.ts': "import { startStream } from '../exec.js';\nexport const start = startStream;\n",
        'src/agent/sampler.ts': `${head}export const start = (ctx: Ctx) => ctx.stream({ file: 'x', args: [], silenceTimeoutMs: 1, onLine: () => undefined });\n`,
        'src/diag/smi.ts': "export const missing = (v: string): boolean => v === '' || /^\\[.*\\]$/.test(v) || v === 'N/A';\n",
        'src/gpu/topology.ts': "export const na = (v: string): boolean => v === '[N/A]';\n",
        'src/deploy/verify-gpu.ts': "export const note = 'N/A means not available';\n",
        'src/gpu/smi-text.ts': "export const missing = (v: string): boolean => v === 'N/A' || /^\\[.*\\]$/.test(v);\n",
        'src/gpu/smi-probe.ts': `${head}export const start = (ctx: Ctx) => ctx.stream({ file: 'x', args: [], silenceTimeoutMs: 1, onLine: () => undefined });\n`,
      },
      'smiRule',
    );
    expect(rules).toEqual({
      'src/agent/run.ts': ['gpuctl-smi/owner'],
      'src/agent/sampler.ts': ['gpuctl-smi/owner'],
      'src/diag/smi.ts': ['gpuctl-smi/owner', 'gpuctl-smi/owner'],
      'src/gpu/topology.ts': ['gpuctl-smi/owner'],
      'src/deploy/verify-gpu.ts': [],
      'src/gpu/smi-text.ts': [],
      'src/gpu/smi-probe.ts': [],
    });
  }, 60_000);

  it("the repo's own config has it on, off for the adapter and the text rules", async () => {
    const { SMI_OWNERS } = await loadConfig();
    expect(SMI_OWNERS).toEqual(['src/gpu/smi-probe.ts', 'src/gpu/smi-text.ts']);
    const eslint = new ESLint({ cwd: REPO });
    const rule = async (file: string) => ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.['gpuctl-smi/owner'];
    for (const file of ['src/agent/run.ts', 'src/agent/sampler.ts', 'src/gpu/topo-probe.ts', 'src/diag/probe.ts', 'src/diag/smi.ts'])
      expect(await rule(file)).toEqual([2]);
    for (const file of SMI_OWNERS) expect(await rule(file)).toBeUndefined();
  }, 60_000);
});

describe('only the commands (and ui/, runtime.ts, cli.ts) start spinners and print results (issue 22)', () => {
  const head = "import type { Ctx } from '../context.js';\n";
  it('reports ctx.spinner and ctx.print in a feature, called, passed on, indexed or destructured; not in the owners', async () => {
    const rules = await lint(
      {
        'src/deploy/run.ts': `${head}export const wait = (ctx: Ctx): void => ctx.spinner('Waiting').stop();\n`,
        'src/bench/main.ts': `${head}export const show = (ctx: Ctx): void => ctx.print({ a: 1 }, (r) => \`\${r.a}\\n\`);\n`,
        'src/bench/multi.ts': `${head}export const start = (ctx: Ctx): Ctx['spinner'] => ctx.spinner;\n`,
        'src/autoscale/export-run.ts': `${head}export const show = (ctx: Ctx): void => ctx['print']({}, () => '');\n`,
        'src/deploy/stream.ts': `${head}export const start = (ctx: Ctx): void => {\n  const { spinner } = ctx;\n  spinner('x').stop();\n};\n`,
        'src/agent/run.ts': 'export const draw = (job: { print(): void; spinner: number }): number => (job.print(), job.spinner);\n',
        'src/commands/bench.ts': `${head}export const show = (ctx: Ctx): void => ctx.print({}, () => ctx.spinner('x') && '');\n`,
        'src/ui/spinner.ts': `${head}export const slot = (ctx: Ctx): void => ctx.spinner('x').stop();\n`,
        'src/runtime.ts': `${head}export const show = (ctx: Ctx): void => ctx.print({}, () => '');\n`,
      },
      'screenRule',
    );
    expect(rules).toEqual({
      'src/deploy/run.ts': ['gpuctl-screen/owner'],
      'src/bench/main.ts': ['gpuctl-screen/owner'],
      'src/bench/multi.ts': ['gpuctl-screen/owner'],
      'src/autoscale/export-run.ts': ['gpuctl-screen/owner'],
      'src/deploy/stream.ts': ['gpuctl-screen/owner'],
      'src/agent/run.ts': [],
      'src/commands/bench.ts': [],
      'src/ui/spinner.ts': [],
      'src/runtime.ts': [],
    });
    expect(lastMessages['src/deploy/run.ts']![0]).toContain('its command starts the spinners and prints');
  }, 60_000);

  it("the repo's own config has it on for the features, off for the commands and ui/", async () => {
    const { SCREEN_OWNERS } = await loadConfig();
    expect(SCREEN_OWNERS).toEqual(['src/commands/**', 'src/ui/**', 'src/runtime.ts', 'src/cli.ts']);
    const eslint = new ESLint({ cwd: REPO });
    const rule = async (file: string) => ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.['gpuctl-screen/owner'];
    for (const file of [
      'src/deploy/run.ts',
      'src/deploy/stream.ts',
      'src/bench/main.ts',
      'src/bench/multi.ts',
      'src/autoscale/export-run.ts',
    ])
      expect(await rule(file)).toEqual([2]);
    for (const file of ['src/commands/deploy.ts', 'src/ui/spinner.ts', 'src/runtime.ts', 'src/cli.ts'])
      expect(await rule(file)).toBeUndefined();
  }, 60_000);
});

describe('stdout is written through ui/output.ts (ctx.print, streamWriter), even by the commands (issue 22)', () => {
  const head = "import type { Ctx } from '../context.js';\n";
  it('reports ctx.stdout.write anywhere but ui/, runtime.ts and cli.ts; not ctx.stderr, nor passing ctx.stdout on', async () => {
    const rules = await lint(
      {
        'src/commands/scale.ts': `${head}export const plan = (ctx: Ctx, text: string): void => ctx.stdout.write(text);\n`,
        'src/commands/agent.ts': `${head}export const note = (ctx: Ctx): void => ctx.stderr.write('x\\n');\n`,
        'src/commands/monitor.ts': `${head}export const tty = (ctx: Ctx): boolean => ctx.stdout.isTTY;\n`,
        'src/ui/output.ts': `${head}export const line = (ctx: Ctx): void => ctx.stdout.write('x\\n');\n`,
        'src/runtime.ts': `${head}export const line = (ctx: Ctx): void => ctx.stdout.write('x\\n');\n`,
      },
      'stdoutRule',
    );
    expect(rules).toEqual({
      'src/commands/scale.ts': ['gpuctl-stdout/owner'],
      'src/commands/agent.ts': [],
      'src/commands/monitor.ts': [],
      'src/ui/output.ts': [],
      'src/runtime.ts': [],
    });
  }, 60_000);

  it("the repo's own config has it on for the commands, off for ui/", async () => {
    const { STDOUT_OWNERS } = await loadConfig();
    expect(STDOUT_OWNERS).toEqual(['src/ui/**', 'src/runtime.ts', 'src/cli.ts']);
    const eslint = new ESLint({ cwd: REPO });
    const rule = async (file: string) => ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.['gpuctl-stdout/owner'];
    for (const file of ['src/commands/monitor.ts', 'src/commands/scale.ts', 'src/deploy/run.ts']) expect(await rule(file)).toEqual([2]);
    for (const file of ['src/ui/output.ts', 'src/runtime.ts', 'src/cli.ts']) expect(await rule(file)).toBeUndefined();
  }, 60_000);
});

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
    expect(lastMessages['src/commands/deploy.ts']![0]).toContain('only src/ui/step-summary.ts reads GITHUB_STEP_SUMMARY');
    expect(lastMessages['src/deploy/log-file.ts']![0]).toContain('only src/shared/paths.ts reads XDG_STATE_HOME');
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
    expect(lastMessages['src/agent/run.ts']![0]).toContain('time comes from ctx.clock (src/shared/clock.ts');
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
    expect(lastMessages['src/health/probe.ts']![0]).toContain('HTTP requests go through src/shared/http-read.ts');
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
