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

export function createLineSpinner(stderr: Writer, initial: string, mode: 'lines' | 'silent'): Spinner {
  let text = initial;
  const line = (mark: string, t?: string) => {
    if (mode === 'lines') stderr.write(`${mark} ${t ?? text}\n`);
  };
  return {
    update: (next) => {
      text = next;
    },
    succeed: (t) => line('✓', t),
    fail: (t) => line('✗', t),
    warn: (t) => line('!', t),
    stop: () => undefined,
  };
}

/** ora, loaded only when a spinner is actually animated. */
export async function createOraSpinner(text: string, colour: boolean): Promise<Spinner> {
  const { default: ora } = await import('ora');
  const spinner = ora({ text, stream: process.stderr, color: colour ? 'cyan' : false, isEnabled: true }).start();
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
