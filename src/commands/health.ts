import { ExitCode, UsageError } from '../errors.js';
import { bool, durationOption, notNegated, str, type OptionKeys, type RawInput } from '../shared/options.js';
import { parseHttpUrl } from '../shared/http-url.js';
import { appOption, configOption, defineCommand } from './define.js';

export interface HealthOptions {
  app: string | undefined;
  config: string;
  url: string | undefined;
  timeoutMs: number;
  probe: boolean;
  requireStarted: boolean;
}

const options = [
  appOption,
  configOption,
  {
    flags: '--url <base>',
    description: 'probe /health and /gpu-health at this base URL instead (the GPU verdict from there, not from the gpu check)',
  },
  { flags: '--timeout <duration>', description: 'limit for each HTTP probe', default: '10s' },
  { flags: '--no-probe', description: "only Fly's checks, no HTTP probes" },
  {
    flags: '--require-started',
    description: 'fail on an idle machine too (stopped by autostop, or exited cleanly when idle); a stopped --ha standby still passes',
  },
] as const;

export function parseHealthOptions(raw: RawInput<OptionKeys<typeof options>>): HealthOptions {
  const url = str(raw, 'url');
  // The probes send no credentials (fetch refuses a URL holding them), and the report would show the password.
  if (url !== undefined)
    parseHttpUrl(url, '--url', {
      credentials: 'refuse',
      example: 'https://quant-signals.fly.dev',
      credentialsHint: 'Give the address alone, e.g. --url http://127.0.0.1:8080 (through `flyctl proxy 8080 -a APP`).',
    });
  const probe = notNegated(raw, 'probe');
  if (url !== undefined && !probe)
    throw new UsageError('--url names where to probe, and --no-probe turns the probes off: choose one.', {
      hint: "Without --url, the GPU verdict comes from Fly's gpu check; --no-probe keeps that and skips /health.",
    });
  return {
    app: str(raw, 'app'),
    config: str(raw, 'config') ?? 'fly.toml',
    url,
    timeoutMs: durationOption(raw, 'timeout', '--timeout', '10s'),
    probe,
    requireStarted: bool(raw, 'requireStarted'),
  };
}

export const healthCommand = defineCommand({
  name: 'health',
  summary: "Check the app's health: Fly's checks, its /health endpoint and the GPU verdict of gpuctl agent",
  description:
    "Fly's checks per machine (`flyctl checks list --json`), machine states, and an HTTP probe of /health through\n" +
    "https://<hostname>. A machine stopped or suspended by autostop (its services' auto_stop_machines) is idle, not a\n" +
    'failure, unless fewer machines are started in the primary region than min_machines_running, or none at all while\n' +
    'auto_start_machines = false. So is a machine whose process exited cleanly (code 0) by itself, under a restart policy\n' +
    'that leaves it stopped (on-failure, the default), when a service of it has auto_start_machines on: the proxy starts\n' +
    'it on the next request (Fly\'s "apps that shut down when idle"). Any other stopped machine fails, with why and what\n' +
    'to do under the table (a crash: its logs; asked to stop without autostop: start it); with --require-started so does\n' +
    'every machine not started but a stopped --ha standby.\n' +
    "The GPU verdict is the agent's /gpu-health, which the generated layout serves on the private\n" +
    "metrics port: it is read per machine from Fly's `gpu` check ([checks.gpu]), whose output is the agent's answer.\n" +
    '--url probes /health and /gpu-health at that address directly instead (a 404 on /gpu-health is reported, not failed).\n' +
    'Exit 0 healthy, 1 unhealthy (with the reason per machine): made for CI after a deploy; with GITHUB_STEP_SUMMARY set,\n' +
    'a markdown summary is appended to it.',
  options,
  examples: [
    ['gpuctl health', 'the app in ./fly.toml'],
    ['gpuctl health -a quant-signals --json', 'in CI after a deploy; exit 1 when unhealthy'],
    ['gpuctl health --require-started', 'every machine but a standby must be running, autostop or not'],
    ['gpuctl health --url http://localhost:8080', 'probe another address (e.g. through `flyctl proxy`)'],
  ],
  parse: parseHealthOptions,
  run: async (options, ctx) => {
    const [
      { resolveAppName },
      { connectFlyctl },
      { probe, probesFor },
      { assessHealth, renderHealth },
      { gpuCheckResults },
      { renderHealthMarkdown },
      { appendStepSummary },
    ] = await Promise.all([
      import('../flyio/app-name.js'),
      import('../flyio/client.js'),
      import('../health/probe.js'),
      import('../health/assess.js'),
      import('../health/gpu-check.js'),
      import('../health/markdown.js'),
      import('../ui/step-summary.js'),
    ]);
    const app = await resolveAppName(ctx, options.app, options.config);
    const fly = await connectFlyctl(ctx);
    const spinner = ctx.spinner(`Checking ${app}`);
    try {
      const [status, checks] = await Promise.all([fly.status(app), fly.checks(app)]);
      const base = options.url ?? `https://${status.hostname}`;
      const http = options.probe
        ? await Promise.all(probesFor(options.url).map((p) => probe(base, p.path, p.optional, options.timeoutMs, ctx.signal, ctx.clock)))
        : [];
      spinner.stop();
      const health = assessHealth(status, checks, http, options.url ? [] : gpuCheckResults(status, checks), {
        requireStarted: options.requireStarted,
      });
      ctx.print(health, renderHealth);
      await appendStepSummary(ctx, () => renderHealthMarkdown(health));
      return health.healthy ? ExitCode.ok : ExitCode.failed;
    } finally {
      spinner.stop();
    }
  },
});
