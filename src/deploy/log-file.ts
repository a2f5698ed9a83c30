/**
 * The full flyctl deploy log, kept for after the spinner is gone: under XDG_STATE_HOME (or
 * ~/.local/state) in gpuctl/logs, redacted, written atomically (temp file + rename).
 */
import { dirname, join } from 'node:path';
import type { Env } from '../context.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { makeDirs } from '../shared/make-dirs.js';
import { gpuctlDir } from '../shared/paths.js';

export function logDir(env: Env): string {
  return gpuctlDir(env, 'state', 'logs');
}

export function logPath(env: Env, app: string, at: Date): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  return join(logDir(env), `deploy-${app.replace(/[^\w.-]/g, '_')}-${stamp}.log`);
}

export async function writeLog(path: string, lines: readonly string[], redact: (text: string) => string): Promise<void> {
  makeDirs(dirname(path)); // not mkdir -p: it never returns under /proc
  writeFileAtomic(path, redact(`${lines.join('\n')}\n`), 0o600);
}
