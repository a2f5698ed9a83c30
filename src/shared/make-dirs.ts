/**
 * Creating directories without Node's recursive mkdir, which never returns on a pseudo filesystem:
 * in /proc, mkdir answers ENOENT, so `mkdirSync('/proc/x', { recursive: true })` creates the parent
 * (it exists), tries again, and loops forever. Here the missing components are found first by
 * walking up to the nearest existing directory, then created one by one, each mkdir tried once, so
 * every call either finishes or throws a DirError that says which directory and why.
 */
import { mkdirSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Kernel interfaces that look like directories but hold no files (statfs f_type, linux/magic.h). */
const PSEUDO_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
]);

export class DirError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly errno: string,
    /** The pseudo filesystem (proc, sysfs, …) the nearest existing ancestor lives on, when it is one. */
    readonly pseudoFs: string | undefined,
  ) {
    super(message);
    this.name = 'DirError';
  }
}

/** "ENOENT: no such file or directory, mkdir '/proc/x'" → "no such file or directory (ENOENT)". */
export function describeErrno(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const text = /^[A-Z]+: ([^,]+)/.exec(e.message ?? '')?.[1];
  return e.code ? `${text ?? 'failed'} (${e.code})` : String(e.message ?? error);
}

/** The pseudo filesystem a path lives on (proc, sysfs, …), or undefined for a real one or when unknown. */
export function pseudoFilesystem(path: string): string | undefined {
  try {
    return PSEUDO_FILESYSTEMS.get(statfsSync(path).type);
  } catch {
    return undefined;
  }
}

function fail(dir: string, existing: string, error: unknown): DirError {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  const fs = pseudoFilesystem(existing);
  const where = fs ? `; ${existing} is on ${fs}, a kernel interface, not a filesystem for files` : '';
  return new DirError(`Cannot create the directory ${dir}: ${describeErrno(error)}${where}.`, dir, code, fs);
}

/** Creates `path` and its missing parents; does nothing when it is already a directory. Throws DirError. */
export function makeDirs(path: string): void {
  const missing: string[] = [];
  let dir = resolve(path);
  for (;;) {
    try {
      if (statSync(dir).isDirectory()) break;
      throw new DirError(
        `Cannot create the directory ${resolve(path)}: ${dir} exists and is not a directory.`,
        resolve(path),
        'ENOTDIR',
        undefined,
      );
    } catch (error) {
      if (error instanceof DirError) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fail(dir, dirname(dir), error);
      missing.push(dir);
      const parent = dirname(dir);
      if (parent === dir) throw fail(dir, dir, error);
      dir = parent;
    }
  }
  const existing = dir;
  for (const next of missing.reverse()) {
    try {
      mkdirSync(next);
    } catch (error) {
      // Another process made it in between: fine when it is a directory.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(next, { throwIfNoEntry: false })?.isDirectory()) continue;
      throw fail(next, existing, error);
    }
  }
}
