/**
 * The build cache key: sha256 over every source file of native/ (path and bytes) and its Makefile,
 * the compiler (the exact nvcc release, or the host C++ compiler's version line for the CPU-only
 * build), the target (sm_XX or "cpu") and gpuctl's version (the Makefile bakes package.json's into
 * the program). One changed byte, another compiler or target gives another key, so a cached binary
 * is never stale; docs (PROTOCOL.md, README) and build outputs are not part of it.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { readRegularFile } from '../shared/regular-file.js';

const KEY_FORMAT = 'gpuctl-bench-cache-v1';
const SOURCE = /\.(cu|cuh|cpp|cc|cxx|c|h|hh|hpp|hxx|inl|inc)$/i;
const SKIP_DIR = /^(\.|build$|node_modules$)/;

export interface SourceFile {
  /** POSIX path relative to native/. */
  path: string;
  content: Buffer;
}

export function isKeySource(path: string): boolean {
  const base = path.split('/').at(-1) ?? '';
  return base === 'Makefile' || SOURCE.test(base);
}

/** Every key source under dir, sorted by path. */
export async function readSources(dir: string): Promise<SourceFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: SourceFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const path = relative(dir, full).split(sep).join('/');
    if (path.split('/').slice(0, -1).some((part) => SKIP_DIR.test(part)) || !isKeySource(path)) continue;
    files.push({ path, content: await readRegularFile(full) });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export type KeyInput = {
  sources: readonly SourceFile[];
  /** sm_XX, or "cpu" for the CPU-only build. */
  arch: string;
  /** gpuctl's version (package.json), which the program reports. */
  version?: string;
} & (
  | /** The full nvcc release, e.g. "V13.0.88" (or "13.0" when only that is known). */ { nvcc: string }
  | /** The host C++ compiler's --version line. */ { cxx: string }
);

export function cacheKey(input: KeyInput): string {
  const hash = createHash('sha256');
  hash.update(`${KEY_FORMAT}\narch ${input.arch}\n${'nvcc' in input ? `nvcc ${input.nvcc}` : `cxx ${input.cxx}`}\n`);
  if (input.version) hash.update(`version ${input.version}\n`);
  for (const file of input.sources) {
    hash.update(`${file.path}\0${file.content.length}\0`);
    hash.update(file.content);
  }
  return hash.digest('hex');
}
