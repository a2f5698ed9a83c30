/** The pure nvidia-smi sample parser (src/gpu/smi-sample.ts): the agent's and the monitor's. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSampleLine, SAMPLE_FIELDS, sampleArgs } from '../../../src/gpu/smi-sample.js';
import { FIXTURES } from '../../helpers/cli.js';

// The H200 capture's own query (test/fixtures/nvidia-smi/h200-x1/README.md) and its real answer.
const H200_FIELDS =
  'index,uuid,name,pci.bus_id,driver_version,memory.total,memory.used,memory.free,utilization.gpu,utilization.memory,temperature.gpu,power.draw,power.limit,clocks.sm,clocks.max.sm,clocks.mem,clocks.max.mem,compute_cap,pstate,ecc.errors.uncorrected.volatile.total,persistence_mode,mig.mode.current'.split(
    ',',
  );
const H200_LINE = readFileSync(join(FIXTURES, 'nvidia-smi/h200-x1/query.csv'), 'utf8').trim();
const HELP = readFileSync(join(FIXTURES, 'nvidia-smi/h200-x1/help-query-gpu.txt'), 'utf8');

describe('parseSampleLine', () => {
  it('reads the real H200 answer', () => {
    const parsed = parseSampleLine(H200_LINE, H200_FIELDS);
    expect(parsed).toMatchObject({
      ok: true,
      sample: {
        index: 0,
        uuid: 'GPU-00000000-1111-2222-3333-444444444444',
        name: 'NVIDIA H200',
        memoryTotalMiB: 143771,
        memoryUsedMiB: 0,
        memoryFreeMiB: 143156,
        utilGpuPct: 0,
        temperatureC: 43,
        powerDrawW: 130.77,
        powerLimitW: 700,
        smClockMHz: 1980,
        memClockMHz: 3201,
        pstate: 0,
        eccUncorrectedVolatile: 0,
        retiredPending: null,
      },
    });
  });

  it('reads throttle reasons, the bitmask and pending flags', () => {
    const fields = [
      'index',
      'uuid',
      'name',
      'clocks_throttle_reasons.active',
      'clocks_throttle_reasons.hw_thermal_slowdown',
      'retired_pages.pending',
      'remapped_rows.pending',
    ];
    const parsed = parseSampleLine('3, GPU-abc, NVIDIA H100 80GB HBM3, 0x0000000000000040, Active, [N/A], Yes', fields);
    expect(parsed).toMatchObject({
      ok: true,
      sample: {
        index: 3,
        throttleMask: 0x40,
        throttle: { hw_thermal_slowdown: true, sw_power_cap: null },
        retiredPending: null,
        remapPending: true,
      },
    });
  });

  it.each([
    ['garbage', '\u001b[31m<html><body>502 Bad Gateway</body></html>', /^1 fields where 22 were asked for: ".\[31m<html>/],
    ['a driver error', 'Unable to determine the device handle for GPU0000:00:06.0: Unknown Error', /^1 fields where 22/],
    ['too few fields', '0, GPU-x', /^2 fields where 22 were asked for: "0, GPU-x"$/],
    ['too many fields', `${H200_LINE}, 7`, /^23 fields where 22/],
    ['a number that is not', H200_LINE.replace(', 43, ', ', hot, '), /^temperature\.gpu is "hot", not a number: "0, GPU-/],
    ['a bad pstate', H200_LINE.replace(', P0, ', ', PX, '), /^pstate is "PX": /],
    ['a pstate with three digits', H200_LINE.replace(', P0, ', ', P123, '), /^pstate is "P123": /],
    ['a negative index', H200_LINE.replace(/^0, /, '-1, '), /^index is not a GPU index: /],
    ['a fractional index', H200_LINE.replace(/^0, /, '0.5, '), /^index is not a GPU index: /],
    ['no uuid', H200_LINE.replace(/GPU-[0-9a-f-]+/, '[N/A]'), /^no uuid or name: /],
    ['no name', H200_LINE.replace('NVIDIA H200', '[N/A]'), /^no uuid or name: /],
  ])('rejects %s with a reason', (_what, line, reason) => {
    const parsed = parseSampleLine(line, H200_FIELDS);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('reads every field into its own place (each field a different value)', () => {
    const text: Record<string, string> = {
      index: '2',
      uuid: 'GPU-u',
      name: 'NVIDIA H100',
      'pci.bus_id': '00000000:00:06.0',
      pstate: 'P3',
      'clocks_throttle_reasons.active': '0x4',
      'clocks_throttle_reasons.hw_thermal_slowdown': 'Active',
      'clocks_throttle_reasons.sw_thermal_slowdown': 'Not Active',
      'clocks_throttle_reasons.hw_power_brake_slowdown': '[N/A]',
      'clocks_throttle_reasons.sw_power_cap': 'Active',
      'retired_pages.pending': 'No',
      'remapped_rows.pending': 'Yes',
      'remapped_rows.failure': 'No',
    };
    const line = SAMPLE_FIELDS.map((f, i) => text[f] ?? String(100 + i)).join(', ');
    const parsed = parseSampleLine(line, SAMPLE_FIELDS);
    expect(parsed).toEqual({
      ok: true,
      sample: {
        index: 2,
        uuid: 'GPU-u',
        name: 'NVIDIA H100',
        pciBusId: '00000000:00:06.0',
        utilGpuPct: 104,
        utilMemoryPct: 105,
        utilEncoderPct: 106,
        utilDecoderPct: 107,
        memoryTotalMiB: 108,
        memoryUsedMiB: 109,
        memoryFreeMiB: 110,
        temperatureC: 111,
        memoryTemperatureC: 112,
        powerDrawW: 113,
        powerLimitW: 114,
        smClockMHz: 115,
        memClockMHz: 116,
        maxSmClockMHz: 117,
        pstate: 3,
        throttleMask: 4,
        throttle: { hw_thermal_slowdown: true, sw_thermal_slowdown: false, hw_power_brake_slowdown: null, sw_power_cap: true },
        eccCorrectedVolatile: 124,
        eccUncorrectedVolatile: 125,
        retiredSbe: 126,
        retiredDbe: 127,
        retiredPending: false,
        remappedCorrectable: 129,
        remappedUncorrectable: 130,
        remapPending: true,
        remapFailure: false,
        linkGen: 133,
        linkGenMax: 134,
        linkWidth: 135,
        linkWidthMax: 136,
      },
    });
  });

  it('rejects a bad flag or bitmask; reads P12 and an upper-case mask; quotes at most 80 characters of a line', () => {
    const fields = ['index', 'uuid', 'name', 'pstate', 'clocks_throttle_reasons.active', 'remapped_rows.pending'];
    const line = (pstate: string, mask: string, flag: string) => `0, GPU-a, H200, ${pstate}, ${mask}, ${flag}`;
    expect(parseSampleLine(line('P12', '0x00000000000000AB', 'No'), fields)).toMatchObject({
      ok: true,
      sample: { pstate: 12, throttleMask: 0xab, remapPending: false },
    });
    expect(parseSampleLine(line('P0', '0x0', 'Maybe'), fields)).toEqual({
      ok: false,
      reason: 'remapped_rows.pending is "Maybe", not Yes/No: "0, GPU-a, H200, P0, 0x0, Maybe"',
    });
    expect(parseSampleLine(line('P0', '4', 'No'), fields)).toMatchObject({ ok: false, reason: /^clocks_throttle_reasons\.active is "4"/ });
    const long = parseSampleLine(`0, GPU-a, ${'x'.repeat(200)}, P0, 0x0, Maybe`, fields);
    expect(!long.ok && long.reason.length).toBe('remapped_rows.pending is "Maybe", not Yes/No: ""'.length + 80);
  });

  it('asks only for fields the real nvidia-smi knows, looping with -lms', () => {
    const known = new Set([...HELP.matchAll(/"([^"]+)"/g)].map((m) => m[1]));
    expect(SAMPLE_FIELDS.filter((f) => !known.has(f))).toEqual([]);
    expect(sampleArgs(['index', 'uuid'], 5000)).toEqual(['--query-gpu=index,uuid', '--format=csv,noheader,nounits', '-lms', '5000']);
  });
});
