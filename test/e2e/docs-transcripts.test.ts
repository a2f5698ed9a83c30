/**
 * The transcripts in docs/ and README.md are what the commands print now (issue 19 item 8): scripts/docs-transcripts.mjs
 * re-runs each with the built CLI and the repo's fakes, and --check fails on any committed transcript that differs
 * (paths and times normalised), and on any transcript that is neither re-run nor marked as a capture.
 * `npm run docs:transcripts` rewrites them.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/** docs/*.md and README.md under a temporary root, for DOCS_ROOT. */
function docsCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'gpuctl-docs-'));
  cpSync(join(ROOT, 'docs'), join(root, 'docs'), { recursive: true, filter: (src) => !src.includes('captures') });
  cpSync(join(ROOT, 'README.md'), join(root, 'README.md'));
  return root;
}

const check = (env: Record<string, string> = {}) =>
  execa(process.execPath, [join(ROOT, 'scripts/docs-transcripts.mjs'), '--check'], { cwd: ROOT, reject: false, timeout: 90_000, env });

describe('docs transcripts', () => {
  test('every committed transcript matches what its command prints now', async () => {
    const run = await check();
    expect(run.exitCode, run.stderr).toBe(0);
  }, 120_000);

  test('a transcript that no longer matches (a file line missing, as init once printed 5 files for 6) fails the check, naming it', async () => {
    const root = docsCopy();
    const page = join(root, 'docs/init-validate.md');
    const text = readFileSync(page, 'utf8');
    expect(text).toContain('  create  .gpuctl/gpuctl.tgz\n');
    writeFileSync(page, text.replace('  create  .gpuctl/gpuctl.tgz\n', ''));
    const run = await check({ DOCS_ROOT: root, TRANSCRIPTS_DOCS: 'docs/init-validate.md' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      'docs/init-validate.md: "$ gpuctl init --yes --workload batch --vm-size performance-4x" differs from what it prints now',
    );
  }, 120_000);

  test('a transcript that no scenario re-runs and no marker calls a capture fails the check; a marked one is listed', async () => {
    const root = docsCopy();
    const page = join(root, 'docs/smoke.md');
    writeFileSync(page, `${readFileSync(page, 'utf8')}\n\`\`\`console\n$ gpuctl smoke --json\nmade up\n\`\`\`\n`);
    const run = await check({ DOCS_ROOT: root, TRANSCRIPTS_DOCS: 'docs/smoke.md' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('docs/smoke.md: "$ gpuctl smoke --json" is neither re-run');
    // The page's real podman run is marked, and listed as a capture.
    expect(run.stdout).toContain('docs/smoke.md: $ gpuctl smoke --loadtest 3s,20  (capture, podman 4.3.1');
  }, 120_000);
});
