/** The doctor's check list is spelled once (doctor/checks.ts): the rows and --require follow it (issue 22). */
import { expect, it } from 'vitest';
import { parseRequire } from '../../../src/commands/doctor.js';
import { CHECK_IDS, OPTIONAL_CHECKS } from '../../../src/doctor/checks.js';
import { decideDoctor } from '../../../src/doctor/decide.js';
import { NOTHING_INSTALLED as facts } from './facts.js';

it('the doctor prints one row per listed check, in the listed order', () => {
  expect(decideDoctor(facts).map((r) => r.id)).toEqual([...CHECK_IDS]);
});

it('--require takes exactly the optional checks, and names them when it refuses one', () => {
  expect(parseRequire(OPTIONAL_CHECKS.join(','))).toEqual([...OPTIONAL_CHECKS]);
  expect(() => parseRequire('node')).toThrow('Unknown check for --require: node.');
  // an empty list (CI's `--require "$CHECKS"` with CHECKS unset) required nothing, and the gate passed
  expect(() => parseRequire('')).toThrow('--require "" names no check.');
  expect(() => parseRequire(' , ')).toThrow('names no check');
  expect(parseRequire(undefined)).toEqual([]);
  expect(() => parseRequire('node')).toThrow(expect.objectContaining({ hint: `Choose from ${OPTIONAL_CHECKS.join(', ')}.` }) as Error);
});
