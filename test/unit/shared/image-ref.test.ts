/** The image reference grammar (distribution/reference's regexp.go), the one check for every image name. */
import { expect, test } from 'vitest';
import { checkImageRef, imageRefProblem } from '../../../src/shared/image-ref.js';

const HEX64 = 'a'.repeat(64);

test.each([
  'python:3.12-slim',
  'ubuntu',
  'nvidia/cuda:12.3.2-runtime-ubuntu22.04',
  'registry.fly.io/my-model:deployment-01H8ZK2QX',
  'localhost:5000/team/app:v1',
  'Registry.Example.COM:443/a/b:Tag_1',
  '[::1]:5000/app',
  `app@sha256:${HEX64}`,
  `ghcr.io/org/app:v2@sha256:${HEX64}`,
  'a__b/c---d/e.f_g:1',
  `x:${'t'.repeat(128)}`,
])('%s is an image reference', (ref) => {
  expect(imageRefProblem(ref)).toBeNull();
  expect(checkImageRef(ref, '--image')).toBe(ref);
});

test.each([
  ['', /empty/],
  ['--help', /starts with "-"/],
  ['--config=/etc/passwd', /starts with "-"/],
  ['-x', /starts with "-"/],
  ['my app', /white space/],
  ['app\n--org=evil', /white space/],
  ['Ubuntu', /must be lowercase/],
  ['ghcr.io/Org/app', /must be lowercase/],
  ['app:-tag', /reference format/],
  [`app:${'t'.repeat(129)}`, /reference format/],
  ['app@sha256:abc', /reference format/],
  ['a..b', /reference format/],
  ['a/', /reference format/],
  [':latest', /reference format/],
  ['app\u001b]52;c;x\u0007', /reference format/],
  [`${'a'.repeat(250)}/${'b'.repeat(10)}`, /longer than 255/],
])('%j is not: %s', (ref, why) => {
  expect(imageRefProblem(ref)).toMatch(why);
  expect(() => checkImageRef(ref, '--image')).toThrow(/--image .* is not a container image reference/);
});
