/**
 * One compile of native/ into the cache: make builds into a fresh temp directory beside the cache
 * entry (native/ itself is never written, so a read-only install works), and the finished entry is
 * renamed into place in one step. A failed or interrupted build leaves nothing behind but its log.
 */
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Ctx } from '../context.js';
import { InterruptedError, MissingError, ToolError } from '../errors.js';
import { compilerErrors, compilingWhat, makePlan, producedName, toolchainText, type Toolchain } from './build-plan.js';
import { BUILD_TIMEOUT_MS, msFromEnv, PROGRAM_NAME } from '../shared/paths.js';
import { jsonText } from '../ui/output.js';

export interface CompileRequest {
  nativeDir: string;
  toolchain: Toolchain;
  key: string;
  cacheRoot: string;
  /** What make is compiling now (for a progress line). */
  onProgress?: (what: string) => void;
}

export function buildTimeoutMs(env: Ctx['env']): number {
  return msFromEnv(env, 'GPUCTL_BENCH_BUILD_TIMEOUT_MS', BUILD_TIMEOUT_MS);
}

async function keepOnly(dir: string, names: readonly string[]): Promise<void> {
  for (const entry of await readdir(dir)) if (!names.includes(entry)) await rm(join(dir, entry), { recursive: true, force: true });
}

/** Compiles into cacheRoot/key/ and returns the binary's path. The caller holds the build lock. */
export async function compileInto(ctx: Ctx, request: CompileRequest): Promise<string> {
  const { toolchain, cacheRoot, key } = request;
  const tool = toolchain.kind === 'nvcc' ? 'nvcc' : toolchain.file;
  const final = join(cacheRoot, key);
  const tmp = await mkdtemp(join(cacheRoot, `.build-${key.slice(0, 12)}-`));
  const logPath = join(cacheRoot, `build-${key.slice(0, 12)}.log`);
  const timeoutMs = buildTimeoutMs(ctx.env);
  const plan = makePlan({ make: ctx.env.MAKE || 'make', nativeDir: request.nativeDir, toolchain, out: tmp, jobs: Math.min(availableParallelism(), 8) });
  try {
    const result = await ctx.exec({
      ...plan,
      timeoutMs,
      onLine: (line) => {
        const what = compilingWhat(line);
        if (what) request.onProgress?.(what);
      },
    });
    const what = `Compiling ${request.nativeDir} ${toolchainText(toolchain)}`;
    switch (result.kind) {
      case 'not-found':
        throw new MissingError(`make is not on PATH; gpuctl needs it to compile ${request.nativeDir}.`, 'make', {
          hint: 'Install it (Debian/Ubuntu: apt-get install make g++; macOS: xcode-select --install), or set MAKE to its path.',
        });
      case 'interrupted':
        throw new InterruptedError('Interrupted while compiling gpuctl-bench.');
      case 'timeout':
        await writeFile(logPath, `${result.stdout}\n${result.stderr}`);
        throw new ToolError(`${what} did not finish within ${Math.round(timeoutMs / 1000)} s.`, tool, 'tool_timeout', {
          hint: `The output so far is in ${logPath}. On a slow machine, allow longer: GPUCTL_BENCH_BUILD_TIMEOUT_MS=1800000.`,
        });
      case 'spawn-failed':
        throw new ToolError(`${what} could not start make: ${result.message}.`, 'make', 'tool_failed');
      case 'signaled':
      case 'exited': {
        const output = `${result.stdout}\n${result.stderr}`;
        if (result.kind === 'exited' && result.exitCode === 0) break;
        await writeFile(logPath, output);
        const how = result.kind === 'signaled' ? `was killed by ${result.signal}` : `failed (make exit ${result.exitCode})`;
        throw new ToolError(`${what} ${how}:\n${compilerErrors(output).map((line) => `  ${line}`).join('\n')}`, tool, 'tool_failed', {
          hint: `The full compiler output is in ${logPath}.`,
        });
      }
    }
    const name = producedName(toolchain);
    if (!(await readdir(tmp)).includes(name)) {
      throw new ToolError(`${what} succeeded but produced no ${name} in ${tmp}.`, 'make', 'tool_failed', {
        hint: `native/Makefile must build $(OUT)/${name} (${toolchain.kind === 'nvcc' ? 'the default target' : 'make cpu'}; see native/PROTOCOL.md).`,
      });
    }
    if (name !== PROGRAM_NAME) await rename(join(tmp, name), join(tmp, PROGRAM_NAME));
    await keepOnly(tmp, [PROGRAM_NAME]);
    const made = toolchain.kind === 'nvcc' ? { arch: toolchain.arch, nvcc: toolchain.release } : { arch: 'cpu', cxx: toolchain.version };
    await writeFile(join(tmp, 'build.json'), jsonText({ key, ...made, nativeDir: request.nativeDir, builtAt: ctx.clock.now().toISOString() }));
    try {
      await rename(tmp, final);
    } catch (error) {
      // Another process installed the same key first (possible only if a lock went stale): theirs is as good.
      if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
    return join(final, PROGRAM_NAME);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
