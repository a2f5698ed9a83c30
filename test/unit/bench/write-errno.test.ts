/** A write that fails at the filesystem says why in words, as every other gpuctl write does (shared/make-dirs.ts describeErrno). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FailedError } from '../../../src/errors.js';
import type * as AtomicWrite from '../../../src/shared/atomic-write.js';

vi.mock('../../../src/shared/atomic-write.js', async (original) => ({
  ...(await original<typeof AtomicWrite>()),
  writeFileAtomic: () => {
    throw Object.assign(new Error("EROFS: read-only file system, open '/mnt/ro/r.json.tmp'"), { code: 'EROFS' });
  },
}));

describe('writeReport on a filesystem that refuses the write', () => {
  it('names the reason and its code, not the code alone', async () => {
    const { writeReport } = await import('../../../src/bench/write.js');
    const error = await writeReport('r.json', mkdtempSync(join(tmpdir(), 'out-')), '{}\n', false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FailedError);
    expect((error as FailedError).message).toBe('Cannot write r.json: read-only file system (EROFS).');
  });
});
