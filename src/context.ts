/**
 * The context every command runs with: the environment, output streams and styling, the process
 * runner, prompts and spinners. Commands receive it; tests build one with fakes (test/helpers).
 */
import type { Exec, ExecRequest, StreamHandle, StreamRequest } from './exec.js';
import type { Clock } from './shared/clock.js';
import type { Prompter } from './ui/prompt.js';
import type { Spinner } from './ui/spinner.js';
import type { Style } from './ui/style.js';
import type { Writer } from './shared/writer.js';
import type { Print } from './ui/output.js';

export type Env = Readonly<Record<string, string | undefined>>;

export type { Writer } from './shared/writer.js';

export interface Logger {
  /** Progress and notes for people, on stderr; silent with --json. */
  info(message: string): void;
  /** Something the user should know even with --json; on stderr. */
  warn(message: string): void;
  /** Only with --verbose. */
  debug(message: string): void;
}

export interface GlobalFlags {
  json: boolean;
  verbose: boolean;
  color: boolean;
}

/** Facts about the process gpuctl runs in (runtime.ts reads them; tests pin them). */
export interface HostFacts {
  nodeVersion: string;
  platform: string;
  arch: string;
  /** This process's id (the agent reports it when listening). */
  pid: number;
}

export interface Ctx {
  readonly env: Env;
  readonly cwd: string;
  readonly flags: GlobalFlags;
  /** True when a person can answer prompts: stdin and stdout are TTYs, not CI, not --json. */
  readonly interactive: boolean;
  readonly stdout: Writer;
  readonly stderr: Writer;
  readonly style: Style;
  readonly log: Logger;
  /**
   * Prints a command's result on stdout: with --json the value as the one JSON document
   * (ui/output.ts), otherwise what `render(result, style)` returns. The only way a command prints its result.
   */
  readonly print: Print;
  readonly signal: AbortSignal;
  exec(request: ExecRequest): Promise<Awaited<ReturnType<Exec>>>;
  /**
   * Starts a long-running tool that keeps printing (exec.ts `startStream`: its own process group, killed when
   * silent too long); each stdout line goes to `request.onLine`. The agent's nvidia-smi sampler (gpu/smi-probe.ts
   * `streamSmi`). Tests fake it.
   */
  stream(request: StreamRequest): Promise<StreamHandle>;
  spinner(text: string): Spinner;
  readonly prompt: Prompter;
  /** Replaces every secret known to this process (Fly tokens) with a marker. */
  redact(text: string): string;
  /** The one clock: wall and monotonic time, sleeps, timers (shared/clock.ts; a fake in unit tests). */
  readonly clock: Clock;
  readonly host: HostFacts;
}

const SECRET_ENV = ['FLY_API_TOKEN', 'FLY_ACCESS_TOKEN', 'FLY_AUTH_TOKEN', 'GPUCTL_PROMETHEUS_TOKEN', 'GPUCTL_AGENT_TOKEN'] as const;

export function secretsFrom(env: Env): string[] {
  const values: string[] = [];
  for (const name of SECRET_ENV) {
    const value = env[name]?.trim();
    if (!value || value.length < 8) continue;
    values.push(value);
    // flyctl tokens are often comma-separated macaroons ("FlyV1 fm2_…,fm2_…"); hide each part too.
    for (const part of value.replace(/^FlyV1\s+/, '').split(',')) if (part.length >= 8) values.push(part);
  }
  return values.sort((a, b) => b.length - a.length);
}

export function makeRedactor(secrets: readonly string[]): (text: string) => string {
  if (secrets.length === 0) return (text) => text;
  // Both the raw token and its JSON-escaped form: a token holding " or \ appears escaped in --json output.
  const forms = [...new Set(secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => forms.reduce((out, secret) => out.split(secret).join('[REDACTED]'), text);
}

export function isCI(env: Env): boolean {
  const ci = env.CI?.toLowerCase();
  return (ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false') || env.GITHUB_ACTIONS === 'true';
}

export function colorEnabled(env: Env, flags: { json: boolean; color: boolean }, isTTY: boolean): boolean {
  if (flags.json || !flags.color) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY && env.TERM !== 'dumb';
}
