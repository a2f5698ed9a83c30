/**
 * Writing, the only effect on the user's files: each file goes to a temporary file in the same
 * directory, is flushed, and is renamed over the target, so a reader (or a crash) sees the old file
 * or the new one, never half of one. A symlink is written through to its target; an existing file
 * keeps its permissions.
 */
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';
import { UsageError } from '../errors.js';
import { readFlyTomlSync, type ParsedFlyToml } from '../flyio/fly-toml.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { describeErrno, makeDirs } from '../shared/make-dirs.js';
import { readRegularFileSync } from '../shared/regular-file.js';

/**
 * The file's text (its bytes with `binary`), or null when it does not exist. Only a regular file is read
 * (a FIFO or a device would block or never end); anything else, or a file that cannot be read, is a clear usage error.
 */
export function readIfExists(path: string): string | null;
export function readIfExists(path: string, binary: 'binary'): Buffer | null;
export function readIfExists(path: string, binary?: 'binary'): string | Buffer | null {
  try {
    return binary ? readRegularFileSync(path) : readRegularFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new UsageError(`Cannot read ${path}: ${describeErrno(error)}.`, { cause: error });
  }
}

/**
 * An existing fly.toml's text, read by the one reader (flyio/fly-toml.ts: strict UTF-8), or null when there is
 * none. Bytes that are not UTF-8 are bad input, said as validate and deploy say it (`fly.toml:4:14: Not UTF-8: …`):
 * read lossily, init would merge into, and with --force write back, a text whose bytes it had replaced. Text that
 * is not TOML is returned: the merge then proposes the whole file (a conflict, with the reason).
 */
export function readFlyTomlIfExists(path: string, shown: string): string | null {
  let parsed: ParsedFlyToml;
  try {
    parsed = readFlyTomlSync(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new UsageError(`Cannot read ${path}: ${describeErrno(error)}.`, { cause: error });
  }
  if (parsed.ok) return parsed.text;
  if (parsed.text !== undefined) return parsed.text;
  const { line, column, message } = parsed.problem;
  throw new UsageError(`${shown}:${line}:${column}: ${message}; gpuctl init changed nothing.`, {
    hint: 'Save it as UTF-8 (flyctl cannot read it either), then run gpuctl init again; `gpuctl validate` shows the same.',
  });
}

function resolveTarget(path: string): string {
  try {
    return lstatSync(path).isSymbolicLink() ? realpathSync(path) : path;
  } catch {
    return path;
  }
}

/** Where writing `path` lands: through a symlink (of the file or of a directory above it) to its real place. */
function landing(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // A new file (or a dangling link): its directory's real place, or the path as it is when none exists yet.
    const target = lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ? resolveLink(path) : path;
    const parent = dirname(target);
    return parent === target ? target : join(landing(parent), basename(target));
  }
}

function resolveLink(path: string): string {
  const link = readlinkSync(path);
  return isAbsolute(link) ? link : join(dirname(path), link);
}

/**
 * A file init writes must land inside `root` (--dir): a symlink inside the directory is followed, one that
 * leads outside (fly.toml -> ~/.bashrc, .gpuctl -> /etc) is refused, naming the link. Checked for every
 * file before any is written.
 */
export function assertInside(root: string, path: string): void {
  const realRoot = landing(root);
  const real = landing(path);
  const rel = relative(realRoot, real);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return;
  throw new UsageError(
    `${path} leads outside ${root} (to ${real}) through a symbolic link; gpuctl init writes only inside its directory.`,
    {
      hint: 'Remove the link (or point it inside the directory); nothing was written.',
    },
  );
}

export function writeAtomic(path: string, content: string | Uint8Array, mode: number): void {
  const target = resolveTarget(path);
  const dir = dirname(target);
  makeDirs(dir);
  let finalMode = mode;
  try {
    finalMode = statSync(target).mode & 0o7777;
  } catch {
    // a new file takes the mode it was rendered with
  }
  writeFileAtomic(target, content, finalMode); // the exact mode: the umask does not get a say
}
