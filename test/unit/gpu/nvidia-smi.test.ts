import { describe, expect, it } from 'vitest';
import { invalidField, parseQuery, queryArgs, QUERY_FIELDS } from '../../../src/gpu/nvidia-smi.js';

// The real H200's record (test/fixtures/nvidia-smi/h200-x1) projected onto QUERY_FIELDS; ECC set to [N/A]
// (that capture's query did not ask for it) to exercise the unavailable marker.
const H200 =
  '0, NVIDIA H200, GPU-00000000-1111-2222-3333-444444444444, 00000000:00:06.0, 143771, 0, 9.0, 580.159.04, 700.00, 1980, 3201, Disabled, [N/A], Enabled';

describe('queryArgs', () => {
  it('is one --query-gpu with the fixed field list, CSV without header or units', () => {
    expect(queryArgs()).toEqual([`--query-gpu=${QUERY_FIELDS.join(',')}`, '--format=csv,noheader,nounits']);
    expect(QUERY_FIELDS).toEqual(expect.arrayContaining(['name', 'uuid', 'compute_cap', 'mig.mode.current', 'ecc.mode.current']));
  });
});

describe('parseQuery', () => {
  it('reads a record, with [N/A] as null', () => {
    const parsed = parseQuery(`${H200}\n`);
    expect(parsed).toEqual({
      ok: true,
      gpus: [
        {
          index: 0,
          name: 'NVIDIA H200',
          uuid: 'GPU-00000000-1111-2222-3333-444444444444',
          pciBusId: '00000000:00:06.0',
          memoryMiB: 143771,
          memoryUsedMiB: 0,
          computeCapability: '9.0',
          driverVersion: '580.159.04',
          powerLimitW: 700,
          maxSmClockMHz: 1980,
          maxMemClockMHz: 3201,
          migMode: 'Disabled',
          eccMode: null,
          persistenceMode: 'Enabled',
        },
      ],
    });
  });

  it('reads several GPUs and every bracketed unavailable marker', () => {
    const second = H200.replace(/^0,/, '1,')
      .replace('700.00', '[Not Supported]')
      .replace('1980', '[Unknown Error]')
      .replace('3201', '[Insufficient Permissions]');
    const parsed = parseQuery(`${H200}\r\n${second}\n\n`);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.gpus.map((g) => g.index)).toEqual([0, 1]);
    expect(parsed.gpus[1]).toMatchObject({ powerLimitW: null, maxSmClockMHz: null, maxMemClockMHz: null });
  });

  it.each([
    ['', 'it printed nothing'],
    ['NVIDIA-SMI has failed', '1 fields where 14 were asked for'],
    [H200.replace('143771', 'lots'), 'is not a GPU record'],
    [H200.replace(/^0,/, 'x,'), 'is not a GPU record'],
    [H200.replace('9.0', 'nine'), 'is not a GPU record'],
    [H200.split(', ').slice(0, 7).join(', '), '7 fields where 14'],
  ])('rejects %j', (stdout, reason) => {
    const parsed = parseQuery(stdout);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('follows a shorter field list (after an old driver rejected a field)', () => {
    const fields = QUERY_FIELDS.filter((f) => f !== 'compute_cap');
    const parsed = parseQuery(H200.replace(' 9.0,', ''), fields);
    expect(parsed.ok && parsed.gpus[0]?.computeCapability).toBeNull();
  });
});

describe('invalidField', () => {
  it('names the field an old nvidia-smi rejects', () => {
    expect(invalidField('Field "compute_cap" is not a valid field to query.\n')).toBe('compute_cap');
    expect(invalidField('No devices were found')).toBeUndefined();
  });
});
