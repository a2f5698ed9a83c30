/** nvcc: its release and the GPU architectures it can build for. */
import type { Ctx } from '../context.js';
import { noSuchProgram, pointItAt } from '../shared/no-such-program.js';

/** broken's remedy: set when the fix is not the toolkit's (NVCC naming no program). */
export type NvccInfo =
  | { kind: 'absent' }
  | { kind: 'ok'; version: string; targets: string[]; build?: string }
  | { kind: 'broken'; message: string; remedy?: string };

export const NVCC_TIMEOUT_MS = 15_000;

/** "Cuda compilation tools, release 13.0, V13.0.88" → "13.0". */
export function parseNvccVersion(stdout: string): string | undefined {
  return /release (\d+\.\d+)/.exec(stdout)?.[1];
}

/** "Cuda compilation tools, release 13.0, V13.0.88" → "V13.0.88" (the exact build, for cache keys). */
export function parseNvccBuild(stdout: string): string | undefined {
  return /release \d+\.\d+, (V[\d.]+)/.exec(stdout)?.[1];
}

/** `nvcc --list-gpu-code` prints one `sm_XX` per line. */
export function parseGpuCodes(stdout: string): string[] {
  return stdout
    .split(/\s+/)
    .filter((code) => /^sm_\d+[a-z]?$/.test(code))
    .sort((a, b) => Number.parseInt(a.slice(3), 10) - Number.parseInt(b.slice(3), 10));
}

/** "9.0" → "sm_90". */
export function smFor(computeCapability: string): string {
  return `sm_${computeCapability.replace('.', '')}`;
}

/** NVCC when set (set and empty is unset, as for FLYCTL and DOCKER), else nvcc from PATH. */
export function nvccBinary(env: Ctx['env']): string {
  return env.NVCC || 'nvcc';
}

export async function probeNvcc(ctx: Ctx): Promise<NvccInfo> {
  const file = nvccBinary(ctx.env);
  const version = await ctx.exec({ file, args: ['--version'], timeoutMs: NVCC_TIMEOUT_MS });
  // NVCC naming no program is a mistake to say: read as "no nvcc", bench fell back to the prebuilt binary (or said
  // "nvcc is not on PATH") and doctor said "not found".
  if (version.kind === 'not-found')
    return ctx.env.NVCC
      ? {
          kind: 'broken',
          message: noSuchProgram('NVCC', ctx.env.NVCC),
          remedy: pointItAt('NVCC', 'nvcc'),
        }
      : { kind: 'absent' };
  if (version.kind !== 'exited' || version.exitCode !== 0)
    return { kind: 'broken', message: `nvcc --version did not succeed (${version.kind})` };
  const release = parseNvccVersion(version.stdout);
  if (!release) return { kind: 'broken', message: 'nvcc --version printed no release number' };
  const codes = await ctx.exec({ file, args: ['--list-gpu-code'], timeoutMs: NVCC_TIMEOUT_MS });
  const targets = codes.kind === 'exited' && codes.exitCode === 0 ? parseGpuCodes(codes.stdout) : [];
  const build = parseNvccBuild(version.stdout);
  return { kind: 'ok', version: release, targets, ...(build ? { build } : {}) };
}
