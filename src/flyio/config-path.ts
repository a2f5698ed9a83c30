/** `-c/--config`, as flyctl reads it: a fly.toml path, or a directory holding one. */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function resolveFlyToml(cwd: string, config: string): string {
  const path = resolve(cwd, config);
  try {
    return statSync(path).isDirectory() ? join(path, 'fly.toml') : path;
  } catch {
    return path;
  }
}
