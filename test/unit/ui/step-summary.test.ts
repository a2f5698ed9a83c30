/** The one GITHUB_STEP_SUMMARY appender: appends (never truncates), redacts, and a failed write is a warning. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendStepSummary } from '../../../src/ui/step-summary.js';
import { makeTestCtx } from '../../helpers/ctx.js';

describe('appendStepSummary', () => {
  it('appends, never truncates, and redacts the token', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sum-')), 'summary.md');
    writeFileSync(file, 'before\n');
    const ctx = makeTestCtx({ env: { GITHUB_STEP_SUMMARY: file, FLY_API_TOKEN: 'FlyV1 fm2_secret-token-value' } });
    await appendStepSummary(ctx, () => 'after FlyV1 fm2_secret-token-value\n');
    expect(readFileSync(file, 'utf8')).toBe('before\nafter [REDACTED]\n');
    expect(ctx.err()).toBe('');
  });

  it('does nothing (and renders nothing) without GITHUB_STEP_SUMMARY', async () => {
    const ctx = makeTestCtx();
    let rendered = false;
    await appendStepSummary(ctx, () => ((rendered = true), 'x'));
    expect(rendered).toBe(false);
    expect(ctx.err()).toBe('');
  });

  it('a file that cannot be written is a warning naming it, never a failure', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sum-')), 'missing-dir', 'summary.md');
    const ctx = makeTestCtx({ env: { GITHUB_STEP_SUMMARY: file } });
    await expect(appendStepSummary(ctx, () => 'x\n')).resolves.toBeUndefined();
    expect(ctx.err()).toBe(`Warning: Could not append to GITHUB_STEP_SUMMARY (${file}).\n`);
  });
});
