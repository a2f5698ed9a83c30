/**
 * The transcripts in docs/alerts.md and docs/diag.md are what the commands print now: the REAL promtool on
 * the committed rule fixtures (and on rules edited as the page says), and the H200 runs copied verbatim from
 * docs/captures/diag-h200-2026-12-05. (scripts/docs-transcripts.mjs re-runs the commands of the other transcripts, diag.md's
 * run without a GPU included: one checker per transcript.)
 */
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../helpers/cli.js';
import { findPromtool } from '../helpers/prometheus-server.js';

const page = (name: string) => readFileSync(join(ROOT, 'docs', name), 'utf8');

/** The fenced block of `text` that starts with the line `first`, without its fences. */
function block(text: string, first: string): string {
  const start = text.indexOf(`\`\`\`\n${first}\n`);
  expect(start, `no transcript starting with ${first}`).toBeGreaterThanOrEqual(0);
  return text.slice(start + 4, text.indexOf('\n```', start + 4) + 1);
}

/** `$ promtool <args>` and what it printed (stdout, then stderr, as a terminal shows them here). */
async function transcript(cwd: string, args: string[]): Promise<string> {
  const r = await execa(findPromtool(), args, { cwd, reject: false, timeout: 60_000, all: true, stripFinalNewline: false });
  return `$ promtool ${args.join(' ')}\n${r.all}`;
}

describe('docs transcripts of alerts and diag', () => {
  it('docs/alerts.md: promtool on the committed rules, and on rules with a summary changed by hand', async () => {
    const text = page('alerts.md');
    const version = (await execa(findPromtool(), ['--version'], { all: true })).all.split('\n')[0]!;
    expect(text).toContain(version);
    const dir = join(FIXTURES, 'alerts');
    const ok = `${await transcript(dir, ['check', 'rules', 'gpuctl-alerts.yml'])}${await transcript(dir, ['test', 'rules', 'gpuctl-alerts.test.yml'])}`;
    expect(block(text, '$ promtool check rules gpuctl-alerts.yml')).toBe(ok);

    const edited = mkdtempSync(join(tmpdir(), 'gpuctl-docs-alerts-'));
    cpSync(join(dir, 'gpuctl-alerts.test.yml'), join(edited, 'gpuctl-alerts.test.yml'));
    const rules = readFileSync(join(dir, 'gpuctl-alerts.yml'), 'utf8');
    expect(rules).toContain('summary: "GPU above 80 C"');
    writeFileSync(join(edited, 'gpuctl-alerts.yml'), rules.replace('summary: "GPU above 80 C"', 'summary: "GPU above 81 C"'));
    const failed = await transcript(edited, ['test', 'rules', 'gpuctl-alerts.test.yml']);
    expect(block(text.slice(text.indexOf('changed by hand fails')), '$ promtool test rules gpuctl-alerts.test.yml')).toBe(failed);
  }, 60_000);

  // The captures end with "(exit N)" (bench/diag_capture.sh); the page shows it as `$ echo $?`. Its progress line
  // ("… diag --level medium: GPU 0 (30 s)", stderr while it runs) is left out of the page and said in its prose.
  it('docs/diag.md: the H200 runs as captured', () => {
    const text = page('diag.md');
    for (const name of ['quick-text.out', 'fault-mem.out', 'medium.out']) {
      const lines = readFileSync(join(ROOT, 'docs/captures/diag-h200-2026-12-05', name), 'utf8')
        .trimEnd()
        .split('\n');
      const exit = /^\(exit (\d+)\)$/.exec(lines.at(-1)!)?.[1];
      expect(exit, name).toBeDefined();
      const output = lines.slice(1, -1).filter((line) => !line.startsWith('\u2026 '));
      expect(text, name).toContain(`${lines[0]!.slice(2)}\n${output.join('\n')}\n$ echo $?\n${exit}\n`);
    }
  });
});
