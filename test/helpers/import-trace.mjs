// `node --import ./test/helpers/import-trace.mjs …`: appends every file URL the ES module loader resolves
// (dist chunks, and the packages they import) to the file IMPORT_TRACE_FILE names. Used by
// test/e2e/startup-imports.test.ts to see what a command loads.
import { register } from 'node:module';

register('./import-trace-hooks.mjs', import.meta.url);
