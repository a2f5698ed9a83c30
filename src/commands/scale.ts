import type { Ctx } from '../context.js';
import { UsageError } from '../errors.js';
import type { FlyClient } from '../flyio/client.js';
import { bool, str, type RawInput } from '../shared/options.js';
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

const common = (raw: RawInput): Common => ({ app: str(raw, 'app'), config: str(raw, 'config') ?? 'fly.toml' });
/** `--group`, or flyctl's own spelling `--process-group`. */
const group = (raw: RawInput): string | undefined => str(raw, 'group') ?? str(raw, 'processGroup');
const processGroupAlias = { flags: '--process-group <name>', description: "flyctl's name for --group", hidden: true };

function wholeNumber(text: string | undefined, what: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${what} must be a whole number of at least ${min}, not "${text}".`);
  return Number(text);
}

export function parseCount(raw: RawInput): CountOptions {
  const regions = (str(raw, 'region') ?? '').split(',').map((r) => r.trim().toLowerCase()).filter(Boolean);
  return {
    ...common(raw),
    count: wholeNumber(raw.args[0], 'The machine count', 0)!,
    regions,
    group: group(raw),
    maxPerRegion: wholeNumber(str(raw, 'maxPerRegion'), '--max-per-region', 1),
    yes: bool(raw, 'yes'),
    dryRun: bool(raw, 'dryRun'),
  };
}

export function parseVm(raw: RawInput): VmOptions {
  return {
    ...common(raw),
    size: raw.args[0] ?? '',
    memoryMb: wholeNumber(str(raw, 'memory'), '--memory', 256),
    group: group(raw),
    yes: bool(raw, 'yes'),
    dryRun: bool(raw, 'dryRun'),
  };
}

const confirmOptions = [
  { flags: '-y, --yes', description: 'apply without asking (required when not interactive)' },
  { flags: '--dry-run', description: 'show the plan and the flyctl command, change nothing' },
];

async function client(ctx: Ctx, options: Common): Promise<{ app: string; fly: FlyClient }> {
  const [{ resolveAppName }, { findFlyctl, FlyClient }] = await Promise.all([import('../flyio/app-name.js'), import('../flyio/client.js')]);
  const app = await resolveAppName(ctx, options.app, options.config);
  return { app, fly: new FlyClient(ctx, (await findFlyctl(ctx)).file) };
}

function finish(ctx: Ctx, result: { applied: boolean; verified: { ok: boolean; problems: string[] } | null; command: string }): number {
  if (ctx.flags.json) ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (result.verified && !result.verified.ok) {
    if (!ctx.flags.json) ctx.stderr.write(`${ctx.style.red('Scaled, but not as planned:')}\n${result.verified.problems.map((p) => `  ${p}\n`).join('')}`);
    return 1;
  }
  if (result.applied && !ctx.flags.json) ctx.stdout.write(`${ctx.style.green('Done')}, checked with scale show: ${result.command}\n`);
  return 0;
}

const showCommand = defineCommand<Common>({
  name: 'show',
  summary: 'Show machine counts, sizes, regions and hourly cost per process group',
  options: [appOption, configOption],
  examples: [['gpuctl scale show --json', 'machine-readable']],
  parse: common,
  run: async (options, ctx) => {
    const { app, fly } = await client(ctx, options);
    const groups = await fly.scaleShow(app);
    const { hourlyPriceUsd, PRICE_SOURCE } = await import('../flyio/vm-sizes.js');
    if (ctx.flags.json) {
      const priced = groups.map((g) => {
        const unit = hourlyPriceUsd(g);
        return { ...g, hourlyUsd: unit === undefined ? null : unit * g.count };
      });
      ctx.stdout.write(`${JSON.stringify({ schemaVersion: 1, app, groups: priced, priceSource: PRICE_SOURCE }, null, 2)}\n`);
    } else {
      const { renderShow } = await import('../scale/render.js');
      ctx.stdout.write(renderShow(app, groups));
    }
    return 0;
  },
});

const countCommand = defineCommand<CountOptions>({
  name: 'count',
  summary: 'Set the number of machines, showing the plan and its cost first',
  args: [{ name: 'N', description: 'machines wanted in the group', required: true }],
  options: [
    appOption,
    configOption,
    { flags: '-r, --region <codes>', description: 'comma-separated regions (default: where the app has machines)' },
    { flags: '-g, --group <name>', description: 'process group (default: the only one, else app)' },
    processGroupAlias,
    { flags: '--max-per-region <n>', description: 'at most n machines per region' },
    ...confirmOptions,
  ],
  examples: [
    ['gpuctl scale count 3 --dry-run', 'show the plan'],
    ['gpuctl scale count 4 --region ord,iad --max-per-region 2 --yes', 'two in each region, in CI'],
  ],
  parse: parseCount,
  run: async (options, ctx) => {
    const { app, fly } = await client(ctx, options);
    const { runCount } = await import('../scale/run.js');
    return finish(ctx, await runCount(ctx, fly, app, options, options));
  },
});

const vmCommand = defineCommand<VmOptions>({
  name: 'vm',
  summary: 'Change the machine size, showing the plan and its cost first (GPU sizes are refused)',
  args: [{ name: 'SIZE', description: 'a CPU size preset, e.g. performance-8x', required: true }],
  options: [
    appOption,
    configOption,
    { flags: '--memory <MB>', description: 'memory in MB (default: the preset\'s)' },
    { flags: '-g, --group <name>', description: 'process group (required when the app has several)' },
    processGroupAlias,
    ...confirmOptions,
  ],
  examples: [
    ['gpuctl scale vm performance-8x --dry-run', 'the CPU layout of a retired a100-40gb guest, and what it costs'],
    ['gpuctl scale vm performance-2x --memory 8192 --yes', 'more memory'],
  ],
  parse: parseVm,
  run: async (options, ctx) => {
    const { app, fly } = await client(ctx, options);
    const { runVm } = await import('../scale/run.js');
    return finish(ctx, await runVm(ctx, fly, app, options, options));
  },
});

export const scaleCommand = defineCommand<Common>({
  name: 'scale',
  summary: 'Show and change machine counts and sizes, with a plan, its cost and a check afterwards',
  subcommands: [showCommand, countCommand, vmCommand],
});
