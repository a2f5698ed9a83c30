/** The doctor's check list is spelled once (doctor/checks.ts): the rows and --require follow it (issue 22). */
import { expect, it } from 'vitest';
import { parseRequire } from '../../../src/commands/doctor.js';
import { CHECK_IDS, OPTIONAL_CHECKS } from '../../../src/doctor/checks.js';
import { decideDoctor, type DoctorFacts } from '../../../src/doctor/decide.js';

const facts: DoctorFacts = {
  nodeVersion: '20.20.2',
  gpu: { kind: 'absent' },
  nvcc: { kind: 'absent' },
  flyctl: { kind: 'absent' },
  flyAuth: { kind: 'skipped' },
  tokenInEnv: false,
  docker: { kind: 'absent' },
};

it('the doctor prints one row per listed check, in the listed order', () => {
  expect(decideDoctor(facts).map((r) => r.id)).toEqual([...CHECK_IDS]);
});

it('--require takes exactly the optional checks, and names them when it refuses one', () => {
  expect(parseRequire(OPTIONAL_CHECKS.join(','))).toEqual([...OPTIONAL_CHECKS]);
  expect(() => parseRequire('node')).toThrow('Unknown check for --require: node.');
  expect(() => parseRequire('node')).toThrow(expect.objectContaining({ hint: `Choose from ${OPTIONAL_CHECKS.join(', ')}.` }) as Error);
});
