import { ExitCode, UsageError } from '../errors.js';
import { bool, durationOption, str, type OptionKeys, type RawInput } from '../shared/options.js';
import { streamWriter } from '../ui/output.js';
import { SCREEN } from '../ui/printable.js';
import { appOption, configOption, defineCommand } from './define.js';

export interface StatusOptions {
  app: string | undefined;
  config: string;
  watch: boolean;
  intervalMs: number;
}

const options = [
  appOption,
  configOption,
  { flags: '-w, --watch', description: 'refresh until Ctrl-C' },
  { flags: '--interval <duration>', description: 'refresh interval for --watch, e.g. 5s or 2m (a bare number is seconds; default 5s)' },
] as const;

export function parseStatusOptions(raw: RawInput<OptionKeys<typeof options>>): StatusOptions {
  const watch = bool(raw, 'watch');
  if (watch && bool(raw, 'json'))
    throw new UsageError('--watch and --json do not go together.', { hint: 'Poll `gpuctl status --json` yourself.' });
  // Without --watch there is nothing to refresh: a given --interval would be ignored without a word (as diag's --duration on quick).
  if (!watch && str(raw, 'interval') !== undefined)
    throw new UsageError('--interval applies to --watch; one status is printed once.', {
      hint: 'e.g. gpuctl status --watch --interval 10s',
    });
  const intervalMs = durationOption(raw, 'interval', '--interval', '5s');
  if (intervalMs < 1000 || intervalMs > 3_600_000)
    throw new UsageError(`--interval "${str(raw, 'interval')}" must be between 1 and 3600 seconds (1s to 1h).`);
  return { app: str(raw, 'app'), config: str(raw, 'config') ?? 'fly.toml', watch, intervalMs };
}

export const statusCommand = defineCommand({
  name: 'status',
  summary: "Show the app's machines: region, state, guest, image, release and checks",
  description: "One row per machine, from `flyctl status --json`, with the app's hostname and current release.",
  options,
  examples: [
    ['gpuctl status', 'the app in ./fly.toml'],
    ['gpuctl status -a quant-signals --json', 'machine-readable (schemaVersion 1)'],
    ['gpuctl status --watch', 'follow a rollout'],
  ],
  parse: parseStatusOptions,
  run: async (options, ctx) => {
    const [{ resolveAppName }, { connectFlyctl }, view] = await Promise.all([
      import('../flyio/app-name.js'),
      import('../flyio/client.js'),
      import('../status/view.js'),
    ]);
    const app = await resolveAppName(ctx, options.app, options.config);
    const fly = await connectFlyctl(ctx);
    for (;;) {
      const snapshot = view.statusJson(await fly.status(app));
      if (!options.watch) {
        ctx.print(snapshot, view.renderStatus);
        return ExitCode.ok;
      }
      // --watch is for people (parse refuses --json with it): each frame through the stream writer, on a terminal over the last.
      const clear = ctx.stdout.isTTY ? SCREEN.clearHome : '';
      streamWriter(ctx.flags.json, ctx.stdout, ctx.style).record(
        snapshot,
        (s, style) =>
          `${clear}${view.renderStatus(s, style)}${style.dim(`\n${ctx.clock.now().toISOString()} · every ${options.intervalMs / 1000} s · Ctrl-C to stop`)}\n`,
      );
      // Ctrl-C ends a watch: not an error (the CLI still exits 130, as for any interrupt).
      if (!(await ctx.clock.sleep(options.intervalMs, ctx.signal))) return ExitCode.ok;
    }
  },
});
