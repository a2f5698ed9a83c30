/**
 * What a finished run of the benchmark program means, decided from the exec outcome and its stdout
 * alone: the protocol lines, or one clear typed error (no GPU, driver too old, usage, crash, hang,
 * garbage). Pure: tested on recorded outcomes.
 */
import { InterruptedError, MissingError, ToolError, UsageError } from '../errors.js';
import type { ExecResult } from '../exec.js';
import { cudaVersionForDriver } from '../gpu/cuda-driver.js';
import { parseStream, PROTOCOL_VERSION, type BenchLine, type ErrorLine } from './protocol.js';

export interface RunContext {
  program: string;
  mode: 'run' | 'list';
  /** From nvidia-smi, when known: named in driver errors. */
  driverVersion: string | null;
}

export interface RunOutcome {
  lines: BenchLine[];
  exitCode: number;
  stderr: string;
}

const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max)}…` : text);

function tail(stderr: string, count = 6): string {
  const lines = stderr.split(/\r?\n/).filter((line) => line.trim() !== '').slice(-count);
  return lines.length ? `\n${lines.map((line) => `  ${clip(line, 200)}`).join('\n')}` : '';
}

/** "13.0" → the oldest driver branch that supports it (580), read off the driver table. */
export function minDriverFor(cuda: string): number | null {
  const [major = 0, minor = 0] = cuda.split('.').map(Number);
  for (let branch = 400; branch < 1000; branch += 1) {
    const supported = cudaVersionForDriver(`${branch}.0`).cudaVersion;
    if (!supported) continue;
    const [sMajor = 0, sMinor = 0] = supported.split('.').map(Number);
    if (sMajor > major || (sMajor === major && sMinor >= minor)) return branch;
  }
  return null;
}

export function cudaText(encoded: number | null): string | null {
  return encoded === null ? null : `${Math.floor(encoded / 1000)}.${Math.floor((encoded % 1000) / 10)}`;
}

function programError(line: ErrorLine, lines: readonly BenchLine[], context: RunContext): Error {
  const hello = lines.find((l) => l.type === 'hello');
  const runtime = cudaText(hello?.type === 'hello' ? hello.cudaRuntime : null);
  switch (line.code) {
    case 'usage':
      return new UsageError(`${context.program} rejected the options: ${line.message}.`, { hint: 'Run `gpuctl bench --list` for the kernels, and see docs/bench.md for --size keys.' });
    case 'driver_too_old': {
      const driver = context.driverVersion ? `NVIDIA driver ${context.driverVersion}` : 'The NVIDIA driver';
      const needed = runtime ?? '13.0';
      const branch = minDriverFor(needed);
      return new MissingError(`${driver} is too old for this benchmark program: ${line.message}.`, 'gpu', {
        code: 'device_missing',
        hint: `Update the NVIDIA driver to ${branch ? `R${branch} or newer` : 'a newer release'} (CUDA ${needed}); until then \`gpuctl bench --cpu\` runs the CPU implementations.`,
      });
    }
    default:
      return new MissingError(`No usable GPU: ${line.message}.`, 'gpu', {
        code: 'device_missing',
        hint: line.code === 'no_gpu' ? 'Check `nvidia-smi`; without a GPU, `gpuctl bench --cpu` runs the CPU implementations.' : undefined,
      });
  }
}

export function interpretRun(result: ExecResult, context: RunContext): RunOutcome {
  const { program } = context;
  switch (result.kind) {
    case 'not-found':
      throw new ToolError(`The benchmark program ${program} disappeared before it could run.`, 'gpuctl-bench', 'tool_failed');
    case 'spawn-failed':
      throw new ToolError(`${program} could not start: ${result.message}.`, 'gpuctl-bench', 'tool_failed', { hint: 'Is it built for this machine? `gpuctl bench --build-only` rebuilds it.' });
    case 'interrupted':
      throw new InterruptedError('Interrupted while the benchmark was running.');
    case 'timeout': {
      const done = parseStream(result.stdout).lines.filter((l) => l.type === 'result').length;
      throw new ToolError(`${program} did not finish within ${Math.round(result.timeoutMs / 1000)} s (${done} result${done === 1 ? '' : 's'} so far).${tail(result.stderr)}`, 'gpuctl-bench', 'tool_timeout', {
        hint: 'A hung GPU shows NVRM/Xid errors in `dmesg`. For a long full-size suite, allow longer: GPUCTL_BENCH_TIMEOUT_MS=3600000.',
      });
    }
    case 'signaled': {
      const done = parseStream(result.stdout).lines.filter((l) => l.type === 'result').length;
      throw new ToolError(`${program} crashed (${result.signal}) after ${done} result${done === 1 ? '' : 's'}.${tail(result.stderr)}`, 'gpuctl-bench', 'tool_failed', {
        hint: 'Run it with --kernel to find the kernel that crashes; `dmesg` shows GPU faults (Xid).',
      });
    }
    case 'exited':
      break;
  }
  const stream = parseStream(result.stdout);
  const fatal = stream.lines.find((l): l is ErrorLine => l.type === 'error' && l.name === null);
  if ((result.exitCode === 2 || result.exitCode === 3) && fatal) throw programError(fatal, stream.lines, context);
  if (stream.garbage) {
    const { lineNo, text, reason } = stream.garbage;
    const cut = stream.truncated && lineNo === result.stdout.split(/\r?\n/).length;
    throw new ToolError(
      cut ? `${program}'s output ends in the middle of line ${lineNo}: "${clip(text)}".` : `${program} printed line ${lineNo}, which is not protocol JSON (${reason}): "${clip(text)}".`,
      'gpuctl-bench',
      'bad_output',
      { hint: 'Only JSON lines may go to its stdout (native/PROTOCOL.md); run it by hand with --verbose to see the command.' },
    );
  }
  if (result.exitCode === 2 || result.exitCode === 3) {
    const message = `${program} exited with code ${result.exitCode} and no error line.${tail(result.stderr)}`;
    throw result.exitCode === 2 ? new UsageError(message) : new MissingError(message, 'gpu', { code: 'device_missing' });
  }
  if (result.exitCode !== 0 && result.exitCode !== 1) {
    throw new ToolError(`${program} failed with exit code ${result.exitCode}.${tail(result.stderr)}`, 'gpuctl-bench', 'tool_failed');
  }
  if (context.mode === 'run') {
    const hello = stream.lines.find((l) => l.type === 'hello');
    if (!hello) throw new ToolError(`${program} printed no hello line: is it a gpuctl-bench?`, 'gpuctl-bench', 'bad_output');
    if (hello.protocol !== PROTOCOL_VERSION) {
      throw new ToolError(`${program} speaks protocol ${hello.protocol}; this gpuctl speaks ${PROTOCOL_VERSION}.`, 'gpuctl-bench', 'bad_output', {
        hint: 'Rebuild it from this gpuctl (`gpuctl bench --build-only`), or update gpuctl.',
      });
    }
    if (!stream.lines.some((l) => l.type === 'done')) throw new ToolError(`${program} ended without its "done" line (output cut short).${tail(result.stderr)}`, 'gpuctl-bench', 'bad_output');
    const failed = stream.lines.some((l) => l.type === 'error');
    if (result.exitCode === 1 && !failed) throw new ToolError(`${program} exited with code 1 but reported no failure.${tail(result.stderr)}`, 'gpuctl-bench', 'tool_failed');
  }
  return { lines: stream.lines, exitCode: result.exitCode, stderr: result.stderr };
}
