/**
 * Reading a policy file: TOML syntax errors keep smol-toml's line and column, schema errors name
 * the key and the line it is on (found by scanning the text: smol-toml keeps no positions).
 */
import { join, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { UsageError } from '../errors.js';
import { describeErrno } from '../shared/make-dirs.js';
import { packageRoot } from '../shared/paths.js';
import { policySchema, toPolicy, type Policy } from './policy-schema.js';
import { NotRegularFileError, readRegularFile } from '../shared/regular-file.js';

/** The 1-based line of a key path such as ['schedule', 0, 'min'], or undefined. Best effort. */
export function lineOf(text: string, path: ReadonlyArray<PropertyKey>): number | undefined {
  const lines = text.split(/\r?\n/);
  let from = 0;
  let to = lines.length;
  const keys = path.filter((k): k is string => typeof k === 'string');
  const indexes = path.filter((k): k is number => typeof k === 'number');
  // Narrow to the table ([a] or the n-th [[a]]) when the path starts with one.
  if (keys.length > 1 || indexes.length > 0) {
    const table = keys[0]!;
    const header = new RegExp(`^\\s*\\[\\[?\\s*${table}\\s*\\]\\]?\\s*(#.*)?$`);
    const starts = lines.flatMap((line, i) => (header.test(line) ? [i] : []));
    const start = starts[indexes[0] ?? 0];
    if (start !== undefined) {
      from = start;
      const next = lines.findIndex((line, i) => i > start && /^\s*\[/.test(line));
      to = next === -1 ? lines.length : next;
      if (keys.length === 1) return start + 1;
      keys.shift();
    }
  }
  const key = keys.at(-1);
  if (key === undefined) return undefined;
  const pattern = new RegExp(`^\\s*(${key}|"${key}")\\s*=`);
  for (let i = from; i < to; i++) if (pattern.test(lines[i]!)) return i + 1;
  const dotted = new RegExp(`^\\s*${keys.join('\\.')}\\s*=`);
  for (let i = 0; i < lines.length; i++) if (dotted.test(lines[i]!)) return i + 1;
  const table = new RegExp(`^\\s*\\[\\[?\\s*${key}\\s*\\]`);
  const header = lines.findIndex((line) => table.test(line));
  return header === -1 ? undefined : header + 1;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${String(k)}`)).join('') || '(top level)';
}

/** Parses and checks policy text; every problem is listed, each with its key and line. */
export function parsePolicy(text: string, file = 'policy'): Policy {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    if (error instanceof TomlError) {
      throw new UsageError(`${file}:${error.line}:${error.column}: not valid TOML: ${error.message.split('\n')[0]}`, {
        hint: error.codeblock.trimEnd(),
      });
    }
    throw error;
  }
  const result = policySchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const at = issue.code === 'unrecognized_keys' && issue.keys[0] ? [...issue.path, issue.keys[0]] : issue.path;
      const line = lineOf(text, at);
      const message = /received undefined$/.test(issue.message) ? 'required, and missing' : issue.message;
      return `${file}${line ? `:${line}` : ''}: ${formatPath(issue.path)}: ${message}`;
    });
    throw new UsageError(
      `The policy ${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n  ${problems.join('\n  ')}`,
      {
        hint: `${shipped('docs/autoscale.md')} describes every key.`,
      },
    );
  }
  return toPolicy(result.data);
}

/** A file gpuctl ships (package.json "files"), by its path on this machine: "examples/…" alone names a file of the user's project. */
function shipped(path: string): string {
  return join(packageRoot(), path);
}

export async function readPolicy(cwd: string, path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readRegularFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    if (error instanceof NotRegularFileError) throw error;
    throw new UsageError(`Cannot read the policy ${path}: ${describeErrno(error)}.`, {
      hint: `Pass --policy with a TOML file; start from a copy of ${shipped('examples/autoscale.toml')}.`,
    });
  }
  return parsePolicy(text, path);
}
