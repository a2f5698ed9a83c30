/**
 * The floors of src/ (docs/architecture.md) are enforced by ESLint (import-x/no-cycle and
 * import-x/no-restricted-paths in eslint.config.js) and by scripts/import-graph.mjs. These tests
 * prove both fire on a cycle, an upward import and a feature importing another, and that the repo's
 * own config keeps the rules switched on, so the check cannot go quiet unnoticed.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { execa } from 'execa';
import tseslint from 'typescript-eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface LintConfigModule {
  FLOORS: Record<string, string[]>;
  floorRules: (basePath: string) => Linter.Config;
}
const loadConfig = async () => (await import(pathToFileURL(join(REPO, 'eslint.config.js')).href)) as LintConfigModule;

/** A throwaway tree: src/<path> → source text. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'gpuctl-floors-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, 'src', path)), { recursive: true });
    writeFileSync(join(root, 'src', path), text);
  }
  return root;
}

const roots: string[] = [];
let bad: string;
let good: string;

beforeAll(() => {
  bad = tree({
    // a runtime cycle inside floor 0
    'shared/a.ts': "import { b } from './b.js';\nexport const a = (): number => b + 1;\n",
    'shared/b.ts': "import { a } from './a.js';\nexport const b = 1;\nexport const twice = (): number => a() * 2;\n",
    // floor 0 reaching up into a feature
    'shared/up.ts': "import { run } from '../deploy/run.js';\nexport const up = run;\n",
    'deploy/run.ts': 'export const run = (): number => 1;\n',
    // a feature importing another feature
    'health/assess.ts': "import { run } from '../deploy/run.js';\nexport const assess = run;\n",
    // gpu/ importing flyio/
    'gpu/types.ts': "import type { Kind } from '../flyio/kinds.js';\nexport type Profile = { kind: Kind };\n",
    'flyio/kinds.ts': "export type Kind = 'a10';\n",
  });
  good = tree({
    'shared/a.ts': 'export const a = 1;\n',
    'flyio/kinds.ts': "import { a } from '../shared/a.js';\nexport const kinds = [a];\n",
    'deploy/run.ts': "import { kinds } from '../flyio/kinds.js';\nexport const run = kinds;\n",
    'commands/deploy.ts': "import { run } from '../deploy/run.js';\nexport const command = run;\n",
  });
  roots.push(bad, good);
});

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

async function lint(root: string): Promise<Array<{ file: string; rule: string | null; message: string }>> {
  const { floorRules } = await loadConfig();
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, floorRules(root)],
  });
  const results = await eslint.lintFiles(['src/**/*.ts']);
  return results.flatMap((r) => r.messages.map((m) => ({ file: r.filePath.slice(root.length + 1), rule: m.ruleId, message: m.message })));
}

describe('the floors, through ESLint', () => {
  it('reports a cycle, an upward import, a feature importing a feature and gpu/ importing flyio/', async () => {
    const messages = await lint(bad);
    const rules = (file: string) => messages.filter((m) => m.file === file).map((m) => m.rule);
    expect(rules('src/shared/a.ts')).toEqual(['import-x/no-cycle']);
    expect(rules('src/shared/b.ts')).toEqual(['import-x/no-cycle']);
    expect(rules('src/shared/up.ts')).toEqual(['import-x/no-restricted-paths']);
    expect(rules('src/health/assess.ts')).toEqual(['import-x/no-restricted-paths']);
    expect(rules('src/gpu/types.ts')).toEqual(['import-x/no-restricted-paths']);
    expect(messages.find((m) => m.file === 'src/health/assess.ts')?.message).toContain('imports no other feature');
  }, 60_000);

  it('lets imports run downward', async () => {
    expect(await lint(good)).toEqual([]);
  }, 60_000);

  it("the repo's own config has both rules on, as errors, for every source file", async () => {
    const eslint = new ESLint({ cwd: REPO });
    for (const file of ['src/deploy/run.ts', 'src/shared/options.ts', 'src/commands/deploy.ts']) {
      const config = (await eslint.calculateConfigForFile(file)) as Linter.Config;
      expect(config.rules?.['import-x/no-cycle']).toEqual([2]);
      const restricted = config.rules?.['import-x/no-restricted-paths'] as [number, { basePath: string; zones: unknown[] }];
      expect(restricted[0]).toBe(2);
      expect(restricted[1].basePath).toBe(REPO);
      expect(restricted[1].zones.length).toBeGreaterThan(10);
    }
  }, 60_000);

  it('places every top-level entry of src/ on a floor', async () => {
    const { FLOORS } = await loadConfig();
    const placed = new Set(Object.values(FLOORS).flat());
    const entries = readdirSync(join(REPO, 'src')).map((name) => `src/${name}`);
    expect(entries.filter((entry) => !placed.has(entry))).toEqual([]);
  });
});

describe('the floors, through scripts/import-graph.mjs', () => {
  const graph = (root: string) =>
    execa(process.execPath, [join(REPO, 'scripts/import-graph.mjs'), root], { reject: false, timeout: 30_000 });

  it('passes on the repo', async () => {
    const run = await graph(REPO);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('No cycle, no upward import, no feature importing another.');
  });

  it('fails on a cycle (type-only ones too), an upward and a sideways import', async () => {
    const typeCycle = tree({
      'context.ts': "import type { Spinner } from './ui/spinner.js';\nexport interface Ctx { spinner: Spinner }\n",
      'ui/spinner.ts': "import type { Ctx } from '../context.js';\nexport interface Spinner { ctx: Ctx }\n",
    });
    roots.push(typeCycle);
    const cycle = await graph(typeCycle);
    expect(cycle.exitCode).toBe(1);
    expect(cycle.stderr).toContain('cycle: src/context.ts <-> src/ui/spinner.ts');
    const run = await graph(bad);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('cycle: src/shared/a.ts <-> src/shared/b.ts');
    expect(run.stderr).toContain('upward: src/shared/up.ts (base) imports src/deploy/run.ts (features)');
    expect(run.stderr).toContain("sideways: src/health/assess.ts imports another feature's src/deploy/run.ts");
    expect(run.stderr).toContain('upward: src/gpu/types.ts (hardware) imports src/flyio/kinds.ts (fly)');
  });
});
