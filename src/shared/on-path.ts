/**
 * Whether a program name would be found on PATH, without starting anything: lets the exec adapter answer
 * "not found" for a missing tool (nvidia-smi on a machine without a GPU) without loading execa, which
 * costs more start-up time than the rest of `gpuctl detect` (README, "Performance").
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** False only when `file` is a bare name and no PATH entry holds an executable file of that name; a path is left to the spawn. */
export function mayBeOnPath(file: string, path: string | undefined, cwd: string, platform: string): boolean {
  if (platform === 'win32' || file.includes('/') || isAbsolute(file)) return true;
  // An empty entry is the working directory, as execvp reads it.
  for (const dir of (path ?? '').split(delimiter)) {
    const candidate = resolve(cwd, join(dir === '' ? '.' : dir, file));
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}
