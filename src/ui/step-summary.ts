/**
 * GitHub Actions' step summary: when GITHUB_STEP_SUMMARY names a file, a command appends its markdown
 * there (never truncates it), redacted like everything gpuctl prints. A summary that cannot be written
 * is a warning, never the command's failure (deploy's way, shared by validate and health).
 */
import type { Ctx } from '../context.js';
import { UsageError } from '../errors.js';
import { appendRegularFile } from '../shared/regular-file.js';

export async function appendStepSummary(ctx: Ctx, markdown: () => string): Promise<void> {
  const file = ctx.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  await appendRegularFile(file, ctx.redact(markdown())).catch((error: unknown) =>
    ctx.log.warn(`Could not append to GITHUB_STEP_SUMMARY (${file})${error instanceof UsageError ? `: ${error.message}` : '.'}`),
  );
}
