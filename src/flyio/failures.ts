/**
 * What a flyctl failure means. flyctl prints `Error: <message>` and exits 1 for almost everything,
 * 126 when its own deadline expired and 127 when it was cancelled (facts §2.0, §2.12); the message
 * decides the rest. classifyFailure is pure; flyError turns an outcome into one typed error.
 */
import { InterruptedError, MissingError, ToolError, type GpuctlError } from '../errors.js';
import type { FlyctlOutcome } from './flyctl.js';
import { CPU_FALLBACK_SIZE, retirementMessage } from './gpu-kinds.js';
import { noSuchProgram, pointItAt } from '../shared/no-such-program.js';

export type FlyFailureReason =
  | 'not-logged-in'
  | 'unauthorized'
  | 'app-not-found'
  | 'gpu-rejected'
  | 'capacity'
  | 'unhealthy'
  | 'no-releases'
  | 'deadline'
  | 'interrupted'
  | 'unknown-flag'
  | 'other';

const PATTERNS: ReadonlyArray<readonly [FlyFailureReason, RegExp]> = [
  ['not-logged-in', /no access token available|not logged in|please login/i],
  ['unauthorized', /\bunauthori[sz]ed\b|\b401\b/i],
  ['app-not-found', /Could not find App|app not found/i],
  ['gpu-rejected', /GPU machines are no longer supported|gpu_kind and config\.guest\.gpus|enough trust to access GPU/i],
  ['capacity', /insufficient[_ ]capacity|insufficient (memory|cpu|cpus|resources)|could not reserve resource|choosing a different region/i],
  ['unhealthy', /timeout reached waiting for health checks|failed to wait for health checks|health checks? (did not|failed)/i],
  ['no-releases', /has no complete releases/i],
  ['deadline', /context deadline exceeded/i],
  ['interrupted', /context canceled/i],
  ['unknown-flag', /unknown (shorthand )?flag/i],
];

export function classifyFailure(exitCode: number, text: string): FlyFailureReason {
  if (exitCode === 126) return 'deadline';
  if (exitCode === 127) return 'interrupted';
  return PATTERNS.find(([, pattern]) => pattern.test(text))?.[0] ?? 'other';
}

/** A flyctl failure with its meaning attached, for code that wants to react to one kind. */
export class FlyError extends ToolError {
  constructor(
    message: string,
    readonly reason: FlyFailureReason,
    options: { hint?: string; cause?: unknown; timeout?: boolean; said?: string } = {},
  ) {
    super(message, 'flyctl', options.timeout ? 'tool_timeout' : 'tool_failed', options);
    this.name = 'FlyError';
    this.said = options.said;
  }

  /** flyctl's own error text (its `Error: ` line, without the prefix), where gpuctl's message rephrases it. */
  readonly said: string | undefined;
}

export interface FailureContext {
  /** How to name the command in messages, e.g. "flyctl status --json". */
  command: string;
  app?: string;
  /** What state the app may be in if this command is cut short (mutating commands). */
  stateNote?: string;
  /** The GPU kind the request carried (fly.toml's gpu_kind), named when Fly.io rejects it. */
  gpuKind?: string;
}

const LOGIN_HINT = 'Set FLY_API_TOKEN (e.g. `flyctl tokens create deploy -a <app>` in CI) or run `flyctl auth login`.';

function failedError(reason: FlyFailureReason, message: string, exitCode: number, context: FailureContext): GpuctlError {
  const app = context.app ? `"${context.app}"` : 'the app';
  const said = message ? `: ${message}` : '';
  switch (reason) {
    case 'not-logged-in':
      return new FlyError('flyctl is not logged in to Fly.io.', reason, { hint: LOGIN_HINT });
    case 'unauthorized':
      return new FlyError(`Fly.io refused the token${said}.`, reason, {
        hint: `The token may be expired or lack access to ${app}. ${LOGIN_HINT}`,
      });
    case 'app-not-found':
      return new FlyError(`The Fly app ${app} does not exist, or this token cannot see it.`, reason, {
        hint: 'Check the name (-a, FLY_APP, or `app` in fly.toml); `gpuctl deploy --create` creates it.',
      });
    case 'gpu-rejected':
      return new FlyError(`${retirementMessage(context.gpuKind)} flyctl said${said}.`, reason, {
        said: message,
        hint: `Use a CPU size instead, e.g. \`gpuctl scale vm ${CPU_FALLBACK_SIZE}\` or size = "${CPU_FALLBACK_SIZE}" in fly.toml's [[vm]].`,
      });
    case 'capacity':
      return new FlyError(`Fly.io has no capacity for this machine where it was asked for${said}.`, reason, {
        hint: 'Try another region (--region), a smaller size, or again later.',
      });
    case 'unhealthy':
      return new FlyError(`Machines of ${app} did not pass their health checks in time${said}.`, reason, {
        hint: 'Slow model loads: raise --wait-timeout, or make the health endpoint answer before the model has loaded.',
      });
    case 'no-releases':
      return new FlyError(`${app} has no complete release yet, so it cannot be scaled.`, reason, { hint: 'Run `gpuctl deploy` first.' });
    case 'deadline':
      return new FlyError(`\`${context.command}\` gave up: flyctl's own deadline expired (exit 126)${said}.`, reason, {
        timeout: true,
        hint: `${context.stateNote ? `${context.stateNote} ` : ''}Fly's API may be slow: check https://status.flyio.net and run it again.`,
      });
    case 'interrupted':
      return new InterruptedError(
        `\`${context.command}\` was interrupted (flyctl exit 127).${context.stateNote ? ` ${context.stateNote}` : ''}`,
      );
    case 'unknown-flag':
      return new FlyError(`This flyctl does not know a flag gpuctl passed${said}.`, reason, {
        hint: 'Update flyctl: `flyctl version upgrade`.',
      });
    case 'other':
      return new FlyError(`\`${context.command}\` failed (exit ${exitCode})${said || '.'}`, reason, {
        hint: `Run it yourself to see everything flyctl printed, or use gpuctl --verbose.`,
      });
  }
}

/** The error for any outcome that is not `ok`. */
export function flyError(outcome: Exclude<FlyctlOutcome, { kind: 'ok' }>, context: FailureContext): GpuctlError {
  switch (outcome.kind) {
    case 'missing':
      if (outcome.configured)
        return new MissingError(`${noSuchProgram('FLYCTL', outcome.configured)}.`, 'flyctl', {
          hint: pointItAt('FLYCTL', 'the flyctl binary', '`flyctl` or `fly`'),
        });
      return new MissingError('flyctl is not installed (neither `flyctl` nor `fly` is on PATH).', 'flyctl', {
        hint: 'Install it with `curl -L https://fly.io/install.sh | sh`, or set FLYCTL to its path.',
      });
    case 'timeout':
      return new FlyError(
        `\`${context.command}\` did not finish within ${Math.round(outcome.timeoutMs / 1000)} s and was stopped.`,
        'deadline',
        {
          timeout: true,
          hint: `${context.stateNote ? `${context.stateNote} ` : ''}Fly's API may be slow or unreachable: check https://status.flyio.net.`,
        },
      );
    case 'interrupted':
      return new InterruptedError(
        `Interrupted while \`${context.command}\` was running.${context.stateNote ? ` ${context.stateNote}` : ''}`,
      );
    case 'broken':
      return new FlyError(`\`${context.command}\` could not run: ${outcome.message}.`, 'other');
    case 'failed': {
      const reason = classifyFailure(outcome.exitCode, `${outcome.message}\n${outcome.stderr}`);
      return failedError(reason, outcome.message, outcome.exitCode, context);
    }
  }
}
