// `node --import ./test/helpers/import-trace.mjs …`: appends every file URL the ES module loader resolves
// (dist chunks, and the packages they import) to the file IMPORT_TRACE_FILE names, and at exit every built-in
// module Node loaded, as `node:<name>` lines (process.moduleLoadList: require()d ones too, which no hook sees).
// Used by test/e2e/startup-imports.test.ts to see what a command loads.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';

register('./import-trace-hooks.mjs', import.meta.url);
process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((entry) => entry.startsWith('NativeModule ')).map((entry) => `node:${entry.slice(13)}`);
  if (process.env.IMPORT_TRACE_FILE) appendFileSync(process.env.IMPORT_TRACE_FILE, `${builtins.join('\n')}\n`);
});
