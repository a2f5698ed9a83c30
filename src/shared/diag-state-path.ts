/**
 * Where the last `gpuctl diag` verdict lives, for diag (which writes it, diag/state.ts) and the agent (which reads it,
 * agent/diag-state.ts): $GPUCTL_DIAG_STATE, else `${XDG_STATE_HOME:-<home>/.local/state}/gpuctl/diag-last.json`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../context.js';
import { xdgHome } from './paths.js';

/**
 * `home` is $HOME, else the OS's home directory: an agent started by a unit without HOME finds what diag wrote.
 * Undefined with no home (HOME set but empty, and no XDG_STATE_HOME): a relative `.local/state/...` would land in the
 * working directory.
 */
export function diagStatePath(env: Env, home: string = env.HOME ?? homedir()): string | undefined {
  if (env.GPUCTL_DIAG_STATE) return env.GPUCTL_DIAG_STATE;
  const base = xdgHome(env, 'state', home || undefined);
  return base === undefined ? undefined : join(base, 'gpuctl', 'diag-last.json');
}
