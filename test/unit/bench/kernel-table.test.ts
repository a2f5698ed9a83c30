/**
 * native/src/kernels.inc is the one table of kernels (suite, name, unit, GPU function, CPU function,
 * description): nothing else in native/ may spell a kernel's name or set a result's suite, name or unit
 * by hand, both dispatchers expand the table, and the CLI's --suite list is the table's. On the CLI side,
 * the kernels src/bench names by hand come from one table (src/bench/kernel-names.ts), checked here
 * against kernels.inc; the files that use them type the names as KernelName, so a misspelling fails tsc.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KERNELS } from '../../../src/bench/kernel-names.js';
import { SUITES } from '../../../src/bench/options.js';

const SRC = join(import.meta.dirname, '../../../native/src');
const FAKE = join(import.meta.dirname, '../../fakes/gpuctl-bench');
const TABLE = 'kernels.inc';

interface Row {
  suite: string;
  name: string;
  unit: string;
  gpu: string;
  cpu: string;
  description: string;
}

function rows(): Row[] {
  const text = readFileSync(join(SRC, TABLE), 'utf8');
  const out: Row[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('KERNEL(')) continue;
    const match = /^KERNEL\(\s*(\w+),\s*(\w+),\s*"([^"]+)",\s*(\w+),\s*(\w+),\s*"([^"]+)"\)\s*$/.exec(line);
    if (!match) throw new Error(`malformed row in ${TABLE}: ${line}`);
    const [, suite, name, unit, gpu, cpu, description] = match as unknown as [string, string, string, string, string, string, string];
    out.push({ suite, name, unit, gpu, cpu, description });
  }
  return out;
}

const sources = () =>
  readdirSync(SRC)
    .filter((file) => file !== TABLE && /\.(cpp|cc|cu|cuh|hpp)$/.test(file))
    .map((file) => ({ file, text: readFileSync(join(SRC, file), 'utf8') }));

describe('the kernel table (native/src/kernels.inc)', () => {
  it('has one well-formed row per kernel', () => {
    const table = rows();
    expect(table.length).toBeGreaterThanOrEqual(23);
    expect(new Set(table.map((r) => r.name)).size).toBe(table.length);
  });

  it('is the only place a kernel name is spelled as a string', () => {
    const spelled: string[] = [];
    for (const { file, text } of sources())
      for (const { name } of rows()) if (text.includes(`"${name}"`)) spelled.push(`${file}: "${name}"`);
    expect(spelled).toEqual([]);
  });

  it('sets result suite, name and unit in one place (result_for)', () => {
    const byHand = sources().flatMap(({ file, text }) =>
      [...text.matchAll(/\b\w+\.(suite|name|unit)\s*=(?!=)/g)].filter(() => file !== 'registry.cpp').map((m) => `${file}: ${m[0]}`),
    );
    expect(byHand).toEqual([]);
  });

  it('is expanded by the registry and by the GPU dispatch, and nothing else dispatches', () => {
    const expanders = sources()
      .filter(({ text }) => text.includes(`#include "${TABLE}"`))
      .map(({ file }) => file)
      .sort();
    expect(expanders).toEqual(['gpu_main.cu', 'registry.cpp']);
  });

  it('names GPU functions defined in .cu files and CPU functions defined in .cpp files', () => {
    const all = sources();
    const defined = (fn: string, ext: RegExp) => all.some(({ file, text }) => ext.test(file) && new RegExp(`^void ${fn}\\(`, 'm').test(text));
    const missing = rows().flatMap((r) => [
      ...(defined(r.gpu, /\.cu$/) ? [] : [`GPU ${r.gpu}`]),
      ...(defined(r.cpu, /\.cpp$/) ? [] : [`CPU ${r.cpu}`]),
    ]);
    expect(missing).toEqual([]);
  });

  it("gives gpuctl's --suite the table's suites, in table order (diag's rows are gpuctl diag's, not bench's)", () => {
    expect([...SUITES]).toEqual([...new Set(rows().map((r) => r.suite))].filter((s) => s !== 'diag'));
  });

  it("names in src/bench/kernel-names.ts only the table's kernels, each with its row's suite", () => {
    const table = new Map(rows().map((r) => [r.name, r.suite]));
    const wrong = Object.entries(KERNELS).flatMap(([name, suite]) => (table.get(name) === suite ? [] : [`${suite}/${name}: table has ${table.get(name) ?? 'no such row'}`]));
    expect(wrong).toEqual([]);
  });

  it('is what the fake gpuctl-bench lists: every row, with its suite, unit and description (test/fakes/gpuctl-bench)', async () => {
    type FakeRow = { suite: string; name: string; unit: string; description: string };
    const load = async (file: string, key: string) => ((await import(pathToFileURL(join(FAKE, file)).href)) as Record<string, FakeRow[]>)[key]!;
    const fake = [
      ...(await load('kernels.mjs', 'KERNELS')),
      ...(await load('cluster.mjs', 'CLUSTER_KERNELS')),
      ...(await load('diag.mjs', 'DIAG_KERNELS')),
    ];
    const key = (r: FakeRow) => `${r.suite}/${r.name} ${r.unit}: ${r.description}`;
    expect(fake.map(key).sort()).toEqual(rows().map(key).sort());
  });
});
