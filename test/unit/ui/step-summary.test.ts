/**
 * The one GITHUB_STEP_SUMMARY appender (issue 22): deploy, loadtest, health, validate, diag and bench use it.
 * It appends (never truncates), redacts, and a summary it cannot write is a warning, not the command's failure
 * (bench's own appender let the error through: "unexpected error, please report").
 * Moved here from test/unit/bench/write.test.ts ('appendSummary: appends, never truncates') with bench's appender.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendStepSummary } from '../../../src/ui/step-summary.js';
import { makeTestCtx } from '../../helpers/ctx.js';

describe('appendStepSummary', () => {
  it('appends, never truncates, redacted', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sum-')), 'summary.md');
    writeFileSync(file, 'before\n');
    const ctx = makeTestCtx({ env: { GITHUB_STEP_SUMMARY: file, FLY_API_TOKEN: 'fm2_secret_token_value' } });
    await appendStepSummary(ctx, () => 'after fm2_secret_token_value\n');
    expect(readFileSync(file, 'utf8')).toBe('before\nafter [REDACTED]\n');
  });

  it('a summary it cannot write is a warning, and the markdown is not even rendered without the variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sum-'));
    const ctx = makeTestCtx({ env: { GITHUB_STEP_SUMMARY: join(dir, 'missing', 'summary.md') } });
    await expect(appendStepSummary(ctx, () => 'x\n')).resolves.toBeUndefined();
    expect(ctx.err()).toMatch(/^Warning: Could not append to GITHUB_STEP_SUMMARY/);
    let rendered = false;
    await appendStepSummary(makeTestCtx(), () => ((rendered = true), 'x'));
    expect(rendered).toBe(false);
  });
});
