/** Claims in the docs that the code decides: each is read from the doc and compared with the code. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../src/gpu/catalogue.js';
import { captureSource, SMI_CASES } from '../../fixtures/nvidia-smi/cases.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('docs match the code', () => {
  it('the start-up figure names the run count scripts/startup-time.mjs uses by default', () => {
    const scriptRuns = /process\.argv\[2\] \?\? (\d+)/.exec(read('scripts/startup-time.mjs'))?.[1];
    const readmeRuns = /`npm run bench:startup` \(medians of (\d+) alternating runs/.exec(read('README.md'))?.[1];
    expect(scriptRuns).toBeDefined();
    expect(readmeRuns).toBe(scriptRuns);
  });

  it('the detect --json example in the README shows every field of a profile', () => {
    const readme = read('README.md');
    const example = /### `detect --json`[\s\S]*?```jsonc\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const profile = /"profile": \{([\s\S]*?)\n\s*\},/.exec(example)?.[1] ?? '';
    expect(profile).not.toBe('');
    const h200 = CATALOGUE.find((p) => p.id === 'h200');
    expect(h200).toBeDefined();
    const missing = Object.keys(h200!).filter((key) => !profile.includes(`"${key}":`));
    expect(missing).toEqual([]);
  });

  it('the README says how many detect cases replay real CSV and how many go through CSV the fake derives', () => {
    const count = (source: string) => SMI_CASES.filter((c) => captureSource(c.fixture) === source).length;
    const readme = read('README.md').replace(/\s+/g, ' ');
    const claim =
      /(\d+) cases replay nvidia-smi's own `--query-gpu` CSV .*?and (\d+) reach gpuctl as CSV that the fake derives from `-q` text \((\d+)\) or `-q -x` XML \((\d+)\)/.exec(
        readme,
      );
    expect(claim?.slice(1).map(Number)).toEqual([count('csv'), count('q-text') + count('q-xml'), count('q-text'), count('q-xml')]);
  });

  it("the fake flyctl's README cites only files that are in the repository", () => {
    const path = 'test/fakes/flyctl/README.md';
    const text = read(path);
    const links = [...text.matchAll(/\]\((?!https?:)([^)#]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(existsSync(resolve(ROOT, dirname(path), link)), link).toBe(true);
    expect(text).not.toMatch(/shared\/docs/);
  });
});
