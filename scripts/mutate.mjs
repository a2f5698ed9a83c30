// Hand-made mutation testing: applies each mutant of a list to one source file, one at a time, runs the
// unit tests that cover it, and says which mutants the tests kill. The file is restored after every
// mutant and on exit, Ctrl-C or SIGTERM; its mtime is kept, so test/global-setup.ts does not rebuild
// dist/ for a mutant (unit tests read src/ directly).
//
// Usage: node scripts/mutate.mjs scripts/mutants/<name>.json [more.json ...]
// A list: { "file": "src/...", "tests": ["test/unit/..."], "mutants": [
//   { "from": "a < b", "to": "a <= b", "nth": 1, "equivalent": "why no test can tell (optional)" } ] }
// `from` must occur in the file (`nth` picks the occurrence, 1-based; without it, it must occur once).
// Exit 1 when a mutant survives that is not marked equivalent, or when a list does not apply.
import { execa } from 'execa';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';

const restores = new Map();
const restoreAll = () => {
  for (const [file, { text, atime, mtime }] of restores) {
    writeFileSync(file, text);
    utimesSync(file, atime, mtime);
  }
  restores.clear();
};
process.on('exit', restoreAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    restoreAll();
    process.exit(130);
  });
}

function occurrence(text, from, nth) {
  const at = [];
  for (let i = text.indexOf(from); i !== -1; i = text.indexOf(from, i + 1)) at.push(i);
  if (nth === undefined) return at.length === 1 ? at[0] : { count: at.length };
  return at[nth - 1] ?? { count: at.length };
}

async function runTests(tests) {
  const args = ['vitest', 'run', '--project', 'unit', '--bail=1', '--reporter=dot', ...tests];
  const result = await execa('npx', args, { reject: false, timeout: 300_000, all: true, env: { NO_COLOR: '1', FORCE_COLOR: '0' } });
  return result;
}

let bad = 0;
for (const listPath of process.argv.slice(2)) {
  const list = JSON.parse(readFileSync(listPath, 'utf8'));
  const original = readFileSync(list.file, 'utf8');
  const { atime, mtime } = statSync(list.file);
  const base = await runTests(list.tests);
  if (base.exitCode !== 0) {
    console.log(`${list.file}: the tests fail without a mutant; skipped\n${base.all.slice(-2000)}`);
    bad++;
    continue;
  }
  console.log(`${list.file} (${list.mutants.length} mutants; ${list.tests.join(' ')})`);
  const tally = { killed: 0, survived: 0, equivalent: 0 };
  for (const [i, m] of list.mutants.entries()) {
    const at = occurrence(original, m.from, m.nth);
    if (typeof at !== 'number') {
      console.log(`  #${i + 1} does not apply: ${JSON.stringify(m.from)} occurs ${at.count} times`);
      bad++;
      continue;
    }
    const line = original.slice(0, at).split('\n').length;
    restores.set(list.file, { text: original, atime, mtime });
    writeFileSync(list.file, original.slice(0, at) + m.to + original.slice(at + m.from.length));
    utimesSync(list.file, atime, mtime);
    let result;
    try {
      result = await runTests(list.tests);
    } finally {
      restoreAll();
    }
    const what = `#${i + 1} line ${line}: ${JSON.stringify(m.from)} -> ${JSON.stringify(m.to)}`;
    if (result.timedOut || result.exitCode !== 0) {
      tally.killed++;
      console.log(`  killed    ${what}`);
    } else if (m.equivalent) {
      tally.equivalent++;
      console.log(`  equiv     ${what} (${m.equivalent})`);
    } else {
      tally.survived++;
      bad++;
      console.log(`  SURVIVED  ${what}`);
    }
  }
  console.log(`  ${tally.killed} killed, ${tally.survived} survived, ${tally.equivalent} equivalent`);
}
process.exitCode = bad === 0 ? 0 : 1;
