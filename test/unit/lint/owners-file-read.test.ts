/**
 * Files are read through shared/regular-file.ts (fileReadRule): a non-blocking open of a regular file only. The agent
 * once read GPUCTL_DIAG_STATE with readFileSync, and a FIFO there froze it on the next scrape. And the repo's own config has it on.
 */
import { ESLint, type Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { lint, loadConfig, messages, REPO, removeTrees } from './owner-lint.js';

afterAll(removeTrees);

describe('files are read through shared/regular-file.ts (docs/guarantees.md: only regular files read)', () => {
  it('reports readFile, readFileSync, createReadStream and whole-module fs imports anywhere but the owners; other fs calls stay allowed', async () => {
    const reads = [
      "import { readFileSync, statSync } from 'node:fs';",
      "import { readFile } from 'node:fs/promises';",
      "import * as fs from 'fs';",
      "export const r = (p: string): unknown => [readFileSync(p, 'utf8'), statSync(p), readFile(p), fs.createReadStream(p)];",
      '',
    ].join('\n');
    const stat = "import { statSync } from 'node:fs';\nexport const s = (p: string): unknown => statSync(p);\n";
    const rules = await lint(
      { 'src/agent/diag-state.ts': reads, 'src/smoke/layout.ts': stat, 'src/shared/regular-file.ts': reads },
      'fileReadRule',
    );
    expect(rules).toEqual({
      'src/agent/diag-state.ts': Array(3).fill('gpuctl-file-read/owner'),
      'src/shared/regular-file.ts': [],
      'src/smoke/layout.ts': [],
    });
    expect(messages()['src/agent/diag-state.ts']![0]).toContain('files are read through src/shared/regular-file.ts');
  }, 60_000);

  it("the repo's own config has it on, off for its owners", async () => {
    const { FILE_READ_OWNERS } = await loadConfig();
    const eslint = new ESLint({ cwd: REPO });
    const rule = async (file: string) => ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.['gpuctl-file-read/owner'];
    for (const file of ['src/agent/diag-state.ts', 'src/smoke/layout.ts', 'src/validate/run.ts']) expect(await rule(file)).toEqual([2]);
    for (const file of FILE_READ_OWNERS) expect(await rule(file)).toBeUndefined();
  }, 60_000);
});
