/** compose.yaml's GPU reservation: each way it can be missing or wrong, with its line. */
import { expect, test } from 'vitest';
import { composeRules } from '../../../src/validate/compose-rules.js';

const service = (deploy: string, env = 'GPUCTL_DEVICE: cuda') =>
  `services:\n  app:\n    build: .\n    environment:\n      ${env}\n${deploy}`;
const devices = (request: string) => `    deploy:\n      resources:\n        reservations:\n          devices:\n${request}`;

test.each([
  [
    'count and device_ids together',
    devices("            - driver: nvidia\n              count: 1\n              device_ids: ['0']\n              capabilities: [gpu]\n"),
    'count and device_ids exclude each other',
    12,
  ],
  ['no capabilities', devices('            - driver: nvidia\n              count: all\n'), 'capabilities is missing', 10],
  [
    'capabilities without gpu',
    devices('            - driver: nvidia\n              count: all\n              capabilities: [utility]\n'),
    'do not include gpu',
    12,
  ],
  [
    'another driver',
    devices('            - driver: amd\n              count: all\n              capabilities: [gpu]\n'),
    'driver "amd" is not nvidia',
    10,
  ],
  [
    'count 0',
    devices('            - driver: nvidia\n              count: 0\n              capabilities: [gpu]\n'),
    'count 0 is neither',
    11,
  ],
  [
    'empty device_ids',
    devices('            - driver: nvidia\n              device_ids: []\n              capabilities: [gpu]\n'),
    'device_ids must be a non-empty list',
    11,
  ],
])('invalid: %s', (_, deploy, message, line) => {
  const findings = composeRules('compose.yaml', service(deploy));
  expect(findings.map((f) => f.id)).toEqual(['compose-gpu-reservation-invalid']);
  expect(findings[0]?.message).toContain(message);
  expect(findings[0]).toMatchObject({ line, severity: 'error' });
});

test('a GPU service without a reservation is an error at its name; count: all with [gpu] is clean', () => {
  expect(composeRules('c.yaml', service(''))).toMatchObject([
    { id: 'compose-gpu-reservation-missing', severity: 'error', line: 2, column: 3 },
  ]);
  expect(
    composeRules('c.yaml', service(devices('            - driver: nvidia\n              count: all\n              capabilities: [gpu]\n'))),
  ).toEqual([]);
});

test('a GPU service given as a KEY=value list is found too, with an error (not the warning)', () => {
  const findings = composeRules('c.yaml', 'services:\n  app:\n    environment:\n      - GPUCTL_DEVICE=cuda\n  web:\n    image: nginx\n');
  expect(findings).toMatchObject([{ id: 'compose-gpu-reservation-missing', severity: 'error', line: 2 }]);
});

test('no service says cuda and none reserves a GPU: one warning', () => {
  const findings = composeRules('c.yaml', 'services:\n  web:\n    image: nginx\n');
  expect(findings).toMatchObject([{ id: 'compose-gpu-reservation-missing', severity: 'warning', line: 2 }]);
});

test('not YAML, or no services: compose-syntax with the position', () => {
  expect(composeRules('c.yaml', 'services:\n  app: [\n')).toMatchObject([{ id: 'compose-syntax', line: 2 }]);
  expect(composeRules('c.yaml', 'version: "3"\n')).toMatchObject([{ id: 'compose-syntax' }]);
});
