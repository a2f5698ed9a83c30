import type { Ctx } from '../context.js';
import { ExitCode } from '../errors.js';
import { checkProcessGroup } from '../flyio/app-name.js';
import type { FlyClient } from '../flyio/client.js';
import type { CountRequest } from '../scale/plan-count.js';
import { bool, readNumber, str, type OptionKeys, type RawInput } from '../shared/options.js';
import { streamWriter } from '../ui/output.js';
import { appOption, configOption, defineCommand } from './define.js';

interface Common {
  app: string | undefined;
  config: string;
}
export interface CountOptions extends Common {
  count: number;
  regions: string[];
  group: string | undefined;
  maxPerRegion: number | undefined;
  yes: boolean;
  dryRun: boolean;
}
export interface VmOptions extends Common {
  size: string;
  memoryMb: number | undefined;
  group: string | undefined;
  yes: boolean;
  dryRun: boolean;
}

const processGroupAlias = { flags: '--process-group <name>', description: "flyctl's name for --group", hidden: true } as const;
const confirmOptions = [
  { flags: '-y, --yes', description: 'apply without asking (required when not interactive)' },
  { flags: '--dry-run', description: 'show the plan and the flyctl command, change nothing' },
] as const;

const showOptions = [appOption, configOption] as const;
const countOptions = [
  appOption,
  configOption,
  { flags: '-r, --region <codes>', description: 'comma-separated regions (default: where the app has machines)' },
  { flags: '-g, --group <name>', description: 'process group (default: the only one, else app)' },
  processGroupAlias,
  { flags: '--max-per-region <n>', description: 'at most n machines per region' },
  ...confirmOptions,
] as const;
const vmOptions = [
  appOption,
  configOption,
  { flags: '--memory <MB>', description: "memory in MB (default: the preset's)" },
  { flags: '-g, --group <name>', description: 'process group (required when the app has several)' },
  processGroupAlias,
  ...confirmOptions,
] as const;

export function parseShow(raw: RawInput<OptionKeys<typeof showOptions>>): Common {
  return { app: str(raw, 'app'), config: str(raw, 'config') ?? 'fly.toml' };
}
/** `--group`, or flyctl's own spelling `--process-group`. */
function group(raw: RawInput<'group' | 'processGroup'>): string | undefined {
  const name = str(raw, 'group') ?? str(raw, 'processGroup');
  return name === undefined ? undefined : checkProcessGroup(name, '--group');
}

function wholeNumber(text: string | undefined, what: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const message = () => `${what} must be a whole number of at least ${min}, not "${text}".`;
  return readNumber(text, what, { min, max: Number.MAX_SAFE_INTEGER, whole: true, message });
}

export function parseCount(raw: RawInput<OptionKeys<typeof countOptions>>): CountOptions {
  const regions = (str(raw, 'region') ?? '')
    .split(',')
    .map((r) => r.trim().toLowerCase())
    .filter(Boolean);
  return {
    ...parseShow(raw),
    count: wholeNumber(raw.args[0], 'The machine count', 0)!,
    regions,
    group: group(raw),
    maxPerRegion: wholeNumber(str(raw, 'maxPerRegion'), '--max-per-region', 1),
    yes: bool(raw, 'yes'),
    dryRun: bool(raw, 'dryRun'),
  };
}

export function parseVm(raw: RawInput<OptionKeys<typeof vmOptions>>): VmOptions {
  return {
    ...parseShow(raw),
    size: raw.args[0] ?? '',
    memoryMb: wholeNumber(str(raw, 'memory'), '--memory', 256),
    group: group(raw),
    yes: bool(raw, 'yes'),
    dryRun: bool(raw, 'dryRun'),
  };
}

async function client(ctx: Ctx, options: Common): Promise<{ app: string; fly: FlyClient }> {
  const [{ resolveAppName }, { connectFlyctl }] = await Promise.all([import('../flyio/app-name.js'), import('../flyio/client.js')]);
  const app = await resolveAppName(ctx, options.app, options.config);
  return { app, fly: await connectFlyctl(ctx) };
}

/**
 * What fly.toml tells scale count: its primary_region (flyctl's fallback for an app without machines), and, when it
 * is this app's, its process groups (groups that may have no machines yet). Nothing when unreadable.
 */
async function configFacts(ctx: Ctx, config: string, app: string): Promise<Pick<CountRequest, 'primaryRegion' | 'configGroups'>> {
  const [{ readFlyToml }, { resolveFlyToml }] = await Promise.all([import('../flyio/fly-toml.js'), import('../flyio/config-path.js')]);
  const parsed = await readFlyToml(resolveFlyToml(ctx.cwd, config)).catch(() => undefined);
  if (!parsed?.ok) return {};
  const { primaryRegion, app: configApp, processGroups } = parsed.model;
  return { primaryRegion: primaryRegion?.toLowerCase(), configGroups: configApp === app ? processGroups : undefined };
}

/** The plan is the command's output (issue 13: `scale count 2 --dry-run > plan.txt` has it); --json has it in the result. */
const planEvents = (ctx: Ctx) => ({ plan: (text: string) => streamWriter(ctx.flags.json, ctx.stdout, ctx.style).text(text) });

function finish(ctx: Ctx, result: { applied: boolean; verified: { ok: boolean; problems: string[] } | null; command: string }): number {
  const off = result.verified !== null && !result.verified.ok;
  ctx.print(result, (r, style) => (r.applied && !off ? `${style.green('Done')}, checked with scale show: ${r.command}\n` : ''));
  if (!off) return ExitCode.ok;
  if (!ctx.flags.json)
    ctx.stderr.write(`${ctx.style.red('Scaled, but not as planned:')}\n${result.verified!.problems.map((p) => `  ${p}\n`).join('')}`);
  return ExitCode.failed;
}

const showCommand = defineCommand({
  name: 'show',
  summary: 'Show machine counts, sizes, regions and hourly cost per process group',
  options: showOptions,
  examples: [['gpuctl scale show --json', 'machine-readable']],
  parse: parseShow,
  run: async (options, ctx) => {
    const { app, fly } = await client(ctx, options);
    const [groups, machines, { PRICE_SOURCE }, { renderShow, showGroups }] = await Promise.all([
      fly.scaleShow(app),
      fly.machines(app),
      import('../flyio/vm-sizes.js'),
      import('../scale/render.js'),
    ]);
    const shown = showGroups(groups, machines);
    const json = groups.map((g, i) => ({ ...g, hourlyUsd: shown[i]!.hourlyUsd }));
    ctx.print({ schemaVersion: 1, app, groups: json, priceSource: PRICE_SOURCE }, () => renderShow(app, shown));
    return ExitCode.ok;
  },
});

const countCommand = defineCommand({
  name: 'count',
  summary: 'Set the number of machines, showing the plan and its cost first',
  args: [{ name: 'N', description: 'machines wanted in the group', required: true }],
  options: countOptions,
  examples: [
    ['gpuctl scale count 3 --dry-run', 'show the plan'],
    ['gpuctl scale count 4 --region ord,iad --max-per-region 2 --yes', 'two in each region, in CI'],
  ],
  parse: parseCount,
  run: async (options, ctx) => {
    const { app, fly } = await client(ctx, options);
    const [{ runCount }, facts] = await Promise.all([import('../scale/run.js'), configFacts(ctx, options.config, app)]);
    return finish(ctx, await runCount(ctx, fly, app, { ...options, ...facts }, options, planEvents(ctx)));
  },
});

const vmCommand = defineCommand({
  name: 'vm',
  summary: 'Change the machine size, showing the plan and its cost first (GPU sizes are refused)',
  args: [{ name: 'SIZE', description: 'a CPU size preset, e.g. performance-8x', required: true }],
  options: vmOptions,
  examples: [
    ['gpuctl scale vm performance-8x --memory 32768 --dry-run', 'the CPU layout of a retired a100-40gb guest, and what it costs'],
    ['gpuctl scale vm performance-2x --memory 8192 --yes', 'more memory'],
  ],
  parse: parseVm,
  run: async (options, ctx) => {
    const { app, fly } = await client(ctx, options);
    const { runVm } = await import('../scale/run.js');
    return finish(ctx, await runVm(ctx, fly, app, options, options, planEvents(ctx)));
  },
});

export const scaleCommand = defineCommand({
  name: 'scale',
  summary: 'Show and change machine counts and sizes, with a plan, its cost and a check afterwards',
  examples: [
    ['gpuctl scale show', 'machines, sizes, regions and hourly cost per process group'],
    ['gpuctl scale count 2 --dry-run > plan.txt', 'the plan and the flyctl command, changing nothing'],
    ['gpuctl scale vm performance-8x --yes', 'a new size, in CI (checked with scale show afterwards)'],
  ],
  subcommands: [showCommand, countCommand, vmCommand],
});
