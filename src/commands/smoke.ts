import { resolve } from 'node:path';
import { ExitCode, UsageError } from '../errors.js';
import { parseDuration } from '../shared/duration.js';
import { bool, durationOption, list, str, type OptionKeys, type RawInput } from '../shared/options.js';
import type { SmokeLoad, SmokeOptions } from '../smoke/options.js';
import { defineCommand } from './define.js';

const options = [
  { flags: '--dir <dir>', description: 'the layout `gpuctl init` wrote (default: the current directory)' },
  { flags: '--engine <engine>', description: 'container engine (default: docker, else podman)', choices: ['docker', 'podman'] },
  { flags: '--build-arg <name=value>', description: 'passed to the build (repeatable)', repeatable: true },
  { flags: '--wait-timeout <duration>', description: "how long to wait for the application's /health (default 2m)" },
  { flags: '--keep', description: 'keep the image (the container is always removed)' },
  { flags: '--loadtest <duration[,rate]>', description: 'load the application for DURATION (at RATE requests/s) with gpuctl loadtest' },
  { flags: '--max-p95 <duration>', description: 'with --loadtest: fail above this p95 latency, e.g. 50ms' },
  { flags: '--min-rps <n>', description: 'with --loadtest: fail below this many requests per second' },
] as const;
type Raw = RawInput<OptionKeys<typeof options>>;

const BUILD_ARG = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** "30s" or "30s,100": the load run's length and, optionally, its rate. */
export function parseLoad(text: string, maxP95?: string, minRps?: string): SmokeLoad {
  const [duration = '', rate, ...rest] = text.split(',').map((part) => part.trim());
  const ms = parseDuration(duration);
  if (rest.length > 0 || ms === undefined || ms <= 0 || ms > 600_000)
    throw new UsageError(`--loadtest "${text}" is not DURATION[,RATE].`, {
      hint: 'e.g. --loadtest 20s or --loadtest 20s,50 (at most 10m, 10000/s).',
    });
  const r = rate === undefined ? null : /^\d+(\.\d+)?$/.test(rate) ? Number(rate) : Number.NaN;
  if (r !== null && !(r >= 1 && r <= 10_000)) throw new UsageError(`--loadtest's rate "${rate}" must be a number from 1 to 10000.`);
  const load: SmokeLoad = { durationS: ms / 1000, rate: r };
  if (maxP95 !== undefined) {
    const p95 = parseDuration(maxP95);
    if (p95 === undefined || p95 <= 0) throw new UsageError(`--max-p95 "${maxP95}" is not a duration.`, { hint: 'e.g. --max-p95 50ms' });
    load.maxP95Ms = p95;
  }
  if (minRps !== undefined) {
    const n = /^\d+(\.\d+)?$/.test(minRps.trim()) ? Number(minRps) : Number.NaN;
    if (!(n > 0)) throw new UsageError(`--min-rps must be a number above 0, not "${minRps}".`);
    load.minRps = n;
  }
  return load;
}

/** Flags → options, pure. */
export function parseSmoke(raw: Raw, cwd = '.'): SmokeOptions {
  const buildArgs = list(raw, 'buildArg');
  const bad = buildArgs.find((a) => !BUILD_ARG.test(a) || /[\r\n\0]/.test(a));
  if (bad !== undefined) throw new UsageError(`--build-arg ${JSON.stringify(bad)} is not NAME=value.`);
  const engine = str(raw, 'engine');
  if (engine !== undefined && engine !== 'docker' && engine !== 'podman')
    throw new UsageError(`--engine must be docker or podman, not "${engine}".`);
  const loadtest = str(raw, 'loadtest');
  const [maxP95, minRps] = [str(raw, 'maxP95'), str(raw, 'minRps')];
  if (loadtest === undefined && (maxP95 !== undefined || minRps !== undefined))
    throw new UsageError('--max-p95 and --min-rps gate a load run: give --loadtest too.', {
      hint: 'e.g. --loadtest 20s,50 --max-p95 50ms',
    });
  return {
    dir: resolve(cwd, str(raw, 'dir') ?? '.'),
    engine: engine ?? null,
    buildArgs,
    waitTimeoutMs: durationOption(raw, 'waitTimeout', '--wait-timeout', '2m'),
    keep: bool(raw, 'keep'),
    loadtest: loadtest === undefined ? null : parseLoad(loadtest, maxP95, minRps),
  };
}

export const smokeCommand = defineCommand({
  name: 'smoke',
  summary: 'Build and run the image `gpuctl init` wrote, with a real container engine, before deploying it',
  description:
    "Builds DIR's Dockerfile with docker (else podman; --engine to choose), runs it with its ports on 127.0.0.1\n" +
    "only (the GPU reserved for a GPU layout on a machine with one), waits for the application's /health, checks\n" +
    "the agent's /health, /gpu-health and /metrics, that the application runs as the Dockerfile's non-root user\n" +
    "and that the final stage holds no compiler, optionally loads it (--loadtest), then stops it with fly.toml's\n" +
    'kill_signal and checks it stops within kill_timeout. Removes the container and the image (--keep keeps the\n' +
    'image), Ctrl-C included. Exit 0 passed, 1 a step failed (named), 2 bad flags, 3 no engine. See docs/smoke.md.',
  options,
  examples: [
    ['gpuctl smoke', 'the layout in the current directory'],
    ['gpuctl smoke --dir app --engine podman --loadtest 20s,50 --max-p95 50ms', 'with a load gate'],
    ['gpuctl smoke --json > smoke.json', 'machine-readable (schemaVersion 1)'],
  ],
  parse: (raw) => parseSmoke(raw),
  run: async (options, ctx) => {
    const [{ runSmoke }, render, { appendStepSummary }, { runLoad }, { evaluateGate }] = await Promise.all([
      import('../smoke/run.js'),
      import('../smoke/render.js'),
      import('../ui/step-summary.js'),
      import('../loadtest/autocannon.js'),
      import('../loadtest/gate.js'),
    ]);
    const opts = { ...options, dir: resolve(ctx.cwd, options.dir) };
    const spinner = ctx.spinner('gpuctl smoke');
    let phase = '';
    const report = await runSmoke(
      ctx,
      opts,
      {
        step: (text) => {
          phase = text;
          spinner.update(text);
        },
        phase: (text) => spinner.update(`${phase}: ${text}`),
        checked: (check) => ctx.log.debug(`${check.status} ${check.name}: ${check.evidence}`),
      },
      async (url, load, signal) => {
        const run = await runLoad(
          { url, method: 'GET', headers: {}, durationS: load.durationS, connections: 10, rate: load.rate, timeoutS: 10 },
          signal,
        );
        const gate = evaluateGate(run.summary, {
          ...(load.maxP95Ms ? { maxP95Ms: load.maxP95Ms } : {}),
          ...(load.minRps ? { minRps: load.minRps } : {}),
        });
        const p95 = run.summary.latencyMs?.p95;
        const facts = `${run.summary.rps.toFixed(1)} req/s, p95 ${p95 === undefined ? 'none' : `${p95.toFixed(2)} ms`}, ${run.summary.ok2xx} 2xx, ${run.summary.errors} errors`;
        const missed = gate.checks.filter((c) => !c.passed).map((c) => `${c.name} ${c.actual} (limit ${c.limit})`);
        return {
          name: 'loadtest',
          status: gate.passed ? 'pass' : 'fail',
          evidence: missed.length ? `${facts}; missed ${missed.join(', ')}` : facts,
        };
      },
    ).finally(() => spinner.stop());
    const passed = render.verdictOf(report);
    const exitCode = report.interrupted ? ExitCode.interrupted : passed ? ExitCode.ok : ExitCode.failed;
    const json = { ...report, passed, exitCode };
    ctx.print(json, render.renderText);
    await appendStepSummary(ctx, () => render.renderMarkdown(json));
    return exitCode;
  },
});
