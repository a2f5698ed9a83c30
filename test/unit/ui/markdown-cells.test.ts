/**
 * Every step summary's table keeps outside text in its cell and its row (ui/markdown.ts markdownCell): a `|` escaped,
 * CRLF, LF and a bare CR (CommonMark ends a line at each) made spaces. Before, deploy's preflight kept newlines and
 * smoke, validate, health, bench and diag kept a bare CR: the row broke in two on GitHub's summary page.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown as deployMarkdown } from '../../../src/deploy/render.js';
import { renderDiagMarkdown } from '../../../src/diag/render.js';
import { emptyReport } from '../../../src/deploy/report.js';
import { renderSmokeMarkdown } from '../../../src/smoke/render.js';
import type { SmokeResult } from '../../../src/smoke/run.js';
import { renderValidateMarkdown } from '../../../src/validate/markdown.js';
import { markdownCell } from '../../../src/ui/markdown.js';

const HOSTILE = 'first | second\nthird\r\nfourth\rfifth';
const ONE_CELL = 'first \\| second third fourth fifth';
/** The table rows of a markdown text: lines that start with a pipe. */
const rows = (markdown: string) => markdown.split(/\r\n|[\r\n]/).filter((line) => line.startsWith('|'));

describe('markdown table cells in the step summaries', () => {
  it('markdownCell: the pipe escaped, every CommonMark line ending a space', () => {
    expect(markdownCell(HOSTILE)).toBe(ONE_CELL);
    expect(markdownCell('plain text')).toBe('plain text');
  });

  it("deploy's preflight detail (a tool's error over several lines) stays in its row", () => {
    const report = { ...emptyReport('demo'), preflight: [{ name: 'flyctl' as const, status: 'fail' as const, detail: HOSTILE }] };
    expect(rows(deployMarkdown(report))).toEqual(['| Check | Result |', '|---|---|', `| flyctl | fail: ${ONE_CELL} |`]);
  });

  it("smoke's evidence (a container's output) stays in its row", () => {
    const result: SmokeResult = {
      schemaVersion: 1,
      dir: '/w',
      app: 'demo',
      engine: 'podman',
      image: { tag: 'gpuctl-smoke-demo', sizeBytes: null, kept: false },
      buildSeconds: 1,
      gpu: { layout: false, reserved: false },
      processGroup: { name: 'app', groups: ['app'], command: null },
      logFile: null,
      loadtest: null,
      checks: [{ id: 'health', title: 'GET /health', status: 'fail', evidence: HOSTILE }],
      passed: false,
    };
    expect(rows(renderSmokeMarkdown(result)).at(-1)).toBe(`| ❌ | GET /health | ${ONE_CELL} |`);
  });

  it("validate's finding (quoting a user's value) stays in its row", () => {
    const markdown = renderValidateMarkdown({
      schemaVersion: 1,
      ok: false,
      exitCode: 1,
      files: [{ path: 'fly.toml', kind: 'fly.toml' }],
      notChecked: [],
      errors: 1,
      warnings: 0,
      findings: [{ id: 'fly-unknown-key', severity: 'error', file: 'fly.toml', line: 3, message: HOSTILE, fix: 'a\rb' }],
    });
    expect(rows(markdown).at(-1)).toBe(`| \`fly.toml:3\` | error | \`fly-unknown-key\` | ${ONE_CELL} | a b |`);
  });

  it("diag's evidence and GPU name (nvidia-smi's and the benchmark program's text) stay in their row and heading", () => {
    const markdown = renderDiagMarkdown({
      schemaVersion: 1,
      level: 'quick',
      startedAt: '2026-12-05T00:00:00.000Z',
      finishedAt: '2026-12-05T00:01:00.000Z',
      seconds: 60,
      verdict: 'fail',
      failed: ['GPU 0: memtest'],
      gpus: [
        {
          index: 0,
          uuid: 'GPU-1',
          name: 'NVIDIA\rA10',
          verdict: 'fail',
          checks: [{ name: 'memtest', verdict: 'fail', evidence: HOSTILE }],
        },
      ],
      unusable: [],
      programArgs: [],
    });
    expect(rows(markdown).at(-1)).toBe(`| memtest | ❌ fail | ${ONE_CELL} |`);
    expect(markdown).toContain('### GPU 0: NVIDIA A10 (fail)');
  });
});
