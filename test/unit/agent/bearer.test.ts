/** The agent's /metrics token check (server.ts bearerMatches): what a scraper or `monitor --agent` sends. */
import { describe, expect, it } from 'vitest';
import { bearerMatches } from '../../../src/agent/server.js';

describe('bearerMatches', () => {
  it('accepts the token as monitor --agent and a Prometheus scrape config send it, and nothing else', () => {
    expect(bearerMatches('Bearer s3cret', 's3cret')).toBe(true);
    expect(bearerMatches('bearer   s3cret  ', 's3cret')).toBe(true);
    expect(bearerMatches('Bearer s3cre', 's3cret')).toBe(false);
    expect(bearerMatches('Basic s3cret', 's3cret')).toBe(false);
    expect(bearerMatches(undefined, 's3cret')).toBe(false);
    expect(bearerMatches('Bearer ', 's3cret')).toBe(false);
  });

  it('accepts a token with a space inside (a Fly macaroon "FlyV1 fm2_…" reused as the agent token): before, none could ever match', () => {
    const token = 'FlyV1 fm2_lJPECAAAAAAAAMq';
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches('Bearer FlyV1', token)).toBe(false);
    expect(bearerMatches('Bearer fm2_lJPECAAAAAAAAMq', token)).toBe(false);
  });
});
