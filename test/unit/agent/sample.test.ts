import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSampleLine, SAMPLE_FIELDS, sampleArgs } from '../../../src/agent/sample.js';
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
    ['garbage', '\u001b[31m<html><body>502 Bad Gateway</body></html>'],
    ['a driver error', 'Unable to determine the device handle for GPU0000:00:06.0: Unknown Error'],
    ['too few fields', '0, GPU-x'],
    ['a number that is not', H200_LINE.replace(', 43, ', ', hot, ')],
    ['a bad pstate', H200_LINE.replace(', P0, ', ', PX, ')],
  ])('rejects %s with a reason', (_what, line) => {
    const parsed = parseSampleLine(line, H200_FIELDS);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).not.toBe('');
  });

  it('asks only for fields the real nvidia-smi knows, looping with -lms', () => {
    const known = new Set([...HELP.matchAll(/"([^"]+)"/g)].map((m) => m[1]));
    expect(SAMPLE_FIELDS.filter((f) => !known.has(f))).toEqual([]);
    expect(sampleArgs(['index', 'uuid'], 5000)).toEqual(['--query-gpu=index,uuid', '--format=csv,noheader,nounits', '-lms', '5000']);
  });
});
