import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import { FLOORS } from './scripts/floors.mjs';
import {
  processRule,
  envRule,
  terminalRule,
  tomlRule,
  metricNameRule,
  smiRule,
  screenRule,
  stdoutRule,
  httpClientRule,
  clockRule,
  fileReadRule,
} from './scripts/lint-owners.mjs';

export { FLOORS };
export * from './scripts/lint-owners.mjs';

/** The import-x rules that keep the floors: no cycle, no upward import, no feature importing another. */
export function floorRules(basePath) {
  const { base, hardware, fly, detection, features, top } = FLOORS;
  const zone = (target, from, message) => ({ target, from, message: `${message} (docs/architecture.md)` });
  const zones = [
    zone(
      base,
      [...hardware, ...fly, ...detection, ...features, ...top],
      'floor 0 (shared, ui, errors, exec, context) imports nothing above it',
    ),
    zone(hardware, [...fly, ...detection, ...features, ...top], 'gpu/ is the hardware floor: no Fly, no features, no rendering above it'),
    zone(fly, [...detection, ...features, ...top], 'flyio/ may import floor 0 and gpu/ only'),
    zone(detection, [...features, ...top], 'detect/ may import floor 0, gpu/ and flyio/ only'),
    ...features.map((feature) =>
      zone(
        feature,
        [...features.filter((f) => f !== feature), ...top],
        `a feature (${feature}) imports no other feature and no command: move what two share down`,
      ),
    ),
  ];
  return {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { basePath, zones }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'native/', 'bench/', '.carry/', '.bench-carry/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
    },
  },
  floorRules(import.meta.dirname),
  processRule(),
  ...envRule(),
  terminalRule(),
  tomlRule(),
  metricNameRule(),
  smiRule(),
  screenRule(),
  stdoutRule(),
  ...clockRule(),
  httpClientRule(),
  fileReadRule(),
  {
    files: ['**/*.js', '**/*.mjs', 'test/bin/*'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
);
