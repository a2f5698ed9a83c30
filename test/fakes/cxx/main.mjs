// Fake host C++ compiler (c++ = g++ 12 as Debian 12 ships it): its --version text, its error format
// and exit codes. A compile (-c) writes a placeholder object; a link writes an executable that IS the
// fake benchmark program (test/fakes/gpuctl-bench) as the CPU-only build (make cpu) would be.
// Knobs: FAKE_CXX_LOG=file (argv as a JSON line per call), FAKE_CXX_MODE=fail.
import { appendFileSync, chmodSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const env = process.env;
const name = basename(process.argv[1] ?? 'c++');
if (env.FAKE_CXX_LOG) appendFileSync(env.FAKE_CXX_LOG, `${JSON.stringify([name, ...args])}\n`);

if (args.includes('--version')) {
  process.stdout.write(
    `${name} (Debian 12.2.0-14+deb12u1) 12.2.0\nCopyright (C) 2022 Free Software Foundation, Inc.\n` +
      'This is free software; see the source for copying conditions.  There is NO\nwarranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\n\n',
  );
  process.exit(0);
}
const source = args.find((a) => /\.(cpp|cc|cxx)$/.test(a));
if (env.FAKE_CXX_MODE === 'fail' && source) {
  process.stderr.write(
    `${source}: In function 'int main()':\n${source}:12:10: error: 'undefined_symbol' was not declared in this scope\n   12 |   return undefined_symbol;\n      |          ^~~~~~~~~~~~~~~~\n`,
  );
  process.exit(1);
}
const out = args[args.indexOf('-o') + 1];
if (!args.includes('-o') || !out) {
  process.stderr.write(`${name}: fatal error: no input files\ncompilation terminated.\n`);
  process.exit(1);
}
if (args.includes('-c')) {
  writeFileSync(out, `FAKE OBJECT ${source}\n`);
  process.exit(0);
}
const bench = fileURLToPath(new URL('../gpuctl-bench/main.mjs', import.meta.url));
writeFileSync(
  out,
  `#!/usr/bin/env node\nglobalThis.FAKE_BENCH_BUILT = 'fake cpu-only';\nglobalThis.FAKE_BENCH_CPU_ONLY = true;\nawait import(${JSON.stringify(bench)});\n`,
);
chmodSync(out, 0o755);
