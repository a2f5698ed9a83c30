/**
 * The host C++ compiler, for the CPU-only build of native/ (`make cpu`: no CUDA involved). $CXX when
 * set, else the first of c++, g++, clang++ that answers `--version`.
 */
import type { Ctx } from '../context.js';

export type CxxInfo =
  | { kind: 'ok'; file: string; version: string }
  | { kind: 'absent'; tried: string[] }
  | { kind: 'broken'; file: string; message: string };

export const CXX_TIMEOUT_MS = 15_000;
const CANDIDATES = ['c++', 'g++', 'clang++'] as const;

/** "g++ (Debian 12.2.0-14) 12.2.0\n…" → its first line (the cache key takes it whole). */
export function parseCxxVersion(stdout: string): string | undefined {
  const first = stdout.split(/\r?\n/).find((line) => line.trim() !== '');
  return first && /\d+\.\d+/.test(first) ? first.trim() : undefined;
}

export async function probeCxx(ctx: Ctx): Promise<CxxInfo> {
  const files = ctx.env.CXX ? [ctx.env.CXX] : [...CANDIDATES];
  for (const file of files) {
    const result = await ctx.exec({ file, args: ['--version'], timeoutMs: CXX_TIMEOUT_MS });
    if (result.kind === 'not-found') continue;
    if (result.kind !== 'exited' || result.exitCode !== 0) return { kind: 'broken', file, message: `${file} --version did not succeed (${result.kind === 'exited' ? `exit ${result.exitCode}` : result.kind})` };
    const version = parseCxxVersion(result.stdout);
    if (!version) return { kind: 'broken', file, message: `${file} --version printed no version` };
    return { kind: 'ok', file, version };
  }
  return { kind: 'absent', tried: files };
}
