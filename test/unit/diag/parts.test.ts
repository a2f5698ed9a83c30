/** diag's pure parts: XID lines, the state file's path and exact format, the program's arguments, option parsing. */
import { describe, expect, it } from 'vitest';
import { parseDiagOptions } from '../../../src/commands/diag.js';
import { renderLongRunNotice } from '../../../src/diag/render.js';
import { programArgs } from '../../../src/diag/run.js';
import { fieldsWithout, parseHealth } from '../../../src/diag/smi.js';
import { diagStatePath, diagStateText } from '../../../src/diag/state.js';
import { parseXids, sameDevice } from '../../../src/gpu/xid.js';

const raw = (opts: Record<string, string>) => ({ args: [], opts });

describe('diag parts', () => {
  it('reads NVRM Xid lines and matches the log PCI address to nvidia-smi bus ids', () => {
    const log = '[ 12.1] nvidia: loading\n[345.6] NVRM: Xid (PCI:0000:00:06): 79, pid=1234, name=python3, GPU has fallen off the bus.\n';
    expect(parseXids(log)).toEqual([
      { pci: '0000:00:06', code: 79, text: '[345.6] NVRM: Xid (PCI:0000:00:06): 79, pid=1234, name=python3, GPU has fallen off the bus.' },
    ]);
    expect(sameDevice('00000000:00:06.0', '0000:00:06')).toBe(true);
    expect(sameDevice('00000000:1B:00.0', '0000:1b:00')).toBe(true);
    expect(sameDevice('00000000:00:07.0', '0000:00:06')).toBe(false);
  });

  it('state file: $GPUCTL_DIAG_STATE, else XDG_STATE_HOME, else ~/.local/state; exactly the agreed fields', () => {
    expect(diagStatePath({ GPUCTL_DIAG_STATE: '/x/d.json' }, '/home/u')).toBe('/x/d.json');
    expect(diagStatePath({ XDG_STATE_HOME: '/s' }, '/home/u')).toBe('/s/gpuctl/diag-last.json');
    expect(diagStatePath({}, '/home/u')).toBe('/home/u/.local/state/gpuctl/diag-last.json');
    // HOME set but empty: no relative .local/state in the working directory (the agent never looks there).
    expect(diagStatePath({ HOME: '' }, '')).toBeUndefined();
    expect(diagStatePath({ HOME: '', XDG_STATE_HOME: '/s' }, '')).toBe('/s/gpuctl/diag-last.json');
    const text = diagStateText({
      finishedAt: '2026-12-04T00:37:17.434Z',
      level: 'long',
      gpus: [{ index: 0, uuid: 'GPU-1', name: 'H200', verdict: 'warn', checks: [] }],
    });
    expect(text).toBe(
      '{"schemaVersion":1,"finishedAt":"2026-12-04T00:37:17.434Z","level":"long","gpus":[{"index":0,"uuid":"GPU-1","verdict":"warn","finishedAt":"2026-12-04T00:37:17.434Z","level":"long"}]}\n',
    );
  });

  it('program arguments per level, with the planted fault only when asked', () => {
    expect(programArgs({ level: 'quick', durationS: 90, fault: undefined }, 1)).toEqual([
      '--device',
      '1',
      '--kernel',
      'gemm_bf16,black_scholes,mc_european,memtest,stress',
      '--quick',
      '--size',
      'n=8192',
      '--size',
      'seconds=3',
    ]);
    expect(programArgs({ level: 'long', durationS: 1800, fault: 'stress_wrong' }, 0)).toContain('seconds=1800');
    expect(programArgs({ level: 'long', durationS: 1800, fault: 'stress_wrong' }, 0).slice(-2)).toEqual(['--inject-fault', 'stress_wrong']);
  });

  it('options: levels, --gpus lists, --duration only for medium and long', () => {
    expect(parseDiagOptions(raw({}))).toEqual({ level: 'quick', gpus: 'all', durationS: 90 });
    expect(parseDiagOptions(raw({ level: 'long' })).durationS).toBe(600);
    expect(parseDiagOptions(raw({ level: 'medium', duration: '2m', gpus: '0,2' }))).toEqual({
      level: 'medium',
      gpus: [0, 2],
      durationS: 120,
    });
    expect(() => parseDiagOptions(raw({ level: 'fast' }))).toThrow('--level "fast" is not a level.');
    expect(() => parseDiagOptions(raw({ gpus: 'first' }))).toThrow('--gpus "first" is not "all" or a list of GPU indices.');
    expect(() => parseDiagOptions(raw({ duration: '5m' }))).toThrow('--duration applies to --level medium and long');
  });

  it('--duration: a burn-in of days is fine, up to 576h; garbage, under 1 s or past what a timer holds is a usage error', () => {
    const long = (duration: string) => () => parseDiagOptions(raw({ level: 'long', duration }));
    expect(long('72h')()).toMatchObject({ durationS: 72 * 3600 });
    expect(long('576h')()).toMatchObject({ durationS: 576 * 3600 });
    expect(long('1.4s')()).toMatchObject({ durationS: 1 });
    expect(long('577h')).toThrow('--duration 577h is longer than the 576h (24 days) a diag stress may take.');
    expect(long('999999999h')).toThrow('is longer than the 576h (24 days)');
    expect(long('500ms')).toThrow('--duration 500ms is shorter than the 1 s a stress needs.');
    expect(long('0')).toThrow('--duration "0" must be longer than 0.');
    expect(long('-5m')).toThrow('--duration "-5m" is not a duration.');
    expect(long('10y')).toThrow('--duration "10y" is not a duration.');
    expect(long('9'.repeat(400))).toThrow('is not a duration.'); // Infinity ms, not a stress of forever
  });

  it('a run of an hour or more is announced: what it does, until when, how to stop it', () => {
    const start = new Date('2026-12-05T00:00:00Z');
    expect(renderLongRunNotice({ level: 'long', durationS: 12 * 3600 }, 2, start)).toBe(
      'diag --level long runs 12 h of stress on each of 2 GPUs, one after another: about 24 h 1 min in all ' +
        '(until about 2026-12-06T00:01Z). Ctrl-C stops it (exit 130) and records no verdict.',
    );
    expect(renderLongRunNotice({ level: 'long', durationS: 3600 }, 1, start)).toContain('runs 1 h of stress on 1 GPU: about 1 h in all');
    expect(renderLongRunNotice({ level: 'long', durationS: 600 }, 8, start)).toContain('runs 10 min of stress on each of 8 GPUs');
    expect(renderLongRunNotice({ level: 'long', durationS: 600 }, 1, start)).toBeUndefined();
    expect(renderLongRunNotice({ level: 'medium', durationS: 90 }, 8, start)).toBeUndefined();
  });

  it("an old driver's rejected field: asked by its older name (every clock-event reason at once), else left out; never a required one", () => {
    const fields = [
      'index',
      'uuid',
      'clocks_event_reasons.active',
      'clocks_event_reasons.hw_slowdown',
      'pcie.link.gen.gpucurrent',
      'utilization.gpu',
    ];
    expect(fieldsWithout('clocks_event_reasons.hw_slowdown', fields)).toEqual([
      'index',
      'uuid',
      'clocks_throttle_reasons.active',
      'clocks_throttle_reasons.hw_slowdown',
      'pcie.link.gen.gpucurrent',
      'utilization.gpu',
    ]);
    expect(fieldsWithout('pcie.link.gen.gpucurrent', fields)).toContain('pcie.link.gen.current');
    expect(fieldsWithout('utilization.gpu', fields)).toEqual(fields.slice(0, 5));
    expect(fieldsWithout('clocks_throttle_reasons.active', ['index', 'clocks_throttle_reasons.active'])).toEqual(['index']);
    expect(fieldsWithout('uuid', fields)).toBeUndefined();
    expect(fieldsWithout('memory.used', fields)).toBeUndefined();
    expect(fieldsWithout(undefined, fields)).toBeUndefined();
    // read back by the new names
    const [gpu] = parseHealth('0, Active, 4', ['index', 'clocks_throttle_reasons.hw_slowdown', 'pcie.link.gen.current']);
    expect(gpu).toMatchObject({ hwSlowdown: true, linkGen: 4 });
  });
});
