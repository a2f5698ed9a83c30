/**
 * The floors of src/ (docs/architecture.md). A file may import its own floor and the floors below;
 * features (floor 2) may not import each other. Every top-level entry of src/ must be listed here
 * (test/unit/lint/floors.test.ts holds it to that). eslint.config.js turns them into
 * import-x/no-restricted-paths zones; scripts/import-graph.mjs checks the same floors without ESLint.
 */
export const FLOORS = {
  base: ['src/shared', 'src/ui', 'src/errors.ts', 'src/exec.ts', 'src/version.ts', 'src/context.ts'],
  /** Adapters and domain, in order: gpu/ knows no Fly; flyio/ may use gpu/'s catalogue types; detect/ joins both. */
  hardware: ['src/gpu'],
  fly: ['src/flyio'],
  detection: ['src/detect'],
  features: [
    'src/validate',
    'src/init',
    'src/deploy',
    'src/bench',
    'src/diag',
    'src/doctor',
    'src/health',
    'src/scale',
    'src/status',
    'src/agent',
    'src/monitor',
    'src/autoscale',
    'src/prometheus',
    'src/loadtest',
    'src/alerts',
    'src/smoke',
  ],
  top: ['src/commands', 'src/program.ts', 'src/cli.ts', 'src/runtime.ts'],
};
