import { resolve } from 'node:path';
import { ExitCode, UsageError } from '../errors.js';
import { parseDuration } from '../shared/duration.js';
import { durationOption, list, optionalDuration, str, bool, type OptionKeys, type RawInput } from '../shared/options.js';
import { spinnerSlot } from '../ui/spinner.js';
import { defineCommand } from './define.js';

export interface SmokeCommandOptions {
  dir: string;
  engine: 'docker' | 'podman' | undefined;
  buildArgs: string[];
  waitTimeoutMs: number;
  keep: boolean;
  processGroup: string | undefined;
  loadtest: { durationS: number; rate: number | null; path: string | undefined; maxP95Ms?: number; minRps?: number } | null;
}

const options = [
  { flags: '--dir <dir>', description: 'the layout `gpuctl init` wrote (fly.toml, Dockerfile, …)', default: '.' },
  { flags: '--engine <engine>', description: 'container engine (default: docker, else podman)', choices: ['docker', 'podman'] },
  { flags: '--build-arg <NAME=VALUE>', description: 'passed to the build (repeatable)', repeatable: true },
  { flags: '--wait-timeout <duration>', description: "how long to wait for fly.toml's checks to pass (all of them)", default: '2m' },
  { flags: '--loadtest <duration[,rate]>', description: 'also load the running application, e.g. 30s or 30s,100 (requests/s)' },
  {
    flags: '--path <path>',
    description:
      "with --loadtest: the path it requests (default: the path of the application service's first GET http check, else /health)",
  },
  { flags: '--max-p95 <duration>', description: 'with --loadtest: fail above this p95 latency, e.g. 50ms' },
  { flags: '--min-rps <n>', description: 'with --loadtest: fail below this many 2xx responses per second' },
  {
    flags: '--process-group <name>',
    description: "the [processes] group to run, with its command and checks (default: flyctl's default group: app, else the first by name)",
  },
  { flags: '--keep', description: 'keep the image afterwards (the container is always removed)' },
] as const;
type Raw = RawInput<OptionKeys<typeof options>>;

function loadtestOption(raw: Raw): SmokeCommandOptions['loadtest'] {
  const text = str(raw, 'loadtest');
  const maxP95 = str(raw, 'maxP95');
  const minRps = str(raw, 'minRps');
  const path = str(raw, 'path');
  if (path !== undefined && !path.startsWith('/')) throw new UsageError(`--path "${path}" must start with /.`);
  if (text === undefined) {
    if (maxP95 !== undefined || minRps !== undefined || path !== undefined)
      throw new UsageError('--max-p95, --min-rps and --path belong to a load run: give --loadtest too.');
    return null;
  }
  const [duration = '', rate, extra] = text.split(',');
  const ms = parseDuration(duration.trim());
  if (ms === undefined || ms <= 0 || ms > 600_000 || extra !== undefined)
    throw new UsageError(`--loadtest "${text}" is not DURATION[,RATE] (at most 10m).`, {
      hint: 'e.g. --loadtest 30s or --loadtest 30s,100',
    });
  const r = rate === undefined ? null : Number(rate);
  if (r !== null && !(Number.isFinite(r) && r >= 1 && r <= 10_000))
    throw new UsageError(`--loadtest rate "${rate}" must be 1 to 10000 requests/s.`);
  const p95 = optionalDuration(raw, 'maxP95', '--max-p95');
  const rps = minRps === undefined ? undefined : Number(minRps);
  if (rps !== undefined && !(Number.isFinite(rps) && rps > 0)) throw new UsageError(`--min-rps "${minRps}" must be a number above 0.`);
  return {
    durationS: ms / 1000,
    rate: r,
    path,
    ...(p95 !== undefined ? { maxP95Ms: p95 } : {}),
    ...(rps !== undefined ? { minRps: rps } : {}),
  };
}

function processGroupOption(raw: Raw): string | undefined {
  const name = str(raw, 'processGroup');
  if (name !== undefined && name.trim() === '') throw new UsageError("--process-group needs a name: one of fly.toml's [processes].");
  return name;
}

export function parseSmoke(raw: Raw): SmokeCommandOptions {
  const buildArgs = list(raw, 'buildArg');
  const bad = buildArgs.find((a) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a));
  if (bad !== undefined) throw new UsageError(`--build-arg "${bad}" is not NAME=VALUE.`);
  return {
    dir: resolve(str(raw, 'dir') ?? '.'),
    engine: str(raw, 'engine') as SmokeCommandOptions['engine'],
    buildArgs,
    waitTimeoutMs: durationOption(raw, 'waitTimeout', '--wait-timeout', '2m'),
    keep: bool(raw, 'keep'),
    processGroup: processGroupOption(raw),
    loadtest: loadtestOption(raw),
  };
}

export const smokeCommand = defineCommand({
  name: 'smoke',
  summary: 'Build and run the image `gpuctl init` wrote, with a real container engine, before you deploy',
  description:
    "Builds the layout in --dir with docker (else podman), runs it with fly.toml's environment and a volume, its ports on\n" +
    "127.0.0.1 only (the GPUs reserved for a GPU layout on a machine that has them), waits for fly.toml's checks as written\n" +
    '(tcp_checks: a TCP connect; http checks: their method, path, protocol and headers; top-level [checks] too),\n' +
    "checks the agent's /health, /gpu-health and /metrics, that nothing runs as root and no compiler is left in the image,\n" +
    "optionally loads it (--loadtest), then stops it with fly.toml's kill_signal and checks it stops within kill_timeout.\n" +
    'Each check is tried every second inside its grace_period (a pass there is early), then every interval, as Fly. With [processes] it runs\n' +
    "one group (flyctl's default, or --process-group) with its command and checks, and lists the others' checks as skipped.\n" +
    'The container is always removed (on Ctrl-C too), the image unless --keep. Exit 0 passed, 1 a check failed, 3 no engine.\n' +
    'A markdown summary goes to GITHUB_STEP_SUMMARY when set. docs/smoke.md says what each check means.',
  options,
  examples: [
    ['gpuctl smoke', 'the layout in this directory'],
    ['gpuctl smoke --dir gpu-layout --engine podman', 'another directory, with podman'],
    ['gpuctl smoke --loadtest 30s,100 --max-p95 50ms --json', 'in CI before `gpuctl deploy`'],
  ],
  parse: parseSmoke,
  run: async (options, ctx) => {
    const [{ runSmoke }, { renderSmoke, renderSmokeMarkdown }, { readGpuHealthBody }, { querySmi }, { appendStepSummary }] =
      await Promise.all([
        import('../smoke/run.js'),
        import('../smoke/render.js'),
        import('../health/gpu-body.js'),
        import('../gpu/smi-probe.js'),
        import('../ui/step-summary.js'),
      ]);
    // One spinner per step, so a CI line's "(N s)" is that step's time, not the whole run's.
    const slot = spinnerSlot(ctx);
    try {
      const result = await runSmoke(
        ctx,
        { ...options, loadtestPath: options.loadtest?.path },
        {
          readVerdict: readGpuHealthBody,
          progress: (text, sameStep) => (sameStep ? slot.update(text) : slot.begin(text)),
          // The step's spinner ends with it (a warning line); --json has no spinner, so it is a warning there.
          notice: (text) => (ctx.flags.json ? ctx.log.warn(text) : slot.end('warn', text)),
          hasGpu: () =>
            querySmi(ctx).then(
              (smi) => smi.kind === 'ok' && smi.gpus.length > 0,
              () => false,
            ),
          loadtest: options.loadtest ? (base, path) => smokeLoad(ctx, `${base}${path}`, options.loadtest!) : undefined,
        },
      );
      slot.end('stop');
      ctx.print(result, renderSmoke);
      await appendStepSummary(ctx, () => renderSmokeMarkdown(result));
      return result.passed ? ExitCode.ok : ExitCode.failed;
    } finally {
      slot.end('stop');
    }
  },
});

async function smokeLoad(
  ctx: Parameters<NonNullable<typeof smokeCommand.run>>[1],
  url: string,
  o: NonNullable<SmokeCommandOptions['loadtest']>,
) {
  const [{ runLoad }, { evaluateGate, ms }, { check }] = await Promise.all([
    import('../loadtest/autocannon.js'),
    import('../loadtest/gate.js'),
    import('../smoke/checks.js'),
  ]);
  const request = {
    url,
    method: 'GET' as const,
    headers: {},
    durationS: o.durationS,
    connections: o.rate === null ? 10 : Math.min(10, Math.ceil(o.rate)),
    rate: o.rate,
    timeoutS: 10,
  };
  const outcome = await runLoad(request, ctx.signal, ctx.clock);
  const gate = evaluateGate(outcome.summary, {
    ...(o.maxP95Ms !== undefined ? { maxP95Ms: o.maxP95Ms } : {}),
    ...(o.minRps !== undefined ? { minRps: o.minRps } : {}),
  });
  const s = outcome.summary;
  const evidence = `${s.rps.toFixed(1)} req/s, p95 ${s.latencyMs ? ms(s.latencyMs.p95) : '–'}, ${s.non2xx} non-2xx, ${s.errors} errors${gate.checks.length ? ` (${gate.checks.map((c) => `${c.name} ${c.actual} vs ${c.limit}`).join('; ')})` : ''}`;
  return check(
    'loadtest',
    `loadtest ${o.durationS} s${o.rate ? ` at ${o.rate}/s` : ''}`,
    gate.passed && !outcome.interrupted ? 'pass' : 'fail',
    evidence,
  );
}
