/**
 * Brings an existing fly.toml up to date with a freshly rendered one by editing its text: values
 * are replaced in place, missing keys are added to their table, missing tables are added after
 * their parent (or at the end), and the few keys gpuctl owns outright are removed when the new
 * layout has no use for them. The user's comments, order, quoting and other keys stay as they were.
 * The result is parsed again and checked against the rendered values; anything this cannot do
 * (a table written inline, dotted keys for a whole section) is reported instead of guessed.
 * Comments gpuctl wrote (lines matching a comment of its templates, `ownComments`) are not the
 * user's: in a file gpuctl wrote they are dropped and written again from the new rendering, so a
 * GPU layout turned into the CPU one keeps no GPU header; every other comment stays where it was.
 */
import { parse } from 'smol-toml';
import { parseFlyToml } from '../flyio/fly-toml.js';
import { scanToml, type ScannedKey, type ScannedTable, type TomlPath } from '../shared/toml-scan.js';

export type MergeResult = { ok: true; text: string } | { ok: false; reason: string };

/** Keys init owns in full: a value it no longer writes there is removed. */
const OWNED: ReadonlyArray<readonly [header: string, owns: (key: string) => boolean]> = [
  ['vm', (key) => ['size', 'memory', 'memory_mb', 'cpus', 'cpu_kind', 'gpus', 'gpu_kind'].includes(key)],
  ['env', (key) => key.startsWith('GPUCTL_')],
];

/** How a rendered element of an array of tables finds its counterpart: by this key's value, else the first. */
const MATCH_BY: Readonly<Record<string, string | null>> = { vm: null, mounts: 'destination', 'http_service.checks': 'path' };

interface Edit {
  start: number;
  end: number;
  text: string;
  seq: number;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const valueOf = (text: string, key: ScannedKey): unknown => (parse(`v = ${text.slice(key.valueStart, key.valueEnd)}`) as { v: unknown }).v;
const headerId = (t: ScannedTable): string => (t.header ?? []).join('.');

function getAt(doc: unknown, path: TomlPath): unknown {
  return path.reduce<unknown>(
    (node, part) => (node && typeof node === 'object' ? (node as Record<string | number, unknown>)[part] : undefined),
    doc,
  );
}

function lineOfText(text: string, start: number, end: number): string {
  const line = text.slice(start, end);
  return line.endsWith('\n') ? line : `${line}\n`;
}

/** Comment lines directly above a key in the rendered text (carried along with an added key). */
function leadingComments(text: string, key: ScannedKey): string {
  const before = text.slice(0, key.lineStart).split('\n').slice(0, -1);
  const comments: string[] = [];
  for (let i = before.length - 1; i >= 0 && /^\s*#/.test(before[i] ?? ''); i -= 1) comments.unshift(`${before[i]}\n`);
  return comments.join('');
}

function reindent(block: string, indent: string): string {
  return block.replace(/^[ \t]*(?=\S)/gm, indent);
}

/** A comment line of gpuctl's own (a bare "#" counts when one of gpuctl's follows it, as in the retired block). */
function ownLine(lines: readonly string[], i: number, own: readonly RegExp[]): boolean {
  const line = (lines[i] ?? '').trim();
  if (!line.startsWith('#')) return false;
  if (line === '#') return ownLine(lines, i + 1, own) && (lines[i + 1] ?? '').trim() !== '#';
  return own.some((pattern) => pattern.test(line));
}

/** Drops gpuctl's comment lines; a blank line that a removal leaves doubled (or first in the file) goes too. */
export function stripOwnComments(text: string, own: readonly RegExp[]): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let gap = false;
  lines.forEach((line, i) => {
    if (ownLine(lines, i, own)) {
      gap = true;
      return;
    }
    const blank = line.trim() === '';
    if (blank && gap && (out.length === 0 || out.at(-1)?.trim() === '') && i < lines.length - 1) return;
    if (!blank) gap = false;
    out.push(line);
  });
  return out.join('\n');
}

/** The comment block at the top of a rendered file (before its first statement), with one blank line after it. */
function headerBlock(rendered: string): string {
  const lines = rendered.split('\n');
  const first = lines.findIndex((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  const block = lines.slice(0, first < 0 ? lines.length : first).filter((line) => line.trim() !== '');
  return block.length ? `${block.join('\n')}\n\n` : '';
}

/**
 * `ownComments[0]` is the header line that marks a file gpuctl wrote. Only such a file has its
 * gpuctl comments rewritten; in a user's own fly.toml every comment stays (new keys bring theirs).
 */
export function mergeFlyToml(existing: string, rendered: string, ownComments: readonly RegExp[] = []): MergeResult {
  const marker = ownComments[0];
  const rewriteComments = marker !== undefined && existing.split('\n').some((line) => marker.test(line.trim()));
  if (rewriteComments) existing = stripOwnComments(existing, ownComments);
  const read = parseFlyToml(existing);
  // The one problem text (flyio/fly-toml.ts), as validate and deploy give it.
  if (!read.ok) return { ok: false, reason: `fly.toml:${read.problem.line}:${read.problem.column}: ${read.problem.message}` };
  const existingDoc: unknown = read.doc;
  const renderedDoc = parse(rendered);
  const mine = scanToml(existing);
  const theirs = scanToml(rendered);
  const edits: Edit[] = [];
  // Whole tables added at an offset go after keys added to the table that ends there.
  const add = (start: number, end: number, text: string, table = false) =>
    edits.push({ start, end, text, seq: edits.length + (table ? 1e9 : 0) });
  const used = new Set<ScannedTable>();

  if (rewriteComments) add(0, 0, headerBlock(rendered).replace(/\n\n$/, existing.startsWith('\n') ? '\n' : '\n\n'));
  for (const table of theirs) {
    const target = counterpart(table, mine, existingDoc, renderedDoc, used);
    if (target === 'inline') return { ok: false, reason: `[${headerId(table)}] is written inline or with dotted keys` };
    if (target) {
      used.add(target);
      if (rewriteComments && table.header && table.leadStart < table.start)
        add(target.start, target.start, rendered.slice(table.leadStart, table.start));
      mergeKeys(table, target);
      continue;
    }
    // A missing table goes after the last table of its parent, else at the end.
    const parent = (table.header ?? []).slice(0, -1).join('.');
    const family = parent ? mine.filter((t) => t.header && (headerId(t) === parent || headerId(t).startsWith(`${parent}.`))) : [];
    const after = family.at(-1);
    const block = rendered.slice(table.leadStart, table.end);
    if (after) add(after.end, after.end, `\n${block.trimEnd()}\n`, true);
    else add(existing.length, existing.length, `\n${block.trimEnd()}\n`, true);
  }

  function mergeKeys(table: ScannedTable, target: ScannedTable): void {
    const indent = target.header ? (/^[ \t]*/.exec(existing.slice(target.keys[0]?.lineStart ?? target.end))?.[0] ?? '') : '';
    let inserted = '';
    for (const key of table.keys) {
      const mineKey = target.keys.find((k) => same(k.key, key.key));
      const comments = mineKey && rewriteComments ? leadingComments(rendered, key) : '';
      if (mineKey && comments)
        add(mineKey.lineStart, mineKey.lineStart, reindent(comments, /^[ \t]*/.exec(existing.slice(mineKey.lineStart))?.[0] ?? ''));
      if (!mineKey) inserted += reindent(leadingComments(rendered, key) + lineOfText(rendered, key.lineStart, key.end), indent);
      else if (!same(valueOf(existing, mineKey), valueOf(rendered, key)))
        add(mineKey.valueStart, mineKey.valueEnd, rendered.slice(key.valueStart, key.valueEnd));
    }
    if (inserted) {
      // Root keys must come before the first table; a table's keys go after its last key (or its header).
      const rootWithoutKeys = !target.header && target.keys.length === 0;
      const at = rootWithoutKeys ? (mine[1]?.leadStart ?? existing.length) : target.end;
      add(at, at, `${inserted}${rootWithoutKeys && at < existing.length ? '\n' : ''}`);
    }
    const owned = OWNED.find(([header]) => header === headerId(table))?.[1];
    if (!owned) return;
    for (const k of target.keys) {
      if (k.key.length === 1 && owned(k.key[0] ?? '') && !table.keys.some((r) => same(r.key, k.key))) add(k.lineStart, k.end, '');
    }
  }

  const text = apply(existing, edits);
  return verify(text, theirs, renderedDoc);
}

/** The existing table a rendered one updates; null when there is none; 'inline' when the data exists but not as a table. */
function counterpart(
  table: ScannedTable,
  mine: ScannedTable[],
  mineDoc: unknown,
  renderedDoc: unknown,
  used: Set<ScannedTable>,
): ScannedTable | null | 'inline' {
  if (!table.header) return mine[0] ?? null;
  const id = headerId(table);
  const candidates = mine.filter((t) => t.header && headerId(t) === id && !used.has(t));
  const by = MATCH_BY[id];
  if (table.array && by) {
    const want = getAt(getAt(renderedDoc, table.path), [by]);
    const match = candidates.find((t) => same(getAt(getAt(mineDoc, t.path), [by]), want));
    if (match) return match;
    if (id !== 'mounts') return null;
  }
  if (candidates[0]) return candidates[0];
  const parentValue = getAt(mineDoc, table.header);
  return parentValue !== undefined && !table.array ? 'inline' : null;
}

function apply(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.seq - b.seq);
  let out = '';
  let at = 0;
  let endsLine = text === '' || text.endsWith('\n');
  for (const edit of sorted) {
    if (edit.start < at) throw new Error('overlapping fly.toml edits');
    // Text added at the end of a file without a final newline starts on a line of its own.
    const lead = edit.start === text.length && !endsLine && edit.text ? '\n' : '';
    if (lead) endsLine = true;
    out += text.slice(at, edit.start) + lead + edit.text;
    at = edit.end;
  }
  return out + text.slice(at);
}

function verify(text: string, theirs: ScannedTable[], renderedDoc: unknown): MergeResult {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return { ok: false, reason: 'its layout could not be edited in place (the edited file would not parse)' };
  }
  const merged = scanToml(text);
  for (const table of theirs) {
    const want = getAt(renderedDoc, table.path) as Record<string, unknown> | undefined;
    const header = table.header ?? [];
    const candidates = table.header ? merged.filter((t) => same(t.header, header)).map((t) => getAt(doc, t.path)) : [doc];
    const ok = candidates.some((got) => table.keys.every((k) => same(getAt(got, k.key), getAt(want, k.key))));
    if (!ok) return { ok: false, reason: `[${header.join('.')}] could not be brought up to date in place` };
  }
  return { ok: true, text };
}
