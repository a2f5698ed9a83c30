/**
 * The nvidia-smi adapter's pieces (issue 22): one argument builder, one "[N/A]" rule, one
 * drop-the-unknown-field rule, one exec and failure classifier (execSmi/runSmi) that the topology
 * probe shares. Tables, and the fake exec that fails on any command it was not given.
 */
import { describe, expect, it } from 'vitest';
import { dropField, queryArgs, QUERY_REQUIRED } from '../../../src/gpu/nvidia-smi.js';
import { REQUIRED_FIELDS, sampleArgs } from '../../../src/gpu/smi-sample.js';
import { execSmi, runSmi, type SmiExec } from '../../../src/gpu/smi-probe.js';
import { printableLine, smiValue } from '../../../src/gpu/smi-text.js';
import { probeTopology } from '../../../src/gpu/topo-probe.js';
import type { ExecResult } from '../../../src/exec.js';
import { exited, makeTestCtx } from '../../helpers/ctx.js';

describe('queryArgs: the one argument builder', () => {
  it.each([
    [['index', 'name'], {}, ['--query-gpu=index,name', '--format=csv,noheader,nounits']],
    [['pid', 'gpu_uuid'], { target: 'compute-apps' as const }, ['--query-compute-apps=pid,gpu_uuid', '--format=csv,noheader,nounits']],
    [['index'], { intervalMs: 500 }, ['--query-gpu=index', '--format=csv,noheader,nounits', '-lms', '500']],
  ])('%j %j', (fields, options, args) => {
    expect(queryArgs(fields, options)).toEqual(args);
  });

  it("the agent's stream asks through it", () => {
    expect(sampleArgs(['index', 'uuid'], 1000)).toEqual(queryArgs(['index', 'uuid'], { intervalMs: 1000 }));
  });
});

describe('smiValue: the one [N/A] rule', () => {
  it.each([
    ['[N/A]', null],
    ['[Not Supported]', null],
    [' [Insufficient Permissions] ', null],
    ['N/A', null],
    ['', null],
    [undefined, null],
    [' NVIDIA H200 ', 'NVIDIA H200'],
    ['0', '0'],
  ])('%j → %j', (raw, value) => {
    expect(smiValue(raw)).toBe(value);
  });
});

describe('dropField: the one drop-the-unknown-field rule', () => {
  const fields = ['index', 'name', 'compute_cap', 'uuid'];
  it.each([
    ['compute_cap', ['index', 'name', 'uuid']],
    ['name', undefined],
    ['clocks.max.sm', undefined],
    [undefined, undefined],
  ])('%j', (unknown, fewer) => {
    expect(dropField(unknown, fields, QUERY_REQUIRED)).toEqual(fewer);
  });

  it("the sampler's required fields are never dropped", () => {
    expect(dropField(REQUIRED_FIELDS[0], [...REQUIRED_FIELDS, 'pstate'], REQUIRED_FIELDS)).toBeUndefined();
    expect(dropField('pstate', [...REQUIRED_FIELDS, 'pstate'], REQUIRED_FIELDS)).toEqual([...REQUIRED_FIELDS]);
  });
});

describe('execSmi: one exec, one classification', () => {
  const ctxWith = (result: ExecResult) =>
    makeTestCtx({ env: { GPUCTL_NVIDIA_SMI: '/opt/smi', GPUCTL_NVIDIA_SMI_TIMEOUT_MS: '2500' }, rules: [{ match: () => true, result }] });

  const cases: Array<[ExecResult, SmiExec]> = [
    [exited('ok\n'), { kind: 'ok', stdout: 'ok\n' }],
    [exited('out', 9, 'err'), { kind: 'failed', output: 'out\nerr', exitCode: 9 }],
    [{ kind: 'not-found', file: '/opt/smi' }, { kind: 'absent' }],
    [
      { kind: 'timeout', timeoutMs: 2500, stdout: '', stderr: '' },
      { kind: 'timeout', timeoutMs: 2500 },
    ],
    [
      { kind: 'signaled', signal: 'SIGSEGV', stdout: '', stderr: '' },
      { kind: 'signaled', signal: 'SIGSEGV' },
    ],
  ];
  it.each(cases)('%j', async (result, outcome) => {
    const ctx = ctxWith(result);
    expect(await execSmi(ctx, ['topo', '-m'])).toEqual(outcome);
    expect(ctx.calls[0]).toMatchObject({ file: '/opt/smi', args: ['topo', '-m'], timeoutMs: 2500 });
  });

  it('runSmi throws the one clear error where execSmi classifies', async () => {
    await expect(runSmi(ctxWith({ kind: 'signaled', signal: 'SIGSEGV', stdout: '', stderr: '' }), [])).rejects.toThrow(
      'nvidia-smi could not run: killed by SIGSEGV.',
    );
  });

  it('the topology probe goes through it: its reasons as before', async () => {
    const arch = () => null;
    expect(await probeTopology(ctxWith(exited('', 99)), arch)).toEqual({
      topology: null,
      topologyNote: 'nvidia-smi topo -m exited with code 99',
    });
    expect(await probeTopology(ctxWith({ kind: 'timeout', timeoutMs: 2500, stdout: '', stderr: '' }), arch)).toEqual({
      topology: null,
      topologyNote: 'nvidia-smi topo -m did not answer within 2.5 s',
    });
    expect((await probeTopology(ctxWith({ kind: 'not-found', file: '/opt/smi' }), arch)).topologyNote).toBe(
      'nvidia-smi topo -m could not run',
    );
  });
});

describe("nvidia-smi's text quoted in a reason (smi-text.ts printableLine, on ui/printable.ts's rule)", () => {
  it('spells out every control character but the tab, the line feed included, and cuts at max', () => {
    expect(printableLine('\u001b[31mred\u009b\u0007\nnext\tcell\u007f')).toBe('\\x1b[31mred\\x9b\\x07\\x0anext\tcell\\x7f');
    expect(printableLine('x'.repeat(90))).toBe(`${'x'.repeat(80)}…`);
    expect(printableLine('abc\r', 6)).toBe('abc\\x0…');
  });
});
