import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeJson, decodeOrThrow } from '../../../src/flyio/decode.js';
import { statusSchema } from '../../../src/flyio/schemas.js';
import { ToolError } from '../../../src/errors.js';

const status = readFileSync(new URL('../../fixtures/flyctl/status.json', import.meta.url), 'utf8');

describe('decodeJson', () => {
  it('reads a whole answer', () => {
    const decoded = decodeJson(status, statusSchema);
    expect(decoded.ok && decoded.value.machines.length).toBe(2);
  });

  it('says the JSON was cut short when it ends early', () => {
    const cut = status.slice(0, 700);
    const decoded = decodeJson(cut, statusSchema);
    expect(decoded).toEqual({ ok: false, reason: `its JSON ends early (truncated after ${cut.trim().length} characters)` });
  });

  it('says it is not JSON, quoting the start', () => {
    const decoded = decodeJson('<html>502 Bad Gateway</html>', statusSchema);
    expect(decoded).toEqual({ ok: false, reason: 'it printed something that is not JSON: "<html>502 Bad Gateway</html>"' });
  });

  it('says it printed nothing', () => {
    expect(decodeJson('\n', statusSchema)).toEqual({ ok: false, reason: 'it printed nothing' });
  });

  it('names the path of a wrongly shaped field', () => {
    const data = JSON.parse(status) as { Machines: Array<Record<string, unknown>> };
    data.Machines[1]!.region = 42;
    const decoded = decodeJson(JSON.stringify(data), statusSchema);
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.reason).toMatch(/^its JSON has an unexpected shape at Machines\[1\]\.region: /);
  });

  it('throws a ToolError naming the command', () => {
    expect(() => decodeOrThrow('flyctl status --app q --json', '{"Name": "q",', statusSchema)).toThrow(ToolError);
    expect(() => decodeOrThrow('flyctl status --app q --json', '{"Name": "q",', statusSchema)).toThrow(
      '`flyctl status --app q --json` gave an answer gpuctl cannot read: its JSON ends early (truncated after 13 characters).',
    );
  });
});
