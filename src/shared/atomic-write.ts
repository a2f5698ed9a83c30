/**
 * The one way gpuctl replaces a file: the content goes to a temporary file in the same directory
 * (a random name, created exclusively, so two writers never share one), is flushed to disk, and is
 * renamed over the target. A reader, or a crash, sees the old file or the new one, never half of one;
 * a failure at any step removes the temporary file and leaves the target as it was.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The temporary name for `path`: hidden, beside it, random (never the process id: it repeats across writers). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes `content` to `path` atomically. With `mode`, the file gets exactly that mode (the umask has
 * no say); without it, a new file's default (0666 less the umask). The directory must exist.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode?: number): void {
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'wx', mode ?? 0o666);
  try {
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      writeAll(fd, typeof content === 'string' ? Buffer.from(content) : content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** writeSync may write less than asked (a full disk, a signal): the rest follows until all is written or it throws. */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) {
    const wrote = writeSync(fd, bytes, done, bytes.length - done);
    if (wrote === 0) throw new Error('write made no progress');
    done += wrote;
  }
}
