/**
 * The full log of a deploy or a smoke run, kept for after the spinner is gone: under XDG_STATE_HOME (or
 * ~/.local/state) in gpuctl/logs as `<kind>-<app>-<UTC time>.log`, redacted, written atomically (temp file + rename).
 * The one naming rule for both (deploy and smoke each had one).
 */
import { dirname, join } from 'node:path';
import type { Env } from '../context.js';
import { writeFileAtomic } from './atomic-write.js';
import { makeDirs } from './make-dirs.js';
import { gpuctlDir } from './paths.js';

export function logDir(env: Env): string {
  return gpuctlDir(env, 'state', 'logs');
}

/** An app name as part of a file or container name: lower case, a-z 0-9 and '-', at most 40 characters, never empty. */
export function namePart(text: string): string {
  const part = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return part || 'app';
}

/** e.g. ~/.local/state/gpuctl/logs/deploy-quant-signals-2026-12-05T03-11-53-000Z.log */
export function logPath(env: Env, kind: 'deploy' | 'smoke', app: string, at: Date): string {
  return join(logDir(env), `${kind}-${namePart(app)}-${at.toISOString().replace(/[:.]/g, '-')}.log`);
}

export async function writeLog(path: string, lines: readonly string[], redact: (text: string) => string): Promise<void> {
  makeDirs(dirname(path)); // not mkdir -p: it never returns under /proc
  writeFileAtomic(path, redact(`${lines.join('\n')}\n`), 0o600);
}
