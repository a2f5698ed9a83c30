/**
 * The one way gpuctl reads a file someone else put there (fly.toml, a Dockerfile, a policy, a baseline,
 * the autoscale state, caches): only a regular file is read. The file is opened without blocking
 * (O_NONBLOCK: opening a FIFO with no writer would otherwise park a libuv thread for good, so not even
 * SIGTERM could end gpuctl), checked on the open descriptor (fstat: no race with a swap), and only then
 * read. A FIFO, socket, device or directory is a usage error naming what it is.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { UsageError } from '../errors.js';

const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/** What a file that is not a regular one is, for messages ("a FIFO (named pipe)"). */
export function describeKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isCharacterDevice()) return 'a character device';
  return 'not a regular file';
}

export class NotRegularFileError extends UsageError {
  constructor(path: string, stat: Stats) {
    super(`${path} is ${describeKind(stat)}, not a regular file; gpuctl reads only regular files.`);
  }
}

/** The file's bytes. Errors: NotRegularFileError, or the errno error from open/read (ENOENT, EACCES…) as it is. */
export async function readRegularFile(path: string): Promise<Buffer>;
export async function readRegularFile(path: string, encoding: 'utf8'): Promise<string>;
export async function readRegularFile(path: string, encoding?: 'utf8'): Promise<Buffer | string> {
  const handle = await open(path, FLAGS);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new NotRegularFileError(path, stat);
    return encoding ? await handle.readFile(encoding) : await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** readRegularFile, synchronously (for callers that are synchronous throughout). */
export function readRegularFileSync(path: string): Buffer;
export function readRegularFileSync(path: string, encoding: 'utf8'): string;
export function readRegularFileSync(path: string, encoding?: 'utf8'): Buffer | string {
  const fd = openSync(path, FLAGS);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotRegularFileError(path, stat);
    return encoding ? readFileSync(fd, encoding) : readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends to a regular file (created when missing), never blocking: GITHUB_STEP_SUMMARY naming a FIFO
 * would otherwise park a thread in open() until a reader came. Anything but a regular file is refused.
 */
export async function appendRegularFile(path: string, text: string): Promise<void> {
  const notRegular = (stat: Stats) =>
    new UsageError(`${path} is ${describeKind(stat)}, not a regular file; gpuctl appends only to regular files.`);
  const handle = await open(
    path,
    constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK | constants.O_NOCTTY,
    0o666,
  ).catch(async (error: NodeJS.ErrnoException) => {
    // ENXIO: a FIFO (or a socket, a device) with no reader. Say what it is.
    if (error.code === 'ENXIO') throw notRegular(await stat(path));
    throw error;
  });
  try {
    const found = await handle.stat();
    if (!found.isFile()) throw notRegular(found);
    await handle.appendFile(text);
  } finally {
    await handle.close();
  }
}
