import { ExitCode, stopExitCode, UsageError } from '../errors.js';
import type { LoadRequest } from '../loadtest/autocannon.js';
import type { Gate } from '../loadtest/gate.js';
import type { LoadtestJson } from '../loadtest/render.js';
import { durationOption, list, numberOption, optionalDuration, str, type OptionKeys, type RawInput } from '../shared/options.js';
import { appOption, configOption, defineCommand } from './define.js';

/** Upper bounds: a load run is a measurement, not a stress test, and it always ends. */
export const LIMITS = { durationS: 600, rate: 10_000, connections: 1_000 } as const;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export interface LoadtestOptions {
  /** The URL given, or null: the app's hostname (-a, or fly.toml) with --path. */
  url: string | null;
  app: string | undefined;
  config: string;
  path: string;
  request: Omit<LoadRequest, 'url'>;
  gate: Gate;
}

const options = [
  appOption,
  // No default here: a -c given with a URL is then seen (it was dropped without a word).
  { flags: configOption.flags, description: 'path to fly.toml, for its app when there is no URL (default: fly.toml)' },
  { flags: '--path <path>', description: 'path on the app hostname with -a (default: /)' },
  { flags: '-d, --duration <duration>', description: 'how long to send requests (required; at most 10m)' },
  { flags: '-R, --rate <n>', description: `fixed rate: requests per second over all connections (at most ${LIMITS.rate})` },
  // -r is --region everywhere in gpuctl, as in flyctl (deploy, scale); it was --rate here. Refused in parse, with the way.
  { flags: '-r, --region <value>', description: 'not a loadtest option (see --rate)', hidden: true },
  { flags: '--connections <n>', description: `concurrent connections (default 10; at most ${LIMITS.connections})` },
  { flags: '--method <method>', description: 'HTTP method (default GET)' },
  { flags: '-H, --header <name: value>', description: 'a request header (repeatable)', repeatable: true },
  { flags: '--body <text>', description: 'request body' },
  { flags: '--timeout <duration>', description: 'per request (default 10s)' },
  { flags: '--max-p95 <duration>', description: 'gate: fail (exit 1) when p95 latency is above this, e.g. 10ms' },
  { flags: '--min-rps <n>', description: 'gate: fail (exit 1) below this many 2xx responses per second' },
] as const;
type Raw = RawInput<OptionKeys<typeof options>>;

function seconds(raw: Raw, name: 'duration' | 'timeout', flag: string, max: number, fallback?: string): number {
  const text = str(raw, name) ?? fallback;
  if (text === undefined)
    throw new UsageError(`${flag} is required: a load run has a fixed length.`, { hint: `e.g. ${flag} 30s (at most ${max / 60} min).` });
  const ms = durationOption(raw, name, flag, text);
  if (ms / 1000 > max)
    throw new UsageError(`${flag} ${text} is longer than the ${max} s a load run may take.`, { hint: `Use at most ${max / 60}m.` });
  return ms / 1000;
}

/** min: --rate is at least 1 request per second (0.5 reached the load generator and ended as "a bug in gpuctl"). */
function count(raw: Raw, name: 'rate' | 'connections' | 'minRps', flag: string, max: number, min = 0): number | undefined {
  const above0 = {
    min: Number.MIN_VALUE,
    max,
    message: (text: string) => `${flag} must be a number above 0 and at most ${max}, not "${text}".`,
  };
  const n = numberOption(raw, name, flag, above0);
  if (n !== undefined && n < min) throw new UsageError(`${flag} must be at least ${min}, not "${str(raw, name)}".`);
  return n;
}

/** An HTTP header name is a token; a value holds no CR, LF or NUL (they would inject a header). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function headers(raw: Raw): Record<string, string> {
  return Object.fromEntries(
    list(raw, 'header').map((h) => {
      const at = h.indexOf(':');
      if (at <= 0) throw new UsageError(`--header ${JSON.stringify(h)} is not "Name: value".`);
      const name = h.slice(0, at).trim();
      const value = h.slice(at + 1).trim();
      if (!HEADER_NAME.test(name) || /[\r\n\0]/.test(h))
        throw new UsageError(`--header ${JSON.stringify(h)} holds a character a header cannot have (CR, LF, NUL, or a space in the name).`);
      return [name, value];
    }),
  );
}

/** Flags → options, pure. */
export function parseLoadtest(raw: Raw): LoadtestOptions {
  const url = raw.args[0] ?? null;
  const app = str(raw, 'app');
  if (url !== null && app !== undefined)
    throw new UsageError('Give a URL or -a, not both.', { hint: 'A URL is loaded as given; -a loads https://<app>.fly.dev with --path.' });
  // A URL is loaded as given: --path would be dropped without a word.
  if (url !== null && str(raw, 'path') !== undefined)
    throw new UsageError("--path goes with the app's hostname, not with a URL.", {
      hint: 'Put the path in the URL itself, or give -a <app> (and --path) instead of the URL.',
    });
  // autocannon, hey, wrk and ab spell concurrency -c: `-c 50` ran 10 connections (with a URL, -c was dropped).
  const config = str(raw, 'config');
  if (config !== undefined && /^\d+$/.test(config))
    throw new UsageError(`-c ${config}: -c is the path to fly.toml here, as in flyctl.`, {
      hint: `For ${config} concurrent connections, use --connections ${config}.`,
    });
  if (url !== null && config !== undefined)
    throw new UsageError('-c/--config goes with the app of a fly.toml, not with a URL.', {
      hint: 'A URL is loaded as given; leave -c out, or drop the URL to load https://<app>.fly.dev with --path.',
    });
  const region = str(raw, 'region');
  if (region !== undefined)
    throw new UsageError(`-r ${region}: -r is --region in gpuctl, as in flyctl, and loadtest sends from this machine.`, {
      hint: /^\d/.test(region)
        ? `For ${region} requests per second, use -R ${region} (--rate, autocannon's and wrk2's -R).`
        : `To load the app's machines in ${region}, send Fly's routing header: -H 'fly-prefer-region: ${region}'.`,
    });
  const rate = count(raw, 'rate', '--rate', LIMITS.rate, 1);
  const connectionsGiven = count(raw, 'connections', '--connections', LIMITS.connections);
  if (connectionsGiven !== undefined && !Number.isInteger(connectionsGiven)) throw new UsageError('--connections must be a whole number.');
  const method = (str(raw, 'method') ?? 'GET').toUpperCase();
  if (!(METHODS as readonly string[]).includes(method)) throw new UsageError(`--method ${method} is not one of ${METHODS.join(', ')}.`);
  const maxP95Ms = optionalDuration(raw, 'maxP95', '--max-p95');
  const minRps = count(raw, 'minRps', '--min-rps', 1e9);
  const body = str(raw, 'body');
  return {
    url,
    app,
    config: config ?? 'fly.toml',
    path: str(raw, 'path') ?? '/',
    request: {
      method: method as LoadRequest['method'],
      headers: headers(raw),
      ...(body !== undefined ? { body } : {}),
      durationS: seconds(raw, 'duration', '--duration', LIMITS.durationS),
      connections: connectionsGiven ?? (rate === undefined ? 10 : Math.min(10, Math.ceil(rate))),
      rate: rate ?? null,
      timeoutS: seconds(raw, 'timeout', '--timeout', 60, '10s'),
    },
    gate: { ...(maxP95Ms !== undefined ? { maxP95Ms } : {}), ...(minRps !== undefined ? { minRps } : {}) },
  };
}

export const loadtestCommand = defineCommand({
  name: 'loadtest',
  summary: "Measure the app's own latency and throughput: a bounded load run, with a CI gate",
  description:
    'Sends requests to URL (or https://<app>.fly.dev with --path) for --duration, at a fixed --rate (requests per\n' +
    'second over all connections) or as fast as a fixed number of --connections go, with autocannon. Prints\n' +
    'requests per second, p50/p90/p95/p99/p99.9 latency of the 2xx responses, errors and non-2xx; --max-p95 and\n' +
    '--min-rps (2xx responses per second) make it a gate (exit 1 when missed). Bounded: --duration is required\n' +
    '(at most 10 min), --rate at most 10000/s, --connections at most 1000; it always stops by itself, and Ctrl-C\n' +
    'stops it cleanly (exit 130).\n' +
    'A markdown summary goes to GITHUB_STEP_SUMMARY when set.',
  args: [{ name: 'url', description: 'the URL to load (http or https)' }],
  options,
  examples: [
    ['gpuctl loadtest http://127.0.0.1:9400/metrics --duration 30s --rate 200', 'a fixed rate, locally'],
    ['gpuctl loadtest -a quant-signals --path /predict --duration 1m --connections 32', 'fixed concurrency against the app'],
    ['gpuctl loadtest https://quant-signals.fly.dev/health -d 30s -R 100 --max-p95 10ms --min-rps 95', 'in CI: exit 1 when missed'],
    ['gpuctl loadtest http://127.0.0.1:8080/ -d 10s --json > load.json', 'machine-readable (schemaVersion 1)'],
  ],
  parse: parseLoadtest,
  run: async (options, ctx) => {
    const [{ appTarget, checkLoopback, parseTarget }, { runLoad }, { evaluateGate }, render, { appendStepSummary }, { showUrl }] =
      await Promise.all([
        import('../loadtest/target.js'),
        import('../loadtest/autocannon.js'),
        import('../loadtest/gate.js'),
        import('../loadtest/render.js'),
        import('../ui/step-summary.js'),
        import('../shared/http-read.js'),
      ]);
    let url: URL;
    if (options.url !== null) url = parseTarget(options.url);
    else {
      const { resolveAppName } = await import('../flyio/app-name.js');
      // Without -a, the app comes from FLY_APP or fly.toml; when neither names one, the URL was most likely forgotten.
      const app = await resolveAppName(ctx, options.app, options.config).catch((error: unknown) => {
        if (options.app !== undefined || !(error instanceof UsageError)) throw error;
        throw new UsageError(`No URL to load: none was given, and no app to load either. ${error.message}`, {
          hint: `Pass the URL (gpuctl loadtest https://my-app.fly.dev/health -d ${options.request.durationS}s), or -a <app> with --path.`,
        });
      });
      url = appTarget(app, options.path);
    }
    checkLoopback(url, ctx.env);
    // A password in the URL is sent (autocannon's basic auth) and never shown: not in the report, its JSON or the step summary.
    const shown = showUrl(url);
    const spinner = ctx.spinner(`Loading ${shown} for ${options.request.durationS} s`);
    const outcome = await runLoad({ ...options.request, url: url.href }, ctx.signal, ctx.clock).finally(() => spinner.stop());
    const gate = evaluateGate(outcome.summary, options.gate);
    const exitCode = outcome.interrupted ? stopExitCode(ctx.signal) : gate.passed ? ExitCode.ok : ExitCode.failed;
    const r = options.request;
    const json: LoadtestJson = {
      schemaVersion: 1,
      url: shown,
      mode: { rate: r.rate, connections: r.connections, durationS: r.durationS, method: r.method },
      interrupted: outcome.interrupted,
      summary: outcome.summary,
      gate,
      exitCode,
    };
    ctx.print(json, render.renderText);
    await appendStepSummary(ctx, () => render.renderMarkdown(json));
    return exitCode;
  },
});
