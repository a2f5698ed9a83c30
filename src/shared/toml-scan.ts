/**
 * Where things are in a TOML text: every table header and every key with its line and the exact
 * span of its value. smol-toml parses values but keeps no positions; this scanner supplies them, for
 * validate's line numbers and for init's in-place edits of fly.toml. It runs on text smol-toml has
 * already accepted, so it can stay small: it tokenises strings, brackets and comments, nothing more.
 */
export type TomlPath = ReadonlyArray<string | number>;

export interface ScannedKey {
  /** Dotted key relative to its table, unquoted: `vm.size` → ['vm', 'size']. */
  key: string[];
  /** Full path, array-of-table elements indexed: ['services', 1, 'http_checks', 0, 'interval']. */
  path: TomlPath;
  line: number;
  column: number;
  /** Offsets into the text: the statement's line start, the value, and just past the statement's line. */
  lineStart: number;
  valueStart: number;
  valueEnd: number;
  end: number;
}

export interface ScannedTable {
  /** null for the root table (keys before the first header). */
  header: string[] | null;
  array: boolean;
  path: TomlPath;
  line: number;
  /** Start of the comment lines directly above the header (no blank line between), else the header's line start. */
  leadStart: number;
  start: number;
  /** Just past the last line that belongs to the table: its last key statement, or the header. */
  end: number;
  keys: ScannedKey[];
}

const WS = new Set([' ', '\t']);

class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  get ch(): string {
    return this.s[this.i] ?? '';
  }
  skipWs(): void {
    while (WS.has(this.ch)) this.i += 1;
  }
  skipToLineEnd(): void {
    while (this.i < this.s.length && this.ch !== '\n') this.i += 1;
    if (this.ch === '\n') this.i += 1;
  }
  /** Skips a string starting at the cursor (any of the four kinds). */
  skipString(): void {
    const q = this.ch;
    const triple = this.s.startsWith(q.repeat(3), this.i);
    this.i += triple ? 3 : 1;
    while (this.i < this.s.length) {
      if (q === '"' && this.ch === '\\') this.i += 2;
      else if (triple && this.s.startsWith(q.repeat(3), this.i)) {
        this.i += 3;
        while (this.ch === q) this.i += 1; // up to two quotes may close a multi-line string
        return;
      } else if (!triple && this.ch === q) {
        this.i += 1;
        return;
      } else this.i += 1;
    }
  }
  /** Skips one value: a string, an array or inline table (nested, with comments and newlines), or a bare scalar. */
  skipValue(): void {
    if (this.ch === '"' || this.ch === "'") return this.skipString();
    if (this.ch === '[' || this.ch === '{') {
      let depth = 0;
      while (this.i < this.s.length) {
        const c: string = this.s[this.i] ?? '';
        if (c === '"' || c === "'") this.skipString();
        else if (c === '#') while (this.i < this.s.length && this.s[this.i] !== '\n') this.i += 1;
        else {
          if (c === '[' || c === '{') depth += 1;
          if (c === ']' || c === '}') depth -= 1;
          this.i += 1;
          if (depth === 0) return;
        }
      }
      return;
    }
    while (this.i < this.s.length && !WS.has(this.ch) && !'\n#,]}\r'.includes(this.ch)) this.i += 1;
  }
  /** A dotted key up to (not including) `=` or `]`. */
  readKey(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipWs();
      if (this.ch === '"' || this.ch === "'") {
        const from = this.i;
        this.skipString();
        const raw = this.s.slice(from, this.i);
        parts.push(raw.startsWith('"') ? (JSON.parse(raw) as string) : raw.slice(1, -1));
      } else {
        const from = this.i;
        while (/[A-Za-z0-9_-]/.test(this.ch)) this.i += 1;
        parts.push(this.s.slice(from, this.i));
      }
      this.skipWs();
      if (this.ch !== '.') return parts;
      this.i += 1;
    }
  }
}

function lineIndex(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function scanToml(text: string): ScannedTable[] {
  const c = new Cursor(text);
  const starts = lineIndex(text);
  const arrays = new Map<string, number>();
  const root: ScannedTable = { header: null, array: false, path: [], line: 0, leadStart: 0, start: 0, end: 0, keys: [] };
  const tables: ScannedTable[] = [root];
  let current = root;
  let commentRun: number | null = null;
  while (c.i < text.length) {
    const lineStart = c.i;
    c.skipWs();
    if (c.ch === '\n' || c.ch === '\r' || c.ch === '') {
      commentRun = null;
      c.skipToLineEnd();
      continue;
    }
    if (c.ch === '#') {
      commentRun ??= lineStart;
      c.skipToLineEnd();
      continue;
    }
    if (c.ch === '[') {
      const array = text.startsWith('[[', c.i);
      c.i += array ? 2 : 1;
      const header = c.readKey();
      c.skipToLineEnd();
      const path = indexedPath(header, array, arrays);
      current = {
        header,
        array,
        path,
        line: lineOf(starts, lineStart),
        leadStart: commentRun ?? lineStart,
        start: lineStart,
        end: c.i,
        keys: [],
      };
      tables.push(current);
      commentRun = null;
      continue;
    }
    const key = c.readKey();
    c.i += 1; // '='
    c.skipWs();
    const valueStart = c.i;
    c.skipValue();
    const valueEnd = c.i;
    c.skipToLineEnd();
    current.keys.push({
      key,
      path: [...current.path, ...key],
      line: lineOf(starts, lineStart),
      column: Math.max(0, text.slice(lineStart, valueStart).search(/\S/)),
      lineStart,
      valueStart,
      valueEnd,
      end: c.i,
    });
    current.end = c.i;
    commentRun = null;
  }
  return tables;
}

function indexedPath(header: readonly string[], array: boolean, arrays: Map<string, number>): TomlPath {
  const path: Array<string | number> = [];
  header.forEach((segment, n) => {
    path.push(segment);
    const id = JSON.stringify(path);
    if (n === header.length - 1 && array) {
      const count = arrays.get(id) ?? 0;
      arrays.set(id, count + 1);
      path.push(count);
    } else if (arrays.has(id)) {
      path.push((arrays.get(id) ?? 1) - 1);
    }
  });
  return path;
}

/** Line (1-based) and column (1-based) of a path, or of its nearest ancestor that has a place in the text. */
export function locator(tables: readonly ScannedTable[]): (path: TomlPath) => { line: number; column: number } {
  const places = new Map<string, { line: number; column: number }>();
  for (const table of tables) {
    if (table.header) places.set(JSON.stringify(table.path), { line: table.line + 1, column: 1 });
    for (const key of table.keys) {
      for (let n = table.path.length + 1; n <= key.path.length; n += 1) {
        const id = JSON.stringify(key.path.slice(0, n));
        if (!places.has(id)) places.set(id, { line: key.line + 1, column: key.column + 1 });
      }
    }
  }
  return (path) => {
    for (let n = path.length; n > 0; n -= 1) {
      const place = places.get(JSON.stringify(path.slice(0, n)));
      if (place) return place;
    }
    return { line: 1, column: 1 };
  };
}
