/** The JSON-lines parser on the protocol's own lines, then on what a broken program prints. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLine, parseStream } from '../../../src/bench/protocol.js';
import { FIXTURES } from '../../helpers/cli.js';

// Lines as native/PROTOCOL.md specifies them.
const HELLO = '{"type":"hello","protocol":1,"version":"0.1.0","cudaRuntime":13000,"mode":"gpu"}';
const DEVICE =
  '{"type":"device","index":0,"name":"NVIDIA H100 80GB HBM3","computeCapability":"9.0","sms":132,"memoryBytes":85045379072,"l2Bytes":52428800,"smClockMHz":1980,"memClockMHz":2619,"busWidthBits":5120,"driverCuda":13000,"runtimeCuda":13000}';
const RESULT =
  '{"type":"result","suite":"memory","name":"d2d_copy","unit":"GB/s","value":2950.1,"samplesMs":[0.71,0.72,0.70],"medianMs":0.71,"bytes":2147483648,"flops":0,"size":{"bytes":1073741824},"precision":"fp32","check":{"passed":true,"metric":"rel_l2","error":1.2e-7,"bound":1e-5},"cpu":{"medianMs":812.3,"threads":16},"note":"bytes = read + written"}';

describe('parseLine: protocol lines', () => {
  it('hello, device and done', () => {
    expect(parseLine(HELLO)).toEqual({ ok: true, line: { type: 'hello', protocol: 1, version: '0.1.0', cudaRuntime: 13000, mode: 'gpu' } });
    const device = parseLine(DEVICE);
    expect(device.ok && device.line).toMatchObject({ type: 'device', name: 'NVIDIA H100 80GB HBM3', computeCapability: '9.0', sms: 132, memClockMHz: 2619, driverCuda: 13000 });
    // Where the run was placed: absent (an older program) or null is null; a bound run names its CPUs.
    expect(device.ok && device.line).toMatchObject({ cpuAffinity: null, numaNode: null });
    const bound = parseLine(DEVICE.replace('}', ',"cpuAffinity":"0-51,104-155","numaNode":1}'));
    expect(bound.ok && bound.line).toMatchObject({ cpuAffinity: '0-51,104-155', numaNode: 1 });
    const unbound = parseLine(DEVICE.replace('}', ',"cpuAffinity":null,"numaNode":null}'));
    expect(unbound.ok && unbound.line).toMatchObject({ cpuAffinity: null, numaNode: null });
    expect(parseLine('{"type":"done","ok":false,"failed":2}')).toEqual({ ok: true, line: { type: 'done', ok: false, failed: 2 } });
  });

  it('a result keeps every sample, the check and the CPU timing', () => {
    const parsed = parseLine(RESULT);
    expect(parsed.ok && parsed.line).toEqual({
      type: 'result', suite: 'memory', name: 'd2d_copy', unit: 'GB/s', value: 2950.1, medianMs: 0.71, samplesMs: [0.71, 0.72, 0.7],
      bytes: 2147483648, flops: 0, size: { bytes: 1073741824 }, precision: 'fp32',
      check: { passed: true, metric: 'rel_l2', error: 1.2e-7, bound: 1e-5 },
      cpu: { medianMs: 812.3, threads: 16, measuredMs: null, fraction: null }, note: 'bytes = read + written',
    });
  });

  it('a finance result keeps its kernel-specific numbers as extra, and has none when it prints none (issue 21)', () => {
    const zscore = RESULT.replace('"suite":"memory","name":"d2d_copy"', '"suite":"finance","name":"zscore"').replace('"note"', '"signalMismatchVsFloat64":2.4e-7,"note"');
    const parsed = parseLine(zscore);
    expect(parsed.ok && parsed.line).toMatchObject({ suite: 'finance', name: 'zscore', extra: { signalMismatchVsFloat64: 2.4e-7 } });
    const sma = parseLine(RESULT.replace('"suite":"memory","name":"d2d_copy"', '"suite":"finance","name":"sma"'));
    expect(sma.ok && sma.line && 'extra' in sma.line).toBe(false);
    const memory = parseLine(RESULT.replace('"note"', '"signalMismatchVsFloat64":1,"note"'));
    expect(memory.ok && memory.line && 'extra' in memory.line).toBe(false);
  });

  it('skip and error lines, with and without a kernel', () => {
    expect(parseLine('{"type":"skip","suite":"compute","name":"gemm_fp8","reason":"no FP8 tensor cores on sm_86"}')).toEqual({
      ok: true, line: { type: 'skip', suite: 'compute', name: 'gemm_fp8', reason: 'no FP8 tensor cores on sm_86' },
    });
    expect(parseLine('{"type":"error","code":"check_failed","suite":"finance","name":"ema","message":"rel_l2 0.03 exceeds bound 1e-05"}')).toEqual({
      ok: true, line: { type: 'error', code: 'check_failed', suite: 'finance', name: 'ema', message: 'rel_l2 0.03 exceeds bound 1e-05' },
    });
    const fatal = parseLine('{"type":"error","code":"no_gpu","message":"no CUDA device found"}');
    expect(fatal.ok && fatal.line).toEqual({ type: 'error', code: 'no_gpu', suite: null, name: null, message: 'no CUDA device found' });
  });

  it('unknown types and fields are ignored, as the protocol says; blank lines are nothing', () => {
    expect(parseLine('{"type":"telemetry","watts":650}')).toEqual({ ok: true, line: null });
    const extra = parseLine(HELLO.replace('}', ',"future":{"x":1}}'));
    expect(extra.ok && extra.line?.type).toBe('hello');
    expect(parseLine('   ')).toEqual({ ok: true, line: null });
  });

  it('every line the real program printed in a --cpu --quick run parses', () => {
    const lines = readFileSync(`${FIXTURES}/bench/native-cpu-quick.jsonl`, 'utf8').trim().split('\n');
    const parsed = lines.map(parseLine);
    expect(parsed.every((p) => p.ok)).toBe(true);
    expect(parsed.map((p) => (p.ok ? p.line?.type : 'garbage'))).toEqual(['hello', 'result', 'skip', 'result', 'result', 'result', 'done']);
  });
});

describe('parseLine: garbage', () => {
  it.each([
    ['text', 'CUDA warning: device busy', 'it is not JSON'],
    ['an array', '[1,2,3]', 'it is not a JSON object'],
    ['no type', '{"suite":"memory"}', 'it has no "type"'],
    ['a result without samples', RESULT.replace('"samplesMs":[0.71,0.72,0.70],', ''), 'a "result" line whose "samplesMs" is not a list of numbers'],
    ['a result with a string value', RESULT.replace('"value":2950.1', '"value":"fast"'), 'a "result" line whose "value" is not a number'],
    ['a result with a null median', RESULT.replace('"medianMs":0.71', '"medianMs":null'), 'a "result" line whose "medianMs" is not a number'],
    ['a result without a check', RESULT.replace(/"check":\{[^}]*\},/, ''), 'a "result" line whose "check" is not an object with "passed"'],
    ['a hello with another mode', HELLO.replace('"gpu"', '"tpu"'), 'a "hello" line whose "mode" is "tpu"'],
  ])('%s', (_what, text, reason) => expect(parseLine(text)).toEqual({ ok: false, reason }));
});

describe('parseStream', () => {
  it('keeps the lines and notes the first garbage line by number', () => {
    const stream = parseStream(`${HELLO}\n${DEVICE}\nSegmentation fault\n{oops\n${RESULT}\n`);
    expect(stream.lines.map((l) => l.type)).toEqual(['hello', 'device', 'result']);
    expect(stream.garbage).toEqual({ lineNo: 3, text: 'Segmentation fault', reason: 'it is not JSON' });
    expect(stream.truncated).toBe(false);
  });

  it('output cut in the middle of a line is truncated, and that line is the garbage', () => {
    const stream = parseStream(`${HELLO}\n${RESULT.slice(0, 50)}`);
    expect(stream.truncated).toBe(true);
    expect(stream.garbage?.lineNo).toBe(2);
    expect(stream.lines).toHaveLength(1);
  });

  it('empty output is empty, not truncated', () => {
    expect(parseStream('')).toEqual({ lines: [], garbage: null, truncated: false });
  });
});
