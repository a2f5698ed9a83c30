// Re-runs the transcripts of docs/ with the built CLI (`node bin/gpuctl.js`, NO_COLOR=1, a fresh HOME) and writes
// them back into the pages; with --check, changes nothing and exits 1 naming every transcript that differs from
// what the command prints now (temp paths and times normalised). Each scenario runs its steps in order in one
// fresh directory, as the page tells them. Usage: npm run docs:transcripts [-- --check]. Build first.
// DOCS_ROOT=<dir> reads and writes the pages under another root (the test checks that a changed transcript fails).
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DOCS_ROOT = resolve(process.env.DOCS_ROOT ?? ROOT);
const check = process.argv.includes('--check');

/** Steps: `run` a gpuctl command line (its transcript is the ```console block of `doc` that starts with `$ gpuctl <run>`), or `edit` the directory. */
const SCENARIOS = [
  {
    doc: 'docs/init-validate.md',
    dir: 'quant-signals',
    steps: [
      { run: 'init --yes --workload batch --vm-size performance-4x' },
      { edit: { 'requirements.txt': '', 'app.py': 'print("serving")\n' } },
      { run: 'validate' },
      { run: 'init --yes', nth: 0 },
      { edit: (dir) => replaceIn(join(dir, 'fly.toml'), "memory = '8gb'", "memory = '12gb' # tokenizer cache") },
      { run: 'init --yes', nth: 1 },
      { run: 'init --yes --dry-run' },
      { run: 'init --yes --gpu-kind l40s --workload inference --dir ../gpu-layout' },
    ],
  },
];

function replaceIn(file, from, to) {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not hold ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
}

/** The same transcript whatever the machine: temp paths and durations (e.g. "in 0.4 s", "12 ms") normalised. */
export const normalise = (text, base) =>
  text
    .replaceAll(base, '<tmp>')
    .replace(/\b\d+(?:\.\d+)? ?(?:ms|s)\b/g, '<time>')
    .replace(/[ \t]+$/gm, '');

async function runScenario(scenario) {
  const base = mkdtempSync(join(tmpdir(), 'gpuctl-transcripts-'));
  const cwd = join(base, scenario.dir);
  mkdirSync(cwd);
  const home = join(base, 'home');
  mkdirSync(home);
  const out = [];
  try {
    for (const step of scenario.steps) {
      if (step.edit) {
        if (typeof step.edit === 'function') step.edit(cwd);
        else for (const [name, text] of Object.entries(step.edit)) writeFileSync(join(cwd, name), text);
        continue;
      }
      const result = await execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), ...step.run.split(' ')], {
        cwd,
        all: true,
        reject: false,
        timeout: 30_000,
        extendEnv: false,
        env: { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: join(home, '.cache'), NO_COLOR: '1', TMPDIR: tmpdir() },
      });
      const text = `$ gpuctl ${step.run}\n${result.all ? `${result.all.replace(/\n$/, '')}\n` : ''}(exit ${result.exitCode})\n`;
      out.push({ step, text: text.replaceAll(base, '<tmp>'), base });
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  return out;
}

/** The ```console blocks of a page, each with its command line and where its body is. */
function blocks(page) {
  return [...page.matchAll(/^```console\n(\$ gpuctl ([^\n]*)\n[\s\S]*?)^```$/gm)].map((m) => ({
    command: m[2],
    start: m.index + '```console\n'.length,
    end: m.index + '```console\n'.length + m[1].length,
    body: m[1],
  }));
}

const differences = [];
for (const scenario of SCENARIOS) {
  const path = join(DOCS_ROOT, scenario.doc);
  let page = readFileSync(path, 'utf8');
  const results = await runScenario(scenario);
  // From the last block to the first, so earlier offsets stay right while writing.
  const edits = [];
  for (const { step, text } of results) {
    const matching = blocks(page).filter((b) => b.command === step.run);
    const block = matching[step.nth ?? 0];
    if (!block) {
      differences.push(`${scenario.doc}: no \`\`\`console block starts with "$ gpuctl ${step.run}"`);
      continue;
    }
    if (normalise(block.body, '<tmp>') !== normalise(text, '<tmp>')) {
      differences.push(
        `${scenario.doc}: "$ gpuctl ${step.run}" differs from what it prints now:\n--- committed\n${block.body}+++ now\n${text}`,
      );
      edits.push({ block, text });
    }
  }
  if (!check && edits.length) {
    for (const { block, text } of edits.sort((a, b) => b.block.start - a.block.start))
      page = page.slice(0, block.start) + text + page.slice(block.end);
    writeFileSync(path, page);
  }
}
if (check && differences.length) {
  console.error(
    `${differences.length} transcript${differences.length === 1 ? '' : 's'} out of date (run \`npm run docs:transcripts\`):\n\n${differences.join('\n')}`,
  );
  process.exit(1);
}
console.log(check ? 'Every transcript matches what its command prints now.' : `${differences.length} transcript(s) rewritten.`);
