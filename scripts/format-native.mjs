#!/usr/bin/env node
/**
 * native/'s C++/CUDA formatted as native/.clang-format says: `npm run format:native` (checks; part of
 * `npm test`) and `npm run format:native -- --write` (formats in place). Without clang-format on PATH
 * (Debian: apt-get install clang-format) the check is skipped with a message saying so, exit 0; .ci/run
 * installs it. GPUCTL_CLANG_FORMAT names another binary. kernels.inc (an X-macro table) is left as written.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = /\.(cu|cuh|cpp|hpp|cc|h)$/;

/** Every C++/CUDA source under native/src, sorted. */
export function nativeSources(root = ROOT) {
  const dir = join(root, 'native', 'src');
  return readdirSync(dir)
    .filter((name) => SOURCES.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Runs the check (or the write) and returns { code, message }: 0 when formatted or skipped, 1 when a
 * file differs (clang-format names the lines), 2 when clang-format itself fails.
 */
export function formatNative({ write = false, binary = process.env.GPUCTL_CLANG_FORMAT || 'clang-format', root = ROOT } = {}) {
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (version.error || version.status !== 0) {
    return {
      code: 0,
      message: `format:native skipped: ${binary} not found (install Debian's clang-format: apt-get install clang-format); native/ was not checked.`,
    };
  }
  const files = nativeSources(root);
  const args = write ? ['-i', '--style=file', ...files] : ['--dry-run', '--Werror', '--style=file', ...files];
  const run = spawnSync(binary, args, { encoding: 'utf8', timeout: 120_000, cwd: root });
  const tool = version.stdout.trim();
  if (run.error) return { code: 2, message: `format:native: ${binary} failed: ${run.error.message}` };
  if (run.status === 0) {
    return {
      code: 0,
      message: `format:native: ${files.length} files in native/src ${write ? 'formatted' : 'formatted as native/.clang-format says'} (${tool}).`,
    };
  }
  const out = `${run.stdout}${run.stderr}`.trim();
  const bad = [...new Set([...out.matchAll(/^(\S+?):\d+:\d+: (?:error|warning)/gm)].map((m) => relative(root, resolve(root, m[1]))))];
  return {
    code: bad.length ? 1 : 2,
    message: bad.length
      ? `${out}\n\nformat:native: ${bad.length} file(s) not formatted as native/.clang-format says: ${bad.join(', ')}.\nRun: npm run format:native -- --write`
      : `format:native: ${binary} exited ${run.status}: ${out}`,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { code, message } = formatNative({ write: process.argv.includes('--write') });
  (code === 0 ? process.stdout : process.stderr).write(`${message}\n`);
  process.exitCode = code;
}
