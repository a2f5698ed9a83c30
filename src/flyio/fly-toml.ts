/**
 * The one reader of fly.toml: bytes to text (UTF-8, strictly: flyctl's TOML decoder rejects invalid
 * UTF-8, so a file with a stray Latin-1 byte is an error here too, not a silent U+FFFD), text to the
 * parsed document and its typed model (fly-model.ts), with the positions of its keys for line numbers.
 * A file that cannot be read this way gives one problem, with one text: `Not valid TOML: …` or
 * `Not UTF-8: …`, at a line and column. validate, deploy's preflight, the app-name lookup and init's
 * merge all read fly.toml through here.
 */
import { parse, TomlError } from 'smol-toml';
import { readRegularFile, readRegularFileSync } from '../shared/regular-file.js';
import { locator, scanToml, type TomlPath } from '../shared/toml-scan.js';
import { flyModel, type FlyModel } from './fly-model.js';

export interface TomlProblem {
  line: number;
  column: number;
  /** `Not valid TOML: …` or `Not UTF-8: …`: the one text for a fly.toml gpuctl cannot read. */
  message: string;
}

export type Locate = (path: TomlPath) => { line: number; column: number };

export type ParsedFlyToml =
  | { ok: true; text: string; doc: Record<string, unknown>; model: FlyModel; at: Locate }
  | { ok: false; text: string | undefined; problem: TomlProblem };

const DECODER = new TextDecoder('utf-8', { fatal: true });

/** The text, or where the first byte that is not UTF-8 sits (1-based line and column, columns in characters). */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problem: TomlProblem } {
  try {
    return { ok: true, text: DECODER.decode(bytes) };
  } catch {
    // Find the first bad byte: decode growing prefixes line by line (the file is small).
    let lineStart = 0;
    let line = 1;
    for (let i = 0; i <= bytes.length; i += 1) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          DECODER.decode(bytes.subarray(lineStart, i));
        } catch {
          const bad = firstBad(bytes.subarray(lineStart, i));
          const column = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, lineStart + bad)).length + 1;
          const byte = bytes[lineStart + bad] ?? 0;
          return {
            ok: false,
            problem: {
              line,
              column,
              message: `Not UTF-8: byte 0x${byte.toString(16).padStart(2, '0')} is not valid UTF-8 (save the file as UTF-8)`,
            },
          };
        }
        lineStart = i + 1;
        line += 1;
      }
    }
    return { ok: false, problem: { line: 1, column: 1, message: 'Not UTF-8: the file is not valid UTF-8 (save the file as UTF-8)' } };
  }
}

function firstBad(line: Uint8Array): number {
  let good = 0;
  for (let end = 1; end <= line.length; end += 1) {
    try {
      DECODER.decode(line.subarray(good, end));
      good = end;
    } catch {
      // A multi-byte sequence may still be incomplete: give it up to 4 bytes before calling it bad.
      if (end - good >= 4) return good;
    }
  }
  return good;
}

/** The problem for a parse error, in the one text. */
export function tomlProblem(error: TomlError): TomlProblem {
  const first = error.message.split('\n')[0] ?? error.message;
  return { line: error.line, column: error.column, message: `Not valid TOML: ${first.replace(/^Invalid TOML document: /, '')}` };
}

/** fly.toml's text parsed: the document, its model and a locator of keys; or the one problem. */
export function parseFlyToml(text: string): ParsedFlyToml {
  try {
    const doc = parse(text) as Record<string, unknown>;
    return { ok: true, text, doc, model: flyModel(doc), at: locator(scanToml(text)) };
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    return { ok: false, text, problem: tomlProblem(error) };
  }
}

/** fly.toml's bytes decoded and parsed. */
export function parseFlyTomlBytes(bytes: Uint8Array): ParsedFlyToml {
  const decoded = decodeUtf8(bytes);
  return decoded.ok ? parseFlyToml(decoded.text) : { ok: false, text: undefined, problem: decoded.problem };
}

/** Reads (a regular file only; open errors are thrown as they are) and parses fly.toml. */
export async function readFlyToml(path: string): Promise<ParsedFlyToml> {
  return parseFlyTomlBytes(await readRegularFile(path));
}

/** readFlyToml, synchronously. */
export function readFlyTomlSync(path: string): ParsedFlyToml {
  return parseFlyTomlBytes(readRegularFileSync(path));
}
