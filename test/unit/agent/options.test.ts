import { describe, expect, it } from 'vitest';
import { parseAgentOptions, parseListen } from '../../../src/agent/options.js';
import { UsageError } from '../../../src/errors.js';

const raw = (opts: Record<string, unknown> = {}) => ({ args: [], opts });

describe('agent options', () => {
  it.each([
    ['0.0.0.0:9400', { host: '0.0.0.0', port: 9400 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    [':9400', { host: '0.0.0.0', port: 9400 }],
    ['9400', { host: '0.0.0.0', port: 9400 }],
    ['[::]:9400', { host: '::', port: 9400 }],
    ['host:99999', undefined],
    ['nonsense', undefined],
  ])('parseListen(%s)', (text, expected) => expect(parseListen(text)).toEqual(expected));

  it('defaults, then GPUCTL_AGENT_* variables, then flags', () => {
    expect(parseAgentOptions(raw(), {})).toEqual({
      host: '0.0.0.0',
      port: 9400,
      intervalMs: 5000,
      maxTempC: 85,
      maxMemoryPct: null,
      expectGpus: null,
      withPid: null,
    });
    const env = {
      GPUCTL_AGENT_LISTEN: ':9500',
      GPUCTL_AGENT_INTERVAL: '2s',
      GPUCTL_AGENT_MAX_TEMP_C: '80',
      GPUCTL_AGENT_MAX_MEMORY_PCT: '95',
      GPUCTL_AGENT_EXPECT_GPUS: '8',
    };
    expect(parseAgentOptions(raw(), env)).toEqual({
      host: '0.0.0.0',
      port: 9500,
      intervalMs: 2000,
      maxTempC: 80,
      maxMemoryPct: 95,
      expectGpus: 8,
      withPid: null,
    });
    expect(parseAgentOptions(raw({ maxTemp: '75', interval: '500ms', withPid: '4242' }), env)).toMatchObject({
      maxTempC: 75,
      intervalMs: 500,
      withPid: 4242,
    });
  });

  it.each([
    [{ listen: 'x' }, {}, '--listen "x" is not HOST:PORT.'],
    [{ interval: '10ms' }, {}, '--interval "10ms" is not an interval between 100ms and 1h.'],
    [{}, { GPUCTL_AGENT_MAX_TEMP_C: 'hot' }, 'GPUCTL_AGENT_MAX_TEMP_C "hot" is not a temperature in °C (1-150).'],
    [{ expectGpus: '1.5' }, {}, 'The expected GPU count "1.5" is not a whole number.'],
    [{}, { GPUCTL_AGENT_WITH_PID: 'app' }, 'GPUCTL_AGENT_WITH_PID "app" is not a process id.'],
  ])('rejects %o %o', (opts, env, message) => {
    const error = (() => {
      try {
        parseAgentOptions(raw(opts), env);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(message);
  });
});
