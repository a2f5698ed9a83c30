/** Docs that went stale while the code moved on (issue 19 item 8): each claim is read from the doc and checked against the code. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUITES } from '../../../src/bench/options.js';
import { cudaImageVersion } from '../../../src/init/images.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('docs name what exists', () => {
  it('every source, test or script file a page names is in the repository', () => {
    const missing = DOCS.flatMap((doc) =>
      [...read(doc).matchAll(/(?<![\w./:-])((?:src|test|scripts)\/[\w./-]*\w\.(?:ts|mjs|js))(?!\w)/g)]
        .map((m) => m[1]!)
        .filter((path) => !existsSync(join(ROOT, path)))
        .map((path) => `${doc}: ${path}`),
    );
    expect(missing).toEqual([]);
  });

  it("init-validate.md's Limits give the CUDA versions src/init/images.ts has image tags for", () => {
    const claim = /tag table \(`src\/init\/images\.ts`\) knows CUDA (\d+\.\d+) and (\d+\.\d+)–(\d+\.\d+)/.exec(
      read('docs/init-validate.md'),
    );
    expect(claim).not.toBeNull();
    const [, only, from, to] = claim!;
    for (const minor of [only!, from!, to!]) expect(() => cudaImageVersion(minor)).not.toThrow();
    // The ends are the ends: nothing older than the first, nothing newer than the last.
    const minors = [...read('src/init/images.ts').matchAll(/\['(\d+\.\d+)', '\d+\.\d+\.\d+'\]/g)].map((m) => m[1]);
    expect([minors[0], minors[1], minors.at(-1)]).toEqual([only, from, to]);
  });

  it("bench.md's `--cpu --quick` transcript skips exactly the GPU-only kernels of native/src/kernels.inc (as the program printed it then), and counts them", () => {
    const rows = [...read('native/src/kernels.inc').matchAll(/^KERNEL\((\w+),\s*(\w+),\s*"[^"]*",\s*\w+,\s*(\w+),/gm)]
      .map((m) => ({
        id: `${m[1]}/${m[2]}`,
        gpuOnly: m[3] === 'cpu_gpu_only',
      }))
      .filter((r) => (SUITES as readonly string[]).includes(r.id.split('/')[0]!)); // diag's kernels are `gpuctl diag`'s
    const transcript = /^\$ gpuctl bench --cpu --quick\n([\s\S]*?)^```$/m.exec(read('docs/bench.md'))?.[1] ?? '';
    const skipped = /not run in --cpu mode: (.*)$/m.exec(transcript)?.[1]?.split(', ');
    expect(skipped).toEqual(rows.filter((r) => r.gpuOnly).map((r) => r.id));
    expect(/^\d+ passed, 0 failed, (\d+) skipped$/m.exec(transcript)?.[1]).toBe(String(rows.filter((r) => r.gpuOnly).length));
  });

  it("bench.md's --suite row and synopsis list every suite", () => {
    const bench = read('docs/bench.md');
    const row = /^\| `--suite` \|(.*)$/m.exec(bench)?.[1] ?? '';
    expect(SUITES.filter((s) => !row.includes(`\`${s}\``))).toEqual([]);
    expect(bench).toContain(`gpuctl bench [--suite ${SUITES.join(',')}]`);
  });

  it("bench.md's first sentence names every suite the bundled kernel suite has", () => {
    const intro = /runs the CUDA kernel suite bundled in `native\/` \(([^)]*)\)/.exec(read('docs/bench.md'))?.[1] ?? '';
    expect(intro.split(/,\s*/)).toEqual([...SUITES]);
  });
});
