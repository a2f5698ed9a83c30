/** fly.toml rules about services, checks, [env] and [deploy], with flyctl's own limits and wording. */
import { finding, type Finding } from '../shared/findings.js';
import { isGpuVm, type RuleContext } from './fly-gpu-rules.js';
import type { ServiceCheck } from '../flyio/fly-model.js';
import { durationMs, formatDuration, killTimeoutSeconds } from '../flyio/fly-units.js';

const STRATEGIES = ['canary', 'rolling', 'immediate', 'bluegreen'] as const;
const MINUTE = 60_000;
const KILL_TIMEOUT_MAX_S = 300;

const LONG_WAIT_FIX =
  "Keep it at 60s or less and give slow starts (model loading) a longer [deploy] wait_timeout, e.g. wait_timeout = '10m'.";

function durationFindings(check: ServiceCheck, ctx: RuleContext): Finding[] {
  const fields = [
    ['interval', 'an interval', check.interval, false],
    ['timeout', 'a timeout', check.timeout, false],
    ['grace_period', 'a grace period', check.gracePeriod, true],
  ] as const;
  return fields.flatMap(([key, description, value, zeroOk]) => {
    const ms = durationMs(value);
    if (value === undefined || ms === null) return [];
    const at = ctx.at([...check.path, key]);
    const shown = formatDuration(ms);
    if (ms > MINUTE) {
      return [
        finding(
          'service-check-duration',
          ctx.file,
          at,
          `Service ${check.kind} check has ${description} greater than 1 minute (${shown}); flyctl lowers it to 1 minute.`,
          LONG_WAIT_FIX,
        ),
      ];
    }
    if (ms < 1000 && !(zeroOk && ms === 0)) {
      return [
        finding(
          'service-check-duration',
          ctx.file,
          at,
          `Service ${check.kind} check has ${description} less than 1 second (${shown}); flyctl raises it to 1 second.`,
          `Set ${key} to 1s or more (an integer means milliseconds).`,
        ),
      ];
    }
    return [];
  });
}

export function checkRules(ctx: RuleContext): Finding[] {
  const out = ctx.model.services.flatMap((service) => service.checks.flatMap((check) => durationFindings(check, ctx)));
  for (const check of ctx.model.checks) {
    const name = check.name || '(unnamed)';
    if (check.type !== 'http' && check.type !== 'tcp') {
      out.push(
        finding(
          'check-type-invalid',
          ctx.file,
          ctx.at(check.type === undefined ? check.path : [...check.path, 'type']),
          `Check '${name}': missing or invalid check type, must be 'http' or 'tcp'.`,
          "Add type = 'http' (with path) or type = 'tcp'.",
        ),
      );
    }
    const interval = durationMs(check.interval);
    if (interval !== null && interval < 2000) {
      out.push(
        finding(
          'check-interval-too-short',
          ctx.file,
          ctx.at([...check.path, 'interval']),
          `Check '${name}' interval is too short: ${formatDuration(interval)}, minimum is 2 seconds.`,
          "Set interval to 2s or more (e.g. '15s').",
        ),
      );
    }
    const timeout = durationMs(check.timeout);
    if (timeout !== null && timeout > MINUTE) {
      out.push(
        finding(
          'check-timeout-too-long',
          ctx.file,
          ctx.at([...check.path, 'timeout']),
          `Check '${name}' timeout is too long: ${formatDuration(timeout)}, maximum is 60 seconds.`,
          'Set timeout to 60s or less; a check that needs longer should answer before the work is done.',
        ),
      );
    }
  }
  return out;
}

export function serviceRules(ctx: RuleContext): Finding[] {
  const { model, file, at } = ctx;
  const out: Finding[] = [];
  if (model.vms.some(isGpuVm)) {
    for (const service of model.services.filter((s) => s.autoStop === 'suspend')) {
      out.push(
        finding(
          'suspend-with-gpu',
          file,
          at([...service.path, 'auto_stop_machines']),
          'auto_stop_machines = "suspend" with a GPU: a GPU Machine cannot be suspended.',
          "Use auto_stop_machines = 'stop'.",
        ),
      );
    }
  }
  for (const entry of model.env.filter((e) => e.name.toUpperCase().startsWith('FLY_'))) {
    out.push(
      finding(
        'env-fly-prefix',
        file,
        at(entry.path),
        `[env] ${entry.name}: names starting with FLY_ are reserved for the platform.`,
        `Rename it (e.g. APP_${entry.name.slice(4)}) and read the new name in the application.`,
      ),
    );
  }
  const seconds = killTimeoutSeconds(model.killTimeout);
  if (seconds !== null && seconds > KILL_TIMEOUT_MAX_S) {
    out.push(
      finding(
        'kill-timeout-too-long',
        file,
        at(['kill_timeout']),
        `kill_timeout is ${seconds} s; Fly allows at most ${KILL_TIMEOUT_MAX_S} s.`,
        `Set kill_timeout = ${KILL_TIMEOUT_MAX_S} or less, and checkpoint more often.`,
      ),
    );
  }
  return [...out, ...deployRules(ctx)];
}

function deployRules({ model, file, at }: RuleContext): Finding[] {
  const strategy = model.strategy;
  if (strategy === undefined || strategy === '') return [];
  const where = at(['deploy', 'strategy']);
  if (!(STRATEGIES as readonly string[]).includes(strategy)) {
    return [
      finding(
        'deploy-strategy-unknown',
        file,
        where,
        `unsupported deployment strategy '${strategy}'; Apps v2 supports the following strategies: ${STRATEGIES.join(', ')}.`,
        "Use 'rolling' (the default), 'immediate', 'canary' or 'bluegreen'.",
      ),
    ];
  }
  const volumes = model.mounts.length > 0;
  const out: Finding[] = [];
  if (strategy === 'canary' && volumes) {
    out.push(
      finding(
        'canary-with-volumes',
        file,
        where,
        'The canary deployment strategy is not supported when using mounted volumes.',
        "Use strategy = 'rolling' with [[mounts]].",
      ),
    );
  }
  if (strategy === 'bluegreen' && volumes) {
    out.push(
      finding(
        'bluegreen-with-volumes',
        file,
        where,
        'The bluegreen deployment strategy does not work with volumes: the green machines cannot attach the blue ones\u2019 volumes.',
        "Use strategy = 'rolling' with [[mounts]].",
      ),
    );
  }
  const checks = model.checks.length + model.services.reduce((n, s) => n + s.checks.length, 0);
  if (strategy === 'bluegreen' && checks === 0) {
    out.push(
      finding(
        'bluegreen-without-checks',
        file,
        where,
        'The bluegreen deployment strategy needs at least one health check to decide when the green machines are ready.',
        "Add [[http_service.checks]] (e.g. path = '/health') or a top-level [checks] entry.",
      ),
    );
  }
  return out;
}
