/** [[mounts]] sizes that flyctl's validateMounts refuses before deploying. */
import { expect, test } from 'vitest';
import { sizeGb } from '../../../src/validate/fly-mount-rules.js';
import { validateFiles } from '../../../src/validate/index.js';

const mount = (keys: string) => `app = "api"\n[[mounts]]\n  source = "models"\n  destination = "/models"\n${keys}\n`;
const found = (keys: string) =>
  validateFiles({ flyToml: { path: 'fly.toml', text: mount(keys) } })
    .filter((f) => f.id === 'mount-size-invalid')
    .map((f) => [f.line, f.message]);

test('sizes read as flyctl reads them: an integer is GB, units are decimal, whole GB', () => {
  expect([
    sizeGb(30),
    sizeGb('30'),
    sizeGb('30GB'),
    sizeGb('1.5gb'),
    sizeGb('500mb'),
    sizeGb('999MB'),
    sizeGb('1tb'),
    sizeGb('lots'),
  ]).toEqual([30, 30, 30, 1, 0, 0, 1000, null]);
});

test('an initial_size under 1GB', () => {
  expect(found('  initial_size = "500mb"')).toEqual([[5, expect.stringContaining('initial_size "500mb", which is smaller than 1GB')]]);
  expect(found('  initial_size = "1gb"')).toEqual([]);
});

test('auto-extend: all three or none, threshold 50-99, increment 1-100 GB, limit up to 500 GB', () => {
  expect(found('  auto_extend_size_threshold = 80')).toEqual([[5, expect.stringContaining('must be all defined or none')]]);
  expect(found('  auto_extend_size_increment = "10gb"\n  auto_extend_size_limit = "100gb"')).toEqual([
    [2, expect.stringContaining('auto_extend_size_threshold must be between 50 and 99')],
  ]);
  expect(
    found('  auto_extend_size_threshold = 80\n  auto_extend_size_increment = "200gb"\n  auto_extend_size_limit = "1tb"').map((f) => f[1]),
  ).toEqual([
    "mount 'models' auto_extend_size_increment must be between 1GB and 100GB.",
    "mount 'models' auto_extend_size_limit must be between 1GB and 500GB.",
  ]);
  expect(found('  auto_extend_size_threshold = 80\n  auto_extend_size_increment = "10gb"\n  auto_extend_size_limit = "500gb"')).toEqual([]);
});
