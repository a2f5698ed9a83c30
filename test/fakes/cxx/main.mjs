// Fake g++ for tests that compile native/ through its real Makefile (the host .cpp files) without
// paying for a real C++ compile: reproduces g++ 12.2's --version text (Debian 12), its errors for a
// missing source or no input, and its exit codes. A compile (-c src -o out) checks the source exists
// and writes a placeholder object; it never links (native/ links with nvcc).
// Knobs: FAKE_CXX_LOG=file (argv as a JSON line per call).
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (process.env.FAKE_CXX_LOG) appendFileSync(process.env.FAKE_CXX_LOG, `${JSON.stringify(args)}\n`);

if (args.includes('--version')) {
  process.stdout.write(
    'g++ (Debian 12.2.0-14+deb12u1) 12.2.0\nCopyright (C) 2022 Free Software Foundation, Inc.\n' +
      'This is free software; see the source for copying conditions.  There is NO\n' +
      'warranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\n\n',
  );
  process.exit(0);
}
const sources = args.filter((a, i) => /\.(cpp|cc|cxx|c)$/.test(a) && args[i - 1] !== '-o');
if (sources.length === 0) {
  process.stderr.write('g++: fatal error: no input files\ncompilation terminated.\n');
  process.exit(1);
}
for (const source of sources) {
  if (!existsSync(source)) {
    process.stderr.write(`cc1plus: fatal error: ${source}: No such file or directory\ncompilation terminated.\n`);
    process.exit(1);
  }
}
const out = args.includes('-o') ? args[args.indexOf('-o') + 1] : undefined;
if (!args.includes('-c') || !out) {
  process.stderr.write('g++ (fake): only `-c <source> -o <object>` is reproduced; native/ links with nvcc.\n');
  process.exit(1);
}
writeFileSync(out, `FAKE OBJECT ${sources.join(' ')}\n`);
