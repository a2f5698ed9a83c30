/**
 * Runs `flyctl deploy`, turning its streamed output into phases on a spinner (one line per finished
 * phase in CI logs), keeping every line for the log file, and handing each to `onLine`.
 */
import type { Ctx } from '../context.js';
import { InterruptedError, isGpuctlError, type GpuctlError } from '../errors.js';
import { deployArgs, type DeployInput } from '../flyio/args.js';
import type { FlyClient } from '../flyio/client.js';
import type { Clock } from '../shared/clock.js';
import { formatDuration } from '../shared/duration.js';
import type { Spinner } from '../ui/spinner.js';
import { advance, imageOfLine, interruptedNote, PHASE_LABEL, PHASE_ORDER, type Phase } from './phases.js';

/**
 * flyctl prints the build on stderr and the release on stdout; lines that arrive together from the
 * two pipes can be read in either order. Lines are held for 50 ms and, within that window, stderr
 * lines go first, so a quick build is not reported after the release it precedes.
 */
export function reorderByStream(emit: (line: string) => void, clock: Clock, windowMs = 50) {
  let held: Array<{ line: string; stream: 'stdout' | 'stderr' }> = [];
  let cancel: (() => void) | undefined;
  const flush = () => {
    cancel?.();
    cancel = undefined;
    const batch = held;
    held = [];
    for (const entry of [...batch.filter((e) => e.stream === 'stderr'), ...batch.filter((e) => e.stream === 'stdout')]) emit(entry.line);
  };
  return {
    push: (line: string, stream: 'stdout' | 'stderr') => {
      held.push({ line, stream });
      cancel ??= clock.after(windowMs, flush);
    },
    flush,
  };
}

export interface StreamedDeploy {
  error: GpuctlError | undefined;
  phase: Phase;
  image: string | undefined;
  durationMs: number;
}

export async function streamDeploy(
  ctx: Ctx,
  fly: FlyClient,
  input: DeployInput,
  options: {
    timeoutMs: number;
    log: string[];
    previousVersion: number | undefined;
    label?: string;
    gpuKind?: string;
    /** Each line flyctl prints, for the command to echo (with --verbose). */
    onLine?: ((line: string) => void) | undefined;
  },
): Promise<StreamedDeploy> {
  const started = ctx.clock.monotonic();
  let phase = 'preparing' as Phase;
  let phaseStarted = started;
  let image: string | undefined;
  let spinner: Spinner = ctx.spinner(`${options.label ?? ''}${PHASE_LABEL.preparing.doing}`);
  const elapsed = () => formatDuration(ctx.clock.monotonic() - phaseStarted);
  options.log.push(`$ ${fly.show(deployArgs(input))}`);
  const handle = (line: string) => {
    options.log.push(line);
    options.onLine?.(line);
    image = imageOfLine(line) ?? image;
    const next = advance(phase, line);
    if (next === phase) return;
    const built = (phase === 'building' || phase === 'pushing') && image && PHASE_ORDER.indexOf(next) > PHASE_ORDER.indexOf('pushing');
    spinner.succeed(`${options.label ?? ''}${PHASE_LABEL[phase].done}${built ? ` ${image}` : ''} (${elapsed()})`);
    phase = next;
    phaseStarted = ctx.clock.monotonic();
    spinner = ctx.spinner(`${options.label ?? ''}${PHASE_LABEL[phase].doing}`);
  };
  const lines = reorderByStream(handle, ctx.clock);
  try {
    await fly
      .deploy(input, {
        timeoutMs: options.timeoutMs,
        onLine: lines.push,
        stateNote: interruptedNote('releasing', input.app, options.previousVersion),
        gpuKind: options.gpuKind,
      })
      .finally(lines.flush);
    if (phase === 'done') spinner.stop();
    else spinner.succeed(`${options.label ?? ''}${PHASE_LABEL[phase].done} (${elapsed()})`);
    return { error: undefined, phase, image, durationMs: ctx.clock.monotonic() - started };
  } catch (error) {
    spinner.fail(`${options.label ?? ''}${PHASE_LABEL[phase].doing} failed (${elapsed()})`);
    if (error instanceof InterruptedError) {
      throw new InterruptedError(
        `Interrupted during \`flyctl deploy\` (${PHASE_LABEL[phase].doing.toLowerCase()}). ${interruptedNote(phase, input.app, options.previousVersion)}`,
      );
    }
    if (!isGpuctlError(error)) throw error;
    return { error, phase, image, durationMs: ctx.clock.monotonic() - started };
  }
}
