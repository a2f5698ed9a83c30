/**
 * Which container engines gpuctl knows and how it asks one whether it works: docker ($DOCKER, the tool to run
 * instead of the one on PATH), then podman; an engine works when `info` answers (docker's client alone answers
 * --version without a daemon). smoke runs with the first that works and doctor reports it: one rule for both.
 */
import type { Ctx } from '../context.js';

export const ENGINES = ['docker', 'podman'] as const;
export type EngineName = (typeof ENGINES)[number];

/** The program: $DOCKER for docker, else the name. */
export const engineFile = (ctx: Pick<Ctx, 'env'>, name: EngineName): string => (name === 'docker' ? ctx.env.DOCKER || name : name);

/** `<engine> info --format {{json .}}`: exit 0 when the engine works; the JSON names its version. */
export function engineInfo(ctx: Pick<Ctx, 'env' | 'exec'>, name: EngineName, timeoutMs: number, signal?: AbortSignal) {
  return ctx.exec({ file: engineFile(ctx, name), args: ['info', '--format', '{{json .}}'], timeoutMs, ...(signal ? { signal } : {}) });
}
