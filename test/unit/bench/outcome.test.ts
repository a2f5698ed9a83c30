/** What a finished run means, on recorded outcomes: each failure becomes one typed, clear error. */
import { describe, expect, it } from 'vitest';
import { interpretRun, minDriverFor, type RunContext } from '../../../src/bench/outcome.js';
import type { GpuctlError} from '../../../src/errors.js';
import { ExitCode, InterruptedError, MissingError, ToolError, UsageError } from '../../../src/errors.js';
import type { ExecResult } from '../../../src/exec.js';

const ctx: RunContext = { program: '/cache/gpuctl-bench', mode: 'run', driverVersion: '550.54.15' };
const HELLO = '{"type":"hello","protocol":1,"version":"0.1.0","cudaRuntime":13000,"mode":"gpu"}';
const RESULT = '{"type":"result","suite":"memory","name":"triad","unit":"GB/s","value":2990,"samplesMs":[1.07,1.08],"medianMs":1.075,"bytes":3221225472,"flops":0,"size":{"bytes":1073741824},"check":{"passed":true,"metric":"rel_l2","error":1e-7,"bound":1e-5}}';
const DONE = '{"type":"done","ok":true,"failed":0}';
const exited = (exitCode: number, ...lines: string[]): ExecResult => ({ kind: 'exited', exitCode, stdout: lines.map((l) => `${l}\n`).join(''), stderr: 'gpuctl-bench: diagnostics\n', durationMs: 5 });

function thrown(result: ExecResult, context: RunContext = ctx): GpuctlError {
  try {
    interpretRun(result, context);
  } catch (error) {
    return error as GpuctlError;
  }
  throw new Error('interpretRun did not throw');
}

describe('interpretRun', () => {
  it('a clean run returns its lines', () => {
    const outcome = interpretRun(exited(0, HELLO, RESULT, DONE), ctx);
    expect(outcome.lines.map((l) => l.type)).toEqual(['hello', 'result', 'done']);
    expect(outcome.exitCode).toBe(0);
  });

  it('a failed check is a result to report (exit 1), not an error', () => {
    const failed = '{"type":"error","code":"check_failed","suite":"finance","name":"ema","message":"rel_l2 0.03 exceeds bound 1e-05"}';
    const outcome = interpretRun(exited(1, HELLO, RESULT, failed, '{"type":"done","ok":false,"failed":1}'), ctx);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.lines.some((l) => l.type === 'error' && l.name === 'ema')).toBe(true);
  });

  it('no GPU: exit 3 with the program\'s reason and the --cpu remedy', () => {
    const error = thrown(exited(3, HELLO, '{"type":"error","code":"no_gpu","message":"no CUDA device found"}', '{"type":"done","ok":false,"failed":0}'));
    expect(error).toBeInstanceOf(MissingError);
    expect(error.exitCode).toBe(ExitCode.missing);
    expect(error.message).toBe('No usable GPU: no CUDA device found.');
    expect(error.hint).toContain('gpuctl bench --cpu');
  });

  it('driver too old: exit 3 naming the driver, both CUDA versions and the driver branch to install', () => {
    const line = '{"type":"error","code":"driver_too_old","message":"driver supports CUDA 12.4 (12040), this program needs CUDA 13.0 (13000): update the NVIDIA driver (R580 or newer for CUDA 13)"}';
    const error = thrown(exited(3, HELLO, line, '{"type":"done","ok":false,"failed":0}'));
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('NVIDIA driver 550.54.15 is too old');
    expect(error.message).toContain('CUDA 12.4 (12040)');
    expect(error.message).toContain('CUDA 13.0 (13000)');
    expect(error.hint).toBe('Update the NVIDIA driver to R580 or newer (CUDA 13.0); until then `gpuctl bench --cpu` runs the CPU implementations.');
  });

  it('usage: exit 2 with the program\'s complaint', () => {
    const error = thrown(exited(2, '{"type":"error","code":"usage","message":"unknown --size key \'widgets\'"}'));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe("/cache/gpuctl-bench rejected the options: unknown --size key 'widgets'.");
  });

  it('garbage names the line and its number', () => {
    const error = thrown(exited(0, HELLO, 'WARNING: clock throttled', RESULT, DONE));
    expect(error).toBeInstanceOf(ToolError);
    expect(error.code).toBe('bad_output');
    expect(error.message).toBe('/cache/gpuctl-bench printed line 2, which is not protocol JSON (it is not JSON): "WARNING: clock throttled".');
  });

  it('output cut in the middle of a line says so', () => {
    const result: ExecResult = { kind: 'exited', exitCode: 0, stdout: `${HELLO}\n${RESULT.slice(0, 30)}`, stderr: '', durationMs: 1 };
    expect(thrown(result).message).toBe(`/cache/gpuctl-bench's output ends in the middle of line 2: "${RESULT.slice(0, 30)}".`);
  });

  it('a run without its done line was cut short', () => {
    expect(thrown(exited(0, HELLO, RESULT)).message).toMatch(/ended without its "done" line/);
  });

  it('exit 1 with no failure reported is an error, not a silent pass', () => {
    expect(thrown(exited(1, HELLO, RESULT, DONE)).message).toMatch(/exited with code 1 but reported no failure/);
  });

  it('another protocol version is refused', () => {
    expect(thrown(exited(0, HELLO.replace('"protocol":1', '"protocol":2'), DONE)).message).toBe('/cache/gpuctl-bench speaks protocol 2; this gpuctl speaks 1.');
  });

  it('a crash reports the signal, the results so far and the last stderr lines', () => {
    const error = thrown({ kind: 'signaled', signal: 'SIGSEGV', stdout: `${HELLO}\n${RESULT}\n${RESULT}\n`, stderr: 'an illegal memory access was encountered\n' });
    expect(error.message).toBe('/cache/gpuctl-bench crashed (SIGSEGV) after 2 results.\n  an illegal memory access was encountered');
  });

  it('a hang is a timeout error with the knob to allow longer', () => {
    const error = thrown({ kind: 'timeout', timeoutMs: 1_800_000, stdout: `${HELLO}\n`, stderr: '' });
    expect(error.code).toBe('tool_timeout');
    expect(error.message).toBe('/cache/gpuctl-bench did not finish within 1800 s (0 results so far).');
    expect(error.hint).toContain('GPUCTL_BENCH_TIMEOUT_MS');
  });

  it('an unknown exit code is a tool failure', () => {
    expect(thrown(exited(134, HELLO)).message).toMatch(/failed with exit code 134/);
  });

  it('a listing needs no hello or done line', () => {
    const list = interpretRun(exited(0, '{"type":"kernel","suite":"finance","name":"sma","unit":"GB/s","description":"SMA"}'), { ...ctx, mode: 'list' });
    expect(list.lines).toHaveLength(1);
  });
});

describe('minDriverFor', () => {
  it.each([
    ['13.0', 580],
    ['12.4', 550],
    ['12.8', 570],
    ['13.1', 590],
    ['99.0', null],
  ])('CUDA %s needs driver R%s', (cuda, branch) => expect(minDriverFor(cuda)).toBe(branch));
});

describe('recorded output of the real program', () => {
  it('without a driver it exits 3 with no_gpu, which becomes exit 3 with its message', async () => {
    const { readFileSync } = await import('node:fs');
    const { FIXTURES } = await import('../../helpers/cli.js');
    const stdout = readFileSync(`${FIXTURES}/bench/native-no-gpu.jsonl`, 'utf8');
    const error = thrown({ kind: 'exited', exitCode: 3, stdout, stderr: '', durationMs: 3 });
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('No usable GPU: no NVIDIA driver found (libcuda.so.1 could not be loaded); use --cpu to run the CPU implementations.');
  });
});

describe('interpretRun, the finer points', () => {
  const fatal = (code: string, message: string) => `{"type":"error","code":"${code}","message":"${message}"}`;
  const DONE_FAILED = '{"type":"done","ok":false,"failed":1}';

  it('driver too old for a program built with an older runtime names that runtime and its branch; without a driver version, "The NVIDIA driver"', () => {
    const hello = HELLO.replace('"cudaRuntime":13000', '"cudaRuntime":12040');
    const error = thrown(exited(3, hello, fatal('driver_too_old', 'driver supports CUDA 12.2'), DONE_FAILED), { ...ctx, driverVersion: null });
    expect(error.message).toBe('The NVIDIA driver is too old for this benchmark program: driver supports CUDA 12.2.');
    expect(error.hint).toBe('Update the NVIDIA driver to R550 or newer (CUDA 12.4); until then `gpuctl bench --cpu` runs the CPU implementations.');
  });

  it('a runtime newer than every driver branch gpuctl knows asks for "a newer release"', () => {
    const hello = HELLO.replace('"cudaRuntime":13000', '"cudaRuntime":99000');
    const error = thrown(exited(3, hello, fatal('driver_too_old', 'driver supports CUDA 13.0'), DONE_FAILED));
    expect(error.hint).toBe('Update the NVIDIA driver to a newer release (CUDA 99.0); until then `gpuctl bench --cpu` runs the CPU implementations.');
  });

  it('a binary without code for the GPU (suite-less cuda_error, exit 3) is no usable GPU, without the nvidia-smi hint of no_gpu', () => {
    const error = thrown(exited(3, HELLO, fatal('cuda_error', 'no kernel image for sm_90: rebuild with gpuctl bench --build-only'), DONE_FAILED));
    expect(error).toBeInstanceOf(MissingError);
    expect(error.message).toBe('No usable GPU: no kernel image for sm_90: rebuild with gpuctl bench --build-only.');
    expect(error.hint).toBeUndefined();
  });

  it('exit 1 with a suite-less error (gpu_only on --cpu) is a failed run to report, not a missing GPU', () => {
    const outcome = interpretRun(exited(1, HELLO, fatal('gpu_only', 'every selected kernel needs a GPU'), DONE_FAILED), ctx);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.lines.some((l) => l.type === 'error' && l.code === 'gpu_only')).toBe(true);
  });

  it("exit 2 or 3 with only a kernel's error line is the exit code without an error line, not that kernel's failure as the cause", () => {
    const kernel = '{"type":"error","code":"check_failed","suite":"finance","name":"ema","message":"rel_l2 0.03 exceeds bound 1e-05"}';
    const three = thrown(exited(3, HELLO, kernel, DONE_FAILED));
    expect(three).toBeInstanceOf(MissingError);
    expect(three.message).toBe('/cache/gpuctl-bench exited with code 3 and no error line.\n  gpuctl-bench: diagnostics');
    const two = thrown(exited(2, HELLO));
    expect(two).toBeInstanceOf(UsageError);
    expect(two.message).toMatch(/exited with code 2 and no error line/);
  });

  it('garbage on an earlier line of output that is also cut short names the garbage line', () => {
    const result: ExecResult = { kind: 'exited', exitCode: 0, stdout: `${HELLO}\nSegmentation fault\n${RESULT}\n${RESULT.slice(0, 30)}`, stderr: '', durationMs: 1 };
    expect(thrown(result).message).toBe('/cache/gpuctl-bench printed line 2, which is not protocol JSON (it is not JSON): "Segmentation fault".');
  });

  it('a long garbage line is clipped to 160 characters', () => {
    const long = `WARNING ${'x'.repeat(300)}`;
    expect(thrown(exited(0, HELLO, long, DONE)).message).toBe(`/cache/gpuctl-bench printed line 2, which is not protocol JSON (it is not JSON): "${long.slice(0, 160)}…".`);
  });

  it("a crash shows stderr's last six non-blank lines", () => {
    const stderr = Array.from({ length: 9 }, (_, i) => `line ${i + 1}\n\n`).join('');
    const error = thrown({ kind: 'signaled', signal: 'SIGABRT', stdout: `${HELLO}\n${RESULT}\n`, stderr });
    expect(error.message).toBe(`/cache/gpuctl-bench crashed (SIGABRT) after 1 result.\n${[4, 5, 6, 7, 8, 9].map((i) => `  line ${i}`).join('\n')}`);
  });

  it('a timeout says the limit in whole seconds, rounded', () => {
    expect(thrown({ kind: 'timeout', timeoutMs: 1_999, stdout: '', stderr: '' }).message).toBe('/cache/gpuctl-bench did not finish within 2 s (0 results so far).');
    expect(thrown({ kind: 'timeout', timeoutMs: 60_000, stdout: `${HELLO}\n${RESULT}\n`, stderr: '' }).message).toBe(
      '/cache/gpuctl-bench did not finish within 60 s (1 result so far).',
    );
  });

  it('Ctrl-C during the run is an interruption (quiet exit), not a tool failure', () => {
    expect(thrown({ kind: 'interrupted', stdout: '', stderr: '' })).toBeInstanceOf(InterruptedError);
  });
});
