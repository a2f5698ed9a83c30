// pinned per-test environment, see vitest.config.ts
