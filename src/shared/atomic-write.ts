/**
 * The one way gpuctl replaces a file: the content goes to a temporary file in the same directory
 * (a random name, created exclusively, so two writers never share one), is flushed to disk, and is
 * renamed over the target. A reader, or a crash, sees the old file or the new one, never half of one;
 * a failure at any step removes the temporary file and leaves the target as it was.
 * Only a regular file (or nothing) is ever replaced: a symlink is written through to its target, a
 * character device (/dev/null, a terminal) is written directly, and anything else (a FIFO, a socket,
 * a directory, a block device) is refused before anything is written.
 */
import type * as Crypto from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { describeKind } from './regular-file.js';

const builtin = createRequire(import.meta.url);

/**
 * The temporary name for `path`: hidden, beside it, random (never the process id: it repeats across writers).
 * node:crypto is loaded here, when a file is written, not at import: `validate` imports this module (through the
 * region cache) but never writes, and loading crypto costs ~10 ms of its start-up (issue 19 item 11).
 */
export function tempPathFor(path: string): string {
  const { randomBytes } = builtin('node:crypto') as typeof Crypto;
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * What writing `path` means: 'absent' (a new file), 'file' (a regular file, through any symlinks, replaced)
 * or 'device' (a character device, written directly). Anything else is a usage error naming what it is.
 */
export function writeTarget(path: string): 'absent' | 'file' | 'device' {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 'absent';
  if (stat.isFile()) return 'file';
  if (stat.isCharacterDevice()) return 'device';
  throw new UsageError(`${path} is ${describeKind(stat)}; gpuctl replaces only regular files.`, {
    hint: 'Name a regular file (or a new one), or a character device such as /dev/null.',
  });
}

/**
 * Writes `content` to `path` atomically. With `mode`, the file gets exactly that mode (the umask has
 * no say); without it, a new file's default (0666 less the umask). The directory must exist.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode?: number): void {
  const kind = writeTarget(path);
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  if (kind === 'device') return writeDevice(path, bytes);
  // Through a symlink to the file it names: the link stays, the file is replaced.
  const target = kind === 'file' ? realpathSync(path) : path;
  const temp = tempPathFor(target);
  const fd = openSync(temp, 'wx', mode ?? 0o666);
  try {
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      writeAll(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** A character device is what the user means to write to (`--out /dev/null`): opened for writing, never replaced. */
function writeDevice(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    writeAll(fd, bytes);
  } finally {
    closeSync(fd);
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
