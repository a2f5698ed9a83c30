/**
 * smoke's build step: the engine's build, its progress, and Ctrl-C during it, where podman needs care (below).
 */
import type { Ctx } from '../context.js';
import { InterruptedError } from '../errors.js';
import { buildContainersSince, EngineInterrupted, PS_BUILD_CONTAINERS, type Engine } from './engine.js';
import type { ProbeDeps } from './probe.js';

const BUILD_TIMEOUT_MS = 60 * 60_000;

/** The phase a build output line starts ("[runtime 3/9] RUN apt-get …"), podman's or BuildKit's; null for other lines. Pure. */
export function buildPhase(line: string): string | null {
  const podman = /^(?:\[(\S+)\] )?STEP (\d+\/\d+): (.*)$/.exec(line);
  const docker = /^#\d+ \[([^\]]+)\] (.*)$/.exec(line);
  const phase = podman ? `${podman[1] ? `[${podman[1]}] ` : ''}${podman[2]} ${podman[3]}` : docker ? `[${docker[1]}] ${docker[2]}` : null;
  return phase && phase.length > 72 ? `${phase.slice(0, 71)}…` : phase;
}

/**
 * podman leaves a build's working containers in its storage when it is ended by a signal (podman-build(1), "NOTE";
 * seen here: 28 after Ctrl-C in the multi-stage GPU layout), and nothing marks them as this build's. So on Ctrl-C
 * smoke ends only the build's running RUN step (and each one after it as it starts): the build then fails, and
 * podman removes its containers itself (--force-rm). Only when it has not stopped within this time is it ended.
 */
const PODMAN_STOP_GRACE_MS = 30_000;
const PODMAN_PS = '`podman ps --all --external` lists them (STATUS "Storage"), `podman rm --force ID` removes one';
export const PODMAN_STOPPING = `Stopping the build: podman ends its running step and removes its build containers itself (up to ${PODMAN_STOP_GRACE_MS / 1000} s; Ctrl-C again quits at once, which leaves them: ${PODMAN_PS}).`;
const ENDED = `podman did not stop by itself within ${PODMAN_STOP_GRACE_MS / 1000} s and was ended`;

/** The hint after podman was ended: the build containers made while smoke built (null: podman could not say), named. Pure. */
export function podmanLeftovers(ids: readonly string[] | null): string | undefined {
  if (ids === null) return `${ENDED}, which may leave the build's containers in its storage: ${PODMAN_PS}.`;
  if (ids.length === 0) return undefined;
  return `${ENDED}, leaving the build's containers in its storage: ${ids.length} made while smoke built (another build running then would own some of them): \`podman rm --force ${ids.join(' ')}\` removes them.`;
}

/**
 * `engine build` with ARGS: each output line goes to LOG, and its phase to the progress; on Ctrl-C podman is left to
 * stop by itself (above), which the user is told at once. A non-zero exit is a result; Ctrl-C, a timeout, throw.
 */
export async function runBuild(
  ctx: Ctx,
  engine: Engine,
  args: readonly string[],
  // run.ts's SmokeDeps has both; named here so that build.ts does not import run.ts, which imports it (a cycle).
  deps: Pick<ProbeDeps, 'progress'> & { notice(text: string): void },
  log: string[],
) {
  const onLine = (line: string) => {
    log.push(line);
    const phase = buildPhase(line);
    if (phase) deps.progress(`Building: ${phase}`, true);
  };
  const podman = engine.name === 'podman';
  const stopping = () => deps.notice(PODMAN_STOPPING);
  if (podman) ctx.signal.addEventListener('abort', stopping, { once: true });
  const sinceS = Math.floor(ctx.clock.present().getTime() / 1000);
  try {
    return await engine.run(args, { timeoutMs: BUILD_TIMEOUT_MS, onLine, ...(podman ? { abortGraceMs: PODMAN_STOP_GRACE_MS } : {}) });
  } catch (error) {
    if (!podman || !(error instanceof EngineInterrupted) || error.cleanedUp) throw error;
    const own = new AbortController().signal; // Ctrl-C's is spent
    const ps = await engine.run(PS_BUILD_CONTAINERS, { timeoutMs: 30_000, signal: own }).catch(() => null);
    const hint = podmanLeftovers(ps?.exitCode === 0 ? buildContainersSince(ps.stdout, sinceS) : null);
    throw new InterruptedError(error.message, hint ? { hint } : undefined);
  } finally {
    ctx.signal.removeEventListener('abort', stopping);
  }
}
