/**
 * Runs `flyctl deploy`, turning its streamed output into phases (each begin and end handed to `onPhase`,
 * which the command shows on a spinner), keeping every line for the log file, and handing each to `onLine`.
 */
import type { Ctx } from '../context.js';
import { InterruptedError, isGpuctlError, type GpuctlError } from '../errors.js';
import { deployArgs, type DeployInput } from '../flyio/args.js';
import type { FlyClient } from '../flyio/client.js';
import type { Clock } from '../shared/clock.js';
import { advance, imageOfLine, interruptedNote, PHASE_LABEL, PHASE_ORDER, type Phase } from './phases.js';
import type { PhaseEvent } from './progress.js';

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
    /** Each phase as it begins and ends, for the command to show. */
    onPhase?: ((event: PhaseEvent) => void) | undefined;
  },
): Promise<StreamedDeploy> {
  const started = ctx.clock.monotonic();
  let phase = 'preparing' as Phase;
  let phaseStarted = started;
  let image: string | undefined;
  const label = options.label ?? '';
  const show = (event: PhaseEvent) => options.onPhase?.(event);
  show({ kind: 'begin', label, phase });
  const elapsed = () => ctx.clock.monotonic() - phaseStarted;
  options.log.push(`$ ${fly.show(deployArgs(input))}`);
  const handle = (line: string) => {
    options.log.push(line);
    options.onLine?.(line);
    image = imageOfLine(line) ?? image;
    const next = advance(phase, line);
    if (next === phase) return;
    const built = (phase === 'building' || phase === 'pushing') && image && PHASE_ORDER.indexOf(next) > PHASE_ORDER.indexOf('pushing');
    show({ kind: 'end', label, phase, outcome: 'done', elapsedMs: elapsed(), image: built ? image : undefined });
    phase = next;
    phaseStarted = ctx.clock.monotonic();
    show({ kind: 'begin', label, phase });
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
    show({ kind: 'end', label, phase, outcome: phase === 'done' ? 'quiet' : 'done', elapsedMs: elapsed() });
    return { error: undefined, phase, image, durationMs: ctx.clock.monotonic() - started };
  } catch (error) {
    // Ctrl-C is not a failed phase: the step ends without '✗ Verifying app config failed' above 'Interrupted during …'.
    show({ kind: 'end', label, phase, outcome: error instanceof InterruptedError ? 'quiet' : 'failed', elapsedMs: elapsed() });
    if (error instanceof InterruptedError) {
      throw new InterruptedError(
        `Interrupted during \`flyctl deploy\` (${PHASE_LABEL[phase].doing.toLowerCase()}). ${interruptedNote(phase, input.app, options.previousVersion)}`,
      );
    }
    if (!isGpuctlError(error)) throw error;
    return { error, phase, image, durationMs: ctx.clock.monotonic() - started };
  }
}
