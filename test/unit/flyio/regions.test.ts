import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { assertKnownRegions, BUILT_IN_REGIONS, nearRegions, unknownRegion, type RegionList } from '../../../src/flyio/regions.js';

describe('the region list', () => {
  it('names the nearest known codes for a typo', () => {
    expect(nearRegions('ordd')).toEqual(['ord']);
    expect(nearRegions('xyz')).toEqual(['yyz']);
    expect(nearRegions('IAD')).toEqual(['iad']);
    expect(nearRegions('qqqqqq')).toEqual([]);
  });

  it('one refusal for every command, saying which list it used', () => {
    expect(unknownRegion('xyz')).toEqual({
      message: 'Unknown Fly.io region "xyz".',
      hint: expect.stringMatching(/^Did you mean yyz\? Known regions \(gpuctl's built-in list\): ams, arn, /) as string,
    });
    const fromFly: RegionList = { regions: [{ code: 'ord', name: 'Chicago' }], source: 'flyctl', fetchedAt: '2026-11-20T10:00:00.000Z' };
    expect(unknownRegion('ams', fromFly).hint).toBe('Known regions (flyctl platform regions, 2026-11-20): ord.');
  });

  it('assertKnownRegions throws a usage error (exit 2) on the first unknown code', () => {
    expect(() => assertKnownRegions(['ord', 'iad'])).not.toThrow();
    expect(() => assertKnownRegions(['ord', 'xyz', 'abc'])).toThrow(UsageError);
    expect(() => assertKnownRegions(['ord', 'xyz'])).toThrow('Unknown Fly.io region "xyz".');
    expect(BUILT_IN_REGIONS.regions).toHaveLength(18);
  });
});
