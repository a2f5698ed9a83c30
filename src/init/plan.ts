/**
 * Render-compare, pure: for each rendered file and what is on disk, the content init proposes and
 * its status. fly.toml and .dockerignore are merged into an existing file (the user's comments,
 * layout and additions stay); the others are owned whole. Decisions about conflicts come later.
 */
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { RenderedFile } from './render.js';
import { lineEndingOf, toLf, withLineEnding } from './line-endings.js';
import { mergeFlyToml } from './toml-merge.js';

export type FileStatus = 'create' | 'identical' | 'conflict' | 'overwrite' | 'skip';

export interface PlannedFile {
  path: string;
  mode: number;
  /** What is on disk now; null when the file does not exist. */
  existing: string | null;
  /** What init would write. */
  proposed: string;
  status: FileStatus;
  /** Why the proposal replaces a file whole although init would normally edit it in place. */
  note?: string;
  /** A binary file's bytes (existing/proposed are then fingerprints). */
  bytes?: Uint8Array;
}

/** .dockerignore: the user's lines stay; the patterns gpuctl needs are added under a comment. */
export function mergeIgnore(existing: string, rendered: string): string {
  const have = new Set(existing.split(/\r?\n/).map((line) => line.trim()));
  const missing = rendered.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#') && !have.has(line.trim()));
  if (missing.length === 0) return existing;
  const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return `${existing}${sep}\n# Added by \`gpuctl init\`\n${missing.join('\n')}\n`;
}

function propose(file: RenderedFile, existing: string): { proposed: string; note?: string } {
  if (file.path === 'fly.toml') {
    const merged = mergeFlyToml(existing, file.content, file.ownComments);
    if (merged.ok) return { proposed: merged.text };
    return { proposed: file.content, note: `fly.toml cannot be edited in place: ${merged.reason}; the proposal replaces it whole` };
  }
  if (file.path === '.dockerignore') return { proposed: mergeIgnore(existing, file.content) };
  return { proposed: file.content };
}

export function planFile(file: RenderedFile, existing: string | null): PlannedFile {
  const bytes = file.bytes ? { bytes: file.bytes } : {};
  if (existing === null) return { path: file.path, mode: file.mode, existing, proposed: file.content, status: 'create', ...bytes };
  // A CRLF file is compared as LF, and init's proposal is given in its style: only real changes are conflicts.
  const eol = file.bytes ? '\n' : lineEndingOf(existing);
  const plan = propose(file, eol === '\n' ? existing : toLf(existing));
  const proposed = withLineEnding(plan.proposed, eol);
  const note = plan.note;
  return {
    path: file.path,
    mode: file.mode,
    existing,
    proposed,
    status: proposed === existing ? 'identical' : 'conflict',
    ...(note && proposed !== existing ? { note } : {}),
    ...bytes,
  };
}

/** A unified diff from what is on disk to what init would write ('' when they are the same). */
export function diffOf(file: Pick<PlannedFile, 'path' | 'existing' | 'proposed'>): string {
  if (file.existing === file.proposed) return '';
  const from = file.existing === null ? '/dev/null' : `a/${file.path}`;
  return createTwoFilesPatch(from, `b/${file.path}`, file.existing ?? '', file.proposed, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
}
