/** --out never clobbers a user's file and never leaves half a file (the step summary: test/unit/ui/step-summary.test.ts). */
import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../../src/bench/write.js';
import { UsageError } from '../../../src/errors.js';

const REPORT = `${JSON.stringify({ schemaVersion: 1, tool: { name: 'gpuctl' }, results: [] })}\n`;

describe('writeReport', () => {
  it('writes a new file, replaces an earlier report only with --force, and leaves no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'out-'));
    await writeReport('r.json', dir, REPORT, false);
    await expect(writeReport('r.json', dir, REPORT.replace('[]', '[1]'), false)).rejects.toThrow('r.json already exists; not overwriting it.');
    await writeReport('r.json', dir, REPORT.replace('[]', '[1]'), true);
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toContain('"results":[1]');
    expect(readdirSync(dir)).toEqual(['r.json']);
  });

  it('never replaces the baseline it is compared with, even with --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'out-'));
    writeFileSync(join(dir, 'main.json'), REPORT);
    await expect(writeReport('./main.json', dir, '{}', true, 'main.json')).rejects.toThrow('is the --baseline it is compared with');
    expect(readFileSync(join(dir, 'main.json'), 'utf8')).toBe(REPORT);
  });

  it('nor through a symbolic link to it (--out latest.json -> main.json), nor through a linked directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'out-'));
    writeFileSync(join(dir, 'main.json'), REPORT);
    symlinkSync('main.json', join(dir, 'latest.json'));
    symlinkSync('.', join(dir, 'here'));
    await expect(writeReport('latest.json', dir, '{}', true, 'main.json')).rejects.toThrow('is the --baseline it is compared with');
    await expect(writeReport('main.json', dir, '{}', true, 'here/main.json')).rejects.toThrow('is the --baseline it is compared with');
    expect(readFileSync(join(dir, 'main.json'), 'utf8')).toBe(REPORT);
  });

  it('refuses to replace another file unless forced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'out-'));
    writeFileSync(join(dir, 'notes.json'), 'my notes');
    await expect(writeReport('notes.json', dir, REPORT, false)).rejects.toThrow(UsageError);
    expect(readFileSync(join(dir, 'notes.json'), 'utf8')).toBe('my notes');
    await writeReport('notes.json', dir, REPORT, true);
    expect(readFileSync(join(dir, 'notes.json'), 'utf8')).toBe(REPORT);
  });

  it('a missing directory is a usage error (checked before writing), exit 2, with no temp file left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'out-'));
    await expect(writeReport('nope/r.json', dir, REPORT, false)).rejects.toSatisfy(
      (e) => e instanceof UsageError && /Cannot write nope\/r\.json: .*nope no such file or directory \(ENOENT\)/.test(e.message),
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});
