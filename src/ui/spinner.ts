/**
 * Spinners belong to the CLI layer: ora on an interactive terminal, plain lines on stderr elsewhere
 * (CI logs keep the outcome of each step), nothing at all with --json.
 */
import type { Writer } from '../shared/writer.js';

export interface Spinner {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  warn(text?: string): void;
  stop(): void;
}

export type SpinnerMode = 'animated' | 'lines' | 'silent';

export function spinnerMode(opts: { json: boolean; stderrTTY: boolean; ci: boolean }): SpinnerMode {
  if (opts.json) return 'silent';
  return opts.stderrTTY && !opts.ci ? 'animated' : 'lines';
}

/** Without a terminal (CI), a long step still says where it is at least this often. */
export const PROGRESS_EVERY_MS = 30_000;

/**
 * Plain lines: the outcome of each step, and while a step runs, its latest text at most every
 * PROGRESS_EVERY_MS ("… waiting for v3: 1/2 started (30 s)"), so a CI log never goes silent for minutes.
 */
export function createLineSpinner(
  stderr: Writer,
  initial: string,
  mode: 'lines' | 'silent',
  now: () => number = () => performance.now(),
): Spinner {
  let text = initial;
  const started = now();
  let lastLine = started;
  const line = (mark: string, t?: string) => {
    if (mode === 'lines') stderr.write(`${mark} ${t ?? text}\n`);
  };
  return {
    update: (next) => {
      text = next;
      const at = now();
      if (at - lastLine < PROGRESS_EVERY_MS) return;
      lastLine = at;
      line('…', `${text} (${Math.round((at - started) / 1000)} s)`);
    },
    succeed: (t) => line('✓', t),
    fail: (t) => line('✗', t),
    warn: (t) => line('!', t),
    stop: () => undefined,
  };
}

/** ora, loaded only when a spinner is actually animated, on the terminal stream the context hands in. */
export async function createOraSpinner(text: string, colour: boolean, stream: NodeJS.WritableStream): Promise<Spinner> {
  const { default: ora } = await import('ora');
  const spinner = ora({ text, stream, color: colour ? 'cyan' : false, isEnabled: true }).start();
  return {
    update: (next) => {
      spinner.text = next;
    },
    succeed: (t) => spinner.succeed(t),
    fail: (t) => spinner.fail(t),
    warn: (t) => spinner.warn(t),
    stop: () => spinner.stop(),
  };
}
