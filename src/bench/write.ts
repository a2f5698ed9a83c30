/**
 * Files a run writes: the --out report (atomically: a temp file in the same directory, then a
 * rename) and the CI step summary (appended, never truncated). --out replaces an earlier
 * `gpuctl bench` report freely but any other existing file only with --force.
 */
import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

async function isBenchReport(path: string): Promise<boolean | 'absent'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  try {
    const data = JSON.parse(text) as { schemaVersion?: unknown; tool?: { name?: unknown }; results?: unknown };
    return typeof data.schemaVersion === 'number' && data.tool?.name === 'gpuctl' && Array.isArray(data.results);
  } catch {
    return false;
  }
}

/** Checked before the run, so a refused --out costs no benchmark time. Returns the absolute path. */
export async function checkOut(path: string, cwd: string, force: boolean): Promise<string> {
  const full = resolve(cwd, path);
  const existing = await isBenchReport(full).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`Cannot read ${path} to check what it is: ${error.code ?? String(error)}.`);
  });
  if (existing === false && !force) {
    throw new UsageError(`${path} exists and is not a gpuctl bench report; not overwriting it.`, { hint: 'Choose another --out file, or pass --force to replace it.' });
  }
  return full;
}

export async function writeReport(path: string, cwd: string, text: string, force: boolean): Promise<string> {
  const full = await checkOut(path, cwd, force);
  const tmp = join(dirname(full), `.${basename(full)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, text);
    await rename(tmp, full);
  } catch (error) {
    await rm(tmp, { force: true });
    throw new UsageError(`Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  return full;
}

export async function appendSummary(path: string, markdown: string): Promise<void> {
  await appendFile(path, markdown);
}
