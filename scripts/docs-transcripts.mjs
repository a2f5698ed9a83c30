// Re-runs the transcripts of docs/*.md and README.md with the built CLI (`node bin/gpuctl.js`, NO_COLOR=1, a fresh
// HOME, PATH = node and the repo's fakes only: fake flyctl, fake nvidia-smi, …) and writes them back into the pages;
// with --check, changes nothing and exits 1 naming every transcript that differs from what the command prints now.
// Both sides are normalised (temp paths, durations, time stamps; a scenario may map its paths to the ones the page
// shows, and a line starting with `…` in a page stands for any lines). The scenarios are in
// scripts/transcripts/scenarios.mjs; each runs its steps in order in one fresh directory, as the page tells them.
//
// Every ```/```console block of those pages that starts with `$ gpuctl` is accounted for: re-run by a scenario, or
// marked just above its fence with `<!-- transcript: capture, <device>, <date> -->` (a real GPU's, or a real run
// whose figures are the machine's) or `<!-- transcript: abridged, <what it stands for> -->` (a session cut short by
// hand, whose commands another, re-run transcript shows in full) or `<!-- transcript: not re-run, <why> -->` (a
// fake's run whose set-up no scenario scripts yet), and listed as such. An unmarked block that no
// scenario re-runs fails the check.
// Usage: npm run docs:transcripts [-- --check]. Build first. DOCS_ROOT=<dir> reads and writes the pages under
// another root (the test checks that a changed transcript fails).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runScenario } from './transcripts/run.mjs';
import { SCENARIOS } from './transcripts/scenarios.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DOCS_ROOT = resolve(process.env.DOCS_ROOT ?? ROOT);
const check = process.argv.includes('--check');
const ALL_PAGES = [
  'README.md',
  ...readdirSync(join(DOCS_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];
// TRANSCRIPTS_DOCS=docs/a.md,README.md: only those pages and their scenarios (the test's quick cases).
const only = process.env.TRANSCRIPTS_DOCS?.split(',');
const PAGES = only ? ALL_PAGES.filter((doc) => only.includes(doc)) : ALL_PAGES;

/** The same transcript whatever the machine: durations ("in 0.4 s", "12 ms"), stamps and trailing blanks normalised. */
export const normalise = (text, more = (t) => t) =>
  more(
    text
      .replace(/\d{4}-\d\d-\d\dT\d\d[-:]\d\d[-:]\d\d(?:[-.]\d+)?Z/g, '<stamp>')
      .replace(/\b\d+(?:\.\d+)? ?(?:ms|s)\b(?: {2,})?/g, (m) => (m.endsWith('  ') ? '<time>  ' : '<time>'))
      .replace(/[ \t]+$/gm, ''),
  );

/** Whether the page's lines match the output's; a page line starting with `…` stands for any lines (none included). */
function matches(page, actual) {
  const memo = new Map();
  const go = (i, j) => {
    const key = i * 100_000 + j;
    if (memo.has(key)) return memo.get(key);
    let ok;
    if (i === page.length) ok = j === actual.length;
    else if (page[i].trimStart().startsWith('…')) ok = go(i + 1, j) || (j < actual.length && go(i, j + 1));
    else ok = j < actual.length && page[i] === actual[j] && go(i + 1, j + 1);
    memo.set(key, ok);
    return ok;
  };
  return go(0, 0);
}

/** The fenced blocks of a page that start with `$ gpuctl`, with the marker above each, and where the body is. */
function blocks(page) {
  return [...page.matchAll(/^(?:<!-- transcript: ([^\n]*?) -->\n)?```(?:console)?\n(\$ gpuctl ([^\n]*)\n[\s\S]*?)^```$/gm)].map((m) => {
    const end = m.index + m[0].length - '```'.length;
    return { marker: m[1], command: m[3].replace(/\s+#.*$/, ''), start: end - m[2].length, end, body: m[2] };
  });
}

const differences = [];
const reran = new Set();
const pages = new Map(PAGES.map((doc) => [doc, readFileSync(join(DOCS_ROOT, doc), 'utf8')]));
const edits = new Map(PAGES.map((doc) => [doc, []]));
// The scenarios run at once (each in its own directories; most of their time is spent waiting on fakes and servers).
// Those marked `alone` (a load test) run after the others, with the machine to themselves.
const scenarios = SCENARIOS.filter((scenario) => PAGES.includes(scenario.doc));
const runs = await Promise.all(scenarios.map((scenario) => (scenario.alone ? null : runScenario(scenario, ROOT))));
for (const [index, scenario] of scenarios.entries()) if (scenario.alone) runs[index] = await runScenario(scenario, ROOT);
for (const [index, scenario] of scenarios.entries()) {
  const results = runs[index];
  for (const { step, text } of results)
    for (const doc of [step.doc ?? scenario.doc, ...(step.also ?? [])].filter((d) => PAGES.includes(d))) {
      const matching = blocks(pages.get(doc)).filter((b) => b.command === step.run);
      const block = matching[step.nth ?? 0];
      if (!block) {
        differences.push(`${doc}: no transcript block starts with "$ gpuctl ${step.run}"`);
        continue;
      }
      reran.add(`${doc}:${block.start}`);
      // The exit line in the page's own style: "(exit N)" or "[exit N]".
      const shown = /^\[exit \d+\]$/m.test(block.body) ? text.replace(/^\(exit (\d+)\)$/m, '[exit $1]') : text;
      if (!matches(normalise(block.body, scenario.normalise).split('\n'), normalise(shown, scenario.normalise).split('\n'))) {
        differences.push(`${doc}: "$ gpuctl ${step.run}" differs from what it prints now:\n--- committed\n${block.body}+++ now\n${shown}`);
        edits.get(doc).push({ block, text: shown });
      }
    }
}
const captures = [];
for (const [doc, page] of pages) {
  for (const block of blocks(page)) {
    if (reran.has(`${doc}:${block.start}`)) continue;
    if (/^(capture|abridged|not re-run), /.test(block.marker ?? '')) captures.push(`${doc}: $ gpuctl ${block.command}  (${block.marker})`);
    else differences.push(`${doc}: "$ gpuctl ${block.command}" is neither re-run by a scenario nor marked (capture, abridged, not re-run)`);
  }
}
if (!check) {
  for (const [doc, list] of edits) {
    if (!list.length) continue;
    let page = pages.get(doc);
    // From the last block to the first, so earlier offsets stay right while writing.
    for (const { block, text } of list.sort((a, b) => b.block.start - a.block.start))
      page = page.slice(0, block.start) + text + page.slice(block.end);
    writeFileSync(join(DOCS_ROOT, doc), page);
  }
}
console.log(
  `${reran.size} transcripts re-run; ${captures.length} captures, abridged sessions and others not re-run:\n${captures.map((c) => `  ${c}`).join('\n')}`,
);
if (check && differences.length) {
  console.error(
    `${differences.length} transcript${differences.length === 1 ? '' : 's'} out of date (run \`npm run docs:transcripts\`):\n\n${differences.join('\n')}`,
  );
  process.exit(1);
}
console.log(
  check ? 'Every transcript matches what its command prints now.' : `${differences.length} difference(s); the re-run ones were rewritten.`,
);
