/** What the doctor finds on a machine with nothing but Node installed (no driver, nvcc, flyctl or docker): one spelling for its tests. */
import type { DoctorFacts } from '../../../src/doctor/decide.js';

export const NOTHING_INSTALLED: DoctorFacts = {
  nodeVersion: '20.20.2',
  gpu: { kind: 'absent' },
  nvcc: { kind: 'absent' },
  flyctl: { kind: 'absent' },
  flyAuth: { kind: 'skipped' },
  tokenInEnv: false,
  docker: { kind: 'absent' },
  engine: { kind: 'absent' },
};
