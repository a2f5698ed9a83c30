/** issue 18: redaction ran on serialised JSON, where a token holding " or \ appears escaped and was missed. */
import { expect, test } from 'vitest';
import { makeRedactor } from '../../../src/context.js';
import { jsonText } from '../../../src/ui/output.js';

test.each(['fo1_ab"cd', 'fo1_ab\\cd', 'fo1_"\\"\\'])('a token %j is redacted in --json output too', (token) => {
  const redact = makeRedactor([token]);
  const out = redact(jsonText({ message: `flyctl said: ${token}` }));
  expect(out).not.toContain(JSON.stringify(token).slice(1, -1));
  expect(out).toContain('[REDACTED]');
  expect(redact(`plain ${token}`)).toBe('plain [REDACTED]');
});
