/** The one reader of fly.toml: strict UTF-8, one problem text, the typed model. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, parseFlyToml, parseFlyTomlBytes, readFlyTomlSync } from '../../../src/flyio/fly-toml.js';
import { validateFiles } from '../../../src/validate/index.js';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('decodeUtf8', () => {
  it('passes UTF-8 (multi-byte characters too) and finds the first bad byte with its line and column', () => {
    expect(decodeUtf8(bytes('app = "café ✓"\n'))).toEqual({ ok: true, text: 'app = "café ✓"\n' });
    const bad = decodeUtf8(bytes('app = "x"\n# é\nkill_signal = "SIG', [0xe9], 'INT"\n'));
    expect(bad).toEqual({
      ok: false,
      problem: { line: 3, column: 19, message: 'Not UTF-8: byte 0xe9 is not valid UTF-8 (save the file as UTF-8)' },
    });
    // A truncated multi-byte sequence at the end of the file.
    expect(decodeUtf8(bytes('a = 1\n', [0xe2, 0x9c]))).toMatchObject({ ok: false, problem: { line: 2, column: 1 } });
  });
});

describe('parseFlyToml', () => {
  it('gives the document, the model and line numbers', () => {
    const parsed = parseFlyToml('app = "q"\nprimary_region = "ord"\n[[vm]]\n  size = "l40s"\n  processes = ["app"]\n');
    expect(parsed.ok && parsed.model).toMatchObject({ app: 'q', primaryRegion: 'ord', vms: [{ size: 'l40s', processes: ['app'] }] });
    expect(parsed.ok && parsed.at(['vm', 0, 'size'])).toEqual({ line: 4, column: 3 });
  });

  it('a TOML error is one problem with one text, at its line and column', () => {
    const parsed = parseFlyToml('app = "x"\n[http_service\n');
    expect(parsed).toMatchObject({ ok: false, problem: { line: 2, column: 14 } });
    expect(!parsed.ok && parsed.problem.message).toMatch(/^Not valid TOML: /);
  });
});

describe('invalid UTF-8 in fly.toml', () => {
  it('is the toml-syntax error at the byte, from a file on disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-fly-toml-'));
    const path = join(dir, 'fly.toml');
    const raw = bytes('app = "x"\nprimary_region = "ord"\n[env]\n  NAME = "Jos', [0xe9], '"\n');
    writeFileSync(path, raw);
    const read = readFlyTomlSync(path);
    expect(read).toMatchObject({ ok: false, problem: { line: 4, column: 14 } });
    const findings = validateFiles({ flyToml: { path: 'fly.toml', text: raw.toString('utf8'), bytes: raw } });
    expect(findings).toEqual([
      expect.objectContaining({
        id: 'toml-syntax',
        severity: 'error',
        line: 4,
        column: 14,
        message: expect.stringMatching(/^Not UTF-8: byte 0xe9/) as unknown as string,
      }),
    ]);
    // The same text without the bytes (already decoded, U+FFFD in place) was read as valid before.
    expect(validateFiles({ flyToml: { path: 'fly.toml', text: raw.toString('utf8') } }).map((f) => f.id)).not.toContain('toml-syntax');
    expect(parseFlyTomlBytes(bytes('app = "x"\n')).ok).toBe(true);
  });
});
