/**
 * `gpuctl autoscale export`: renders fly-autoscaler's configuration and returns it to print, or writes it
 * with the house rule for files: a new file is created; an identical one is left alone; a
 * different one is replaced only with --force, and the diff is shown either way; always atomically.
 */
import { dirname, resolve } from 'node:path';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { ExportOptions } from './options.js';
import type { Ctx } from '../context.js';
import { FailedError, isGpuctlError, UsageError } from '../errors.js';
import { renderFlyAutoscalerToml, toFlyAutoscaler } from './export.js';
import { readPolicy } from './policy.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { DirError, describeErrno, makeDirs } from '../shared/make-dirs.js';
import { NotRegularFileError, readRegularFile } from '../shared/regular-file.js';

async function existing(path: string): Promise<string | null> {
  try {
    return await readRegularFile(path, 'utf8');
  } catch (error) {
    if (error instanceof NotRegularFileError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`Cannot read ${path}: ${describeErrno(error)}.`);
  }
}

/** The diff of a file that exists and differs, for the command to show (on stderr), whether it is then replaced or refused. */
export interface ExportEvents {
  diff?(patch: string): void;
}

type Config = ReturnType<typeof toFlyAutoscaler>;

/** The result the command prints: the configuration itself (no --out), or what became of the file. */
export type ExportResult =
  | ({ schemaVersion: 1; to: ExportOptions['to']; file: null; status: 'printed' } & Config & { toml: string })
  | ({ schemaVersion: 1; to: ExportOptions['to']; file: string; status: 'created' | 'identical' | 'replaced' } & Config);

/** The text for people: the TOML itself, or "created  autoscaler/fly.toml". */
export const renderExport = (r: ExportResult): string => (r.file === null ? r.toml : `${r.status.padEnd(9)} ${r.file}\n`);

export async function runExport(ctx: Ctx, options: ExportOptions, events: ExportEvents = {}): Promise<ExportResult> {
  const policy = await readPolicy(ctx.cwd, options.policy);
  if (options.app) policy.app = options.app;
  const text = renderFlyAutoscalerToml(policy, options.org, options.policy);
  const config = toFlyAutoscaler(policy, options.org);
  for (const u of config.unsupported) ctx.log.warn(`fly-autoscaler cannot express: ${u}`);
  if (!options.out) return { schemaVersion: 1, to: options.to, file: null, status: 'printed', ...config, toml: text };
  const path = resolve(ctx.cwd, options.out);
  const before = await existing(path);
  const status = before === null ? 'created' : before === text ? 'identical' : options.force ? 'replaced' : 'refused';
  if (before !== null && before !== text) {
    events.diff?.(
      createTwoFilesPatch(`a/${options.out}`, `b/${options.out}`, before, text, undefined, undefined, {
        context: 3,
        headerOptions: FILE_HEADERS_ONLY,
      }),
    );
  }
  if (status === 'refused')
    throw new UsageError(`${options.out} exists and differs (diff above); not overwriting it.`, { hint: 'Pass --force to replace it.' });
  if (status === 'created' || status === 'replaced') {
    try {
      // -o autoscaler/fly.toml is the autoscaler app's own directory: new in a project (the --help example writes there).
      makeDirs(dirname(path));
      writeFileAtomic(path, text);
    } catch (error) {
      if (isGpuctlError(error)) throw error;
      if (error instanceof DirError) throw new FailedError(error.message);
      throw new FailedError(`Cannot write ${options.out}: ${describeErrno(error)}.`);
    }
  }
  return { schemaVersion: 1, to: options.to, file: options.out, status, ...config };
}
