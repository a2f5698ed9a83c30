/**
 * Lints a temporary tree of sources with one owner rule of scripts/lint-owners.mjs (as eslint.config.js
 * exports it), for the owners tests (owners.test.ts, owners-env-time.test.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface LintConfigModule {
  PROCESS_OWNERS: string[];
  ENV_OWNERS: Record<string, string[]>;
  processRule: () => Linter.Config;
  envRule: () => Linter.Config[];
  terminalRule: () => Linter.Config;
  tomlRule: () => Linter.Config;
  TOML_OWNERS: string[];
  metricNameRule: () => Linter.Config;
  METRIC_NAME_OWNERS: string[];
  smiRule: () => Linter.Config;
  SMI_OWNERS: string[];
  screenRule: () => Linter.Config;
  SCREEN_OWNERS: string[];
  stdoutRule: () => Linter.Config;
  STDOUT_OWNERS: string[];
  clockRule: () => Linter.Config[];
  CLOCK_OWNERS: string[];
  NOW_HOOK_OWNERS: string[];
  httpClientRule: () => Linter.Config;
  HTTP_CLIENT_OWNERS: string[];
  fileReadRule: () => Linter.Config;
  FILE_READ_OWNERS: string[];
}
export const loadConfig = async () => (await import(pathToFileURL(join(REPO, 'eslint.config.js')).href)) as LintConfigModule;

const roots: string[] = [];
let lastMessages: Record<string, string[]> = {};

/** The message texts of the last lint(), per file. */
export const messages = (): Record<string, string[]> => lastMessages;

/** Removes the trees lint() wrote (each test file calls it in afterAll). */
export function removeTrees(): void {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}

export async function lint(
  files: Record<string, string>,
  which:
    | 'processRule'
    | 'terminalRule'
    | 'tomlRule'
    | 'metricNameRule'
    | 'smiRule'
    | 'screenRule'
    | 'stdoutRule'
    | 'envRule'
    | 'clockRule'
    | 'httpClientRule'
    | 'fileReadRule' = 'processRule',
): Promise<Record<string, Array<string | null>>> {
  const root = mkdtempSync(join(tmpdir(), 'gpuctl-process-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const config = await loadConfig();
  // envRule's blocks only make sense after processRule's (they replace its options for the owners).
  const rules = which === 'envRule' ? [config.processRule(), ...config.envRule()] : [config[which]()].flat();
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...rules],
  });
  const results = await eslint.lintFiles(['src/**/*.ts']);
  lastMessages = Object.fromEntries(results.map((r) => [r.filePath.slice(root.length + 1), r.messages.map((m) => m.message)]));
  return Object.fromEntries(results.map((r) => [r.filePath.slice(root.length + 1), r.messages.map((m) => m.ruleId)]));
}
