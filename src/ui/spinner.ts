/**
 * Spinners belong to the CLI layer: ora on an interactive terminal, plain lines on stderr elsewhere
 * (CI logs keep the outcome of each step), nothing at all with --json.
 */
import type { Clock } from '../shared/clock.js';
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
 * Plain lines: the outcome of each step, and while a step runs, its latest text every PROGRESS_EVERY_MS
 * ("… waiting for v3: 1/2 started (30 s)"): an update prints when that long has passed since the last
 * line, and a timer prints when the step is silent, so a CI log never goes quiet for longer. The outcome
 * (or stop) ends the timer.
 */
export function createLineSpinner(stderr: Writer, initial: string, mode: 'lines' | 'silent', clock: Clock): Spinner {
  let text = initial;
  const started = clock.monotonic();
  let lastLine = started;
  let cancel: (() => void) | undefined;
  const write = (mark: string, t?: string) => {
    if (mode === 'lines') stderr.write(`${mark} ${t ?? text}\n`);
  };
  const progress = () => {
    lastLine = clock.monotonic();
    write('…', `${text} (${Math.round((lastLine - started) / 1000)} s)`);
    arm();
  };
  function arm(): void {
    cancel?.();
    cancel = clock.after(PROGRESS_EVERY_MS, progress);
  }
  const end = (mark: string, t?: string) => {
    cancel?.();
    cancel = undefined;
    if (mark) write(mark, t);
  };
  if (mode === 'lines') arm();
  return {
    update: (next) => {
      text = next;
      if (cancel && clock.monotonic() - lastLine >= PROGRESS_EVERY_MS) progress();
    },
    succeed: (t) => end('✓', t),
    fail: (t) => end('✗', t),
    warn: (t) => end('!', t),
    stop: () => end(''),
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

export type SpinnerEnd = 'succeed' | 'fail' | 'warn' | 'stop';

/**
 * One step at a time on a spinner, for a command that shows a feature's progress events: `begin` starts one
 * (quietly stopping one still running), `update` changes its text, `end` closes it with its outcome line
 * (`stop`: no line). With nothing begun, `update` and `end` do nothing, so a command can `end('stop')` in a
 * `finally` and no spinner outlives it.
 */
export function spinnerSlot(ctx: { spinner(text: string): Spinner }) {
  let current: Spinner | undefined;
  return {
    begin(text: string): void {
      current?.stop();
      current = ctx.spinner(text);
    },
    update(text: string): void {
      current?.update(text);
    },
    end(how: SpinnerEnd, text?: string): void {
      const spinner = current;
      current = undefined;
      if (how === 'stop') spinner?.stop();
      else spinner?.[how](text);
    },
  };
}
