/**
 * Files a run writes: the --out report (atomically: a temp file in the same directory, synced, then
 * renamed) and the CI step summary (appended, never truncated). Like every gpuctl write, --out
 * replaces an existing file only with --force, and never the --baseline it is compared with.
 */
import { appendFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FailedError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../shared/atomic-write.js';

/** Checked before the run, so a refused --out costs no benchmark time. Returns the absolute path. */
export async function checkOut(path: string, cwd: string, force: boolean, baseline: string | null = null): Promise<string> {
  const full = resolve(cwd, path);
  if (baseline !== null && resolve(cwd, baseline) === full) {
    throw new UsageError(`--out ${path} is the --baseline it is compared with; not overwriting it.`, { hint: 'Write the new report to another file.' });
  }
  const exists = await stat(full).then(
    () => true,
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : Promise.reject(new UsageError(`Cannot check ${path}: ${error.code ?? String(error)}.`))),
  );
  if (exists && !force) {
    throw new UsageError(`${path} already exists; not overwriting it.`, { hint: 'Choose another --out file, or pass --force to replace it.' });
  }
  return full;
}

export async function writeReport(path: string, cwd: string, text: string, force: boolean, baseline: string | null = null): Promise<string> {
  const full = await checkOut(path, cwd, force, baseline);
  try {
    writeFileAtomic(full, text);
  } catch (error) {
    throw new FailedError(`Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  return full;
}

export async function appendSummary(path: string, markdown: string): Promise<void> {
  await appendFile(path, markdown);
}
