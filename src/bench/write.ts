/**
 * Files a run writes: the --out report (atomically: a temp file in the same directory, synced, then
 * renamed); the CI step summary is ui/step-summary.ts's. Like every gpuctl write, --out
 * replaces an existing file only with --force, and never the --baseline it is compared with.
 */
import { constants, realpathSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FailedError, isGpuctlError, UsageError } from '../errors.js';
import { writeFileAtomic, writeTarget } from '../shared/atomic-write.js';
import { describeErrno } from '../shared/make-dirs.js';

/** Checked before the run, so a refused --out costs no benchmark time. Returns the absolute path. */
export async function checkOut(path: string, cwd: string, force: boolean, baseline: string | null = null): Promise<string> {
  const full = resolve(cwd, path);
  // The same file by any name: through a symlink to it, or to a directory above it.
  if (baseline !== null && realTarget(resolve(cwd, baseline)) === realTarget(full)) {
    throw new UsageError(`--out ${path} is the --baseline it is compared with; not overwriting it.`, { hint: 'Write the new report to another file.' });
  }
  let kind: ReturnType<typeof writeTarget>;
  try {
    kind = writeTarget(full);
  } catch (error) {
    if (isGpuctlError(error)) throw error;
    throw new UsageError(`Cannot check ${path}: ${describeErrno(error)}.`);
  }
  if (kind === 'file' && !force) {
    throw new UsageError(`${path} already exists; not overwriting it.`, { hint: 'Choose another --out file, or pass --force to replace it.' });
  }
  // The directory gets the temporary file and the rename: it must exist and be writable now, not after the suite.
  if (kind === 'absent' || kind === 'file') await checkDirectory(path, dirname(realTarget(full)));
  return full;
}

function realTarget(full: string): string {
  try {
    return realpathSync(full);
  } catch {
    return full;
  }
}

async function checkDirectory(path: string, dir: string): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new UsageError(`Cannot write ${path}: ${dir} is not a directory.`);
    await access(dir, constants.W_OK);
  } catch (error) {
    if (isGpuctlError(error)) throw error;
    throw new UsageError(`Cannot write ${path}: ${dir} ${describeErrno(error)}.`, { hint: 'Choose an --out file in a directory you can write to.' });
  }
}

export async function writeReport(path: string, cwd: string, text: string, force: boolean, baseline: string | null = null): Promise<string> {
  const full = await checkOut(path, cwd, force, baseline);
  try {
    writeFileAtomic(full, text);
  } catch (error) {
    if (isGpuctlError(error)) throw error;
    throw new FailedError(`Cannot write ${path}: ${describeErrno(error)}.`);
  }
  return full;
}
