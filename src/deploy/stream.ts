/**
 * Runs `flyctl deploy`, turning its streamed output into phases on a spinner (one line per finished
 * phase in CI logs), keeping every line for the log file, and echoing them with --verbose.
 */
import type { Ctx } from '../context.js';
import { InterruptedError, isGpuctlError, type GpuctlError } from '../errors.js';
import { deployArgs, type DeployInput } from '../flyio/args.js';
import type { FlyClient } from '../flyio/client.js';
import { formatDuration } from '../flyio/duration.js';
import type { Spinner } from '../ui/spinner.js';
import { advance, imageOfLine, interruptedNote, PHASE_LABEL, PHASE_ORDER, type Phase } from './phases.js';

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
  options: { timeoutMs: number; log: string[]; previousVersion: number | undefined; label?: string },
): Promise<StreamedDeploy> {
  const started = performance.now();
  let phase = 'preparing' as Phase;
  let phaseStarted = started;
  let image: string | undefined;
  let spinner: Spinner = ctx.spinner(`${options.label ?? ''}${PHASE_LABEL.preparing.doing}`);
  const elapsed = () => formatDuration(performance.now() - phaseStarted);
  options.log.push(`$ ${fly.show(deployArgs(input))}`);
  const onLine = (line: string) => {
    options.log.push(line);
    if (ctx.flags.verbose) ctx.stderr.write(`  ${ctx.style.dim(line)}\n`);
    image = imageOfLine(line) ?? image;
    const next = advance(phase, line);
    if (next === phase) return;
    const built = (phase === 'building' || phase === 'pushing') && image && PHASE_ORDER.indexOf(next) > PHASE_ORDER.indexOf('pushing');
    spinner.succeed(`${options.label ?? ''}${PHASE_LABEL[phase].done}${built ? ` ${image}` : ''} (${elapsed()})`);
    phase = next;
    phaseStarted = performance.now();
    spinner = ctx.spinner(`${options.label ?? ''}${PHASE_LABEL[phase].doing}`);
  };
  try {
    await fly.deploy(input, { timeoutMs: options.timeoutMs, onLine, stateNote: interruptedNote('releasing', input.app, options.previousVersion) });
    if (phase === 'done') spinner.stop();
    else spinner.succeed(`${options.label ?? ''}${PHASE_LABEL[phase].done} (${elapsed()})`);
    return { error: undefined, phase, image, durationMs: performance.now() - started };
  } catch (error) {
    spinner.fail(`${options.label ?? ''}${PHASE_LABEL[phase].doing} failed (${elapsed()})`);
    if (error instanceof InterruptedError) {
      throw new InterruptedError(`Interrupted during \`flyctl deploy\` (${PHASE_LABEL[phase].doing.toLowerCase()}). ${interruptedNote(phase, input.app, options.previousVersion)}`);
    }
    if (!isGpuctlError(error)) throw error;
    return { error, phase, image, durationMs: performance.now() - started };
  }
}
