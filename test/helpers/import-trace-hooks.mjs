// The resolve hook of import-trace.mjs (it runs on the loader's thread).
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.IMPORT_TRACE_FILE && result.url.startsWith('file:')) appendFileSync(process.env.IMPORT_TRACE_FILE, `${result.url}\n`);
  return result;
}
