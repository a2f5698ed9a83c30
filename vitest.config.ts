import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import Sequencer from './test/sequencer.js';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __GPUCTL_VERSION__: JSON.stringify(pkg.version) },
  test: {
    // Pinned environment: no colour, no CI detection leaking in, a temp HOME per run (test/setup.ts).
    env: { NO_COLOR: '1', FORCE_COLOR: '0' },
    setupFiles: ['test/setup.ts'],
    // One temporary directory per run, removed at the end; dist/ rebuilt when sources are newer.
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    // smoke.slow after the other e2e files, so that it builds from image.slow's layers (test/sequencer.ts).
    sequence: { sequencer: Sequencer },
    // Vitest's default is one worker fewer than the CPUs: one worker on a 2-core CI machine. The e2e tests
    // mostly wait on the processes they start, so two workers there took the e2e project from 374 s to
    // 293 s (2 cores, 2026-11-26); on larger machines this is vitest's default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 30_000 } },
    ],
  },
});
