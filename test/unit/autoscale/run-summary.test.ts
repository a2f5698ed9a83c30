import { describe, expect, it } from 'vitest';
import { renderRunSummary } from '../../../src/autoscale/render.js';

describe('renderRunSummary: the last line of a run of several decisions', () => {
  it('names how many failed and which, or that none did', () => {
    expect(renderRunSummary(3, [])).toBe('3 decisions, none failed.');
    expect(renderRunSummary(1, [])).toBe('1 decision, none failed.');
    expect(renderRunSummary(5, [1, 4])).toBe('2 of 5 decisions failed (#1, #4): exit 1.');
  });
});
