/**
 * JSON answers from flyctl, parsed and checked at the door: an empty, truncated, non-JSON or
 * wrongly shaped answer becomes one ToolError naming the command and what was wrong, instead of
 * an `undefined` that crashes three calls later.
 */
import type { z } from 'zod';
import { ToolError } from '../errors.js';

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

function where(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/** Pure: text → value or a reason a person can read. */
export function decodeJson<S extends z.ZodType>(text: string, schema: S): Decoded<z.output<S>> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'it printed nothing' };
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? Number.NaN);
    const atEnd = /end of (JSON )?input/i.test(message) || position >= trimmed.length;
    if (atEnd && /^[[{]/.test(trimmed)) {
      return { ok: false, reason: `its JSON ends early (truncated after ${trimmed.length} characters)` };
    }
    return { ok: false, reason: `it printed something that is not JSON: "${trimmed.slice(0, 60).replace(/\s+/g, ' ')}"` };
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const at = issue ? where(issue.path) : '';
  return { ok: false, reason: `its JSON has an unexpected shape${at ? ` at ${at}` : ''}: ${issue?.message ?? 'invalid'}` };
}

/** Effect-free too, but throws: for adapters that must hand back a value. */
export function decodeOrThrow<S extends z.ZodType>(command: string, text: string, schema: S): z.output<S> {
  const decoded = decodeJson(text, schema);
  if (decoded.ok) return decoded.value;
  throw new ToolError(`\`${command}\` gave an answer gpuctl cannot read: ${decoded.reason}.`, 'flyctl', 'bad_output', {
    hint: `Run \`${command}\` yourself to see it. gpuctl reads the formats of flyctl v0.4.x (checked against v0.4.87).`,
  });
}
