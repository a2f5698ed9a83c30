// The import graph of src/, type-only imports included: prints which floor imports which, and exits 1
// on a cycle, an upward import, a feature importing another feature, or a file on no floor.
// The floors are scripts/floors.mjs's FLOORS (docs/architecture.md). Usage: node scripts/import-graph.mjs [root]
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { FLOORS } from './floors.mjs';

const root = resolve(process.argv[2] ?? '.');
const ORDER = ['base', 'hardware', 'fly', 'detection', 'features', 'top'];

const files = readdirSync(join(root, 'src'), { recursive: true })
  .map((f) => `src/${String(f).replaceAll('\\', '/')}`)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

/** The floor entry (e.g. 'src/deploy') a file belongs to, and the floor's rank. */
function placeOf(file) {
  for (const [floor, entries] of Object.entries(FLOORS)) {
    const entry = entries.find((e) => file === e || file.startsWith(`${e}/`));
    if (entry) return { floor, entry, rank: ORDER.indexOf(floor) };
  }
  return undefined;
}

const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
const graph = new Map();
for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const targets = [...text.matchAll(SPECIFIER)].map((m) =>
    relative(root, resolve(root, dirname(file), m[1] ?? m[2]))
      .replaceAll('\\', '/')
      .replace(/\.js$/, '.ts'),
  );
  graph.set(
    file,
    [...new Set(targets)].filter((t) => files.includes(t)),
  );
}

const problems = [];
const floorEdges = new Map();
for (const [from, targets] of graph) {
  const a = placeOf(from);
  if (!a) problems.push(`${from} is on no floor: add its folder to FLOORS in scripts/floors.mjs`);
  for (const to of targets) {
    const b = placeOf(to);
    if (!a || !b) continue;
    if (a.entry !== b.entry) floorEdges.set(`${a.entry} -> ${b.entry}`, (floorEdges.get(`${a.entry} -> ${b.entry}`) ?? 0) + 1);
    if (b.rank > a.rank) problems.push(`upward: ${from} (${a.floor}) imports ${to} (${b.floor})`);
    if (a.floor === 'features' && b.floor === 'features' && a.entry !== b.entry)
      problems.push(`sideways: ${from} imports another feature's ${to}`);
  }
}

// Tarjan's strongly connected components: any component of two or more files (or a self-import) is a cycle.
let index = 0;
const stack = [];
const info = new Map();
function connect(v) {
  info.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of graph.get(v) ?? []) {
    if (!info.has(w)) {
      connect(w);
      info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
    } else if (info.get(w).onStack) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
  }
  if (info.get(v).low === info.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      info.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) problems.push(`cycle: ${component.sort().join(' <-> ')}`);
  }
}
for (const v of graph.keys()) if (!info.has(v)) connect(v);

const edges = [...floorEdges.entries()].sort(([a], [b]) => a.localeCompare(b));
console.log(`${files.length} files, ${edges.length} links between folders:`);
for (const [edge, count] of edges) console.log(`  ${edge} (${count})`);
if (problems.length) {
  console.error(`\n${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('\nNo cycle, no upward import, no feature importing another.');
