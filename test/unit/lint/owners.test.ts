/**
 * The owner rules, kept by scripts/lint-owners.mjs, turned on in eslint.config.js (docs/architecture.md):
 * - only src/cli.ts and src/exec.ts touch `process` (processRule): the rest takes argv, env, the streams
 *   and the host's facts from the Ctx. The tests prove it fires on each way in (the global,
 *   globalThis.process, an import of node:process) and stays quiet for the two owners;
 * - only the commands, ui/, runtime.ts and cli.ts write to ctx.stdout/ctx.stderr (terminalRule): core
 *   code returns values or emits events for its command to print.
 * - only the same owners as terminalRule start spinners or print results (screenRule), and only ui/ writes
 *   stdout (stdoutRule): a feature emits events and returns results.
 * And the repo's own config has them on. (The environment, time and HTTP owners: owners-env-time.test.ts.)
 */
import { ESLint, type Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { lint, loadConfig, messages, REPO, removeTrees } from './owner-lint.js';

afterAll(removeTrees);

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
    expect(messages()['src/deploy/run.ts']![0]).toContain('its command starts the spinners and prints');
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
