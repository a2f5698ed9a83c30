/**
 * Every file a message points a user at (a hint's 'examples/autoscale.toml', a help text's 'docs/autoscale.md', a
 * generated file's comment) is in what `npm pack` ships, and so is the LICENSE package.json's "license" names.
 * Read from the sources: string literals in src/ (comments are for developers, who have the repository) and
 * every file under templates/ (they are copied into a user's project).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, test } from 'vitest';
import { onPath, ROOT } from '../helpers/cli.js';

/** A path into docs/ or examples/ as a message writes it; not a URL's path, not ../shared/docs. */
const NAMED_PATH = /(?<![\w./:-])((?:docs|examples)\/[\w./-]*\w\.(?:md|toml|txt|json|ya?ml))/g;

/** Strips comments from TypeScript so only what reaches a user (strings) is read. A rough cut, good for this code. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** path → the first source file that names it. */
function namedPaths(): Map<string, string> {
  const named = new Map<string, string>();
  const sources = [
    ...filesUnder('src')
      .filter((f) => f.endsWith('.ts'))
      .map((f) => [f, withoutComments(readFileSync(f, 'utf8'))] as const),
    ...filesUnder('templates').map((f) => [f, readFileSync(f, 'utf8')] as const),
  ];
  for (const [file, text] of sources)
    for (const match of text.matchAll(NAMED_PATH)) if (!named.has(match[1]!)) named.set(match[1]!, file.slice(ROOT.length + 1));
  return named;
}

let shipped: string[];
beforeAll(async () => {
  // --ignore-scripts: the listing without prepack's build (the files `files` selects are the same; packed-install.test.ts runs the real pack).
  const run = await execa(onPath('npm'), ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    timeout: 60_000,
    env: { npm_config_update_notifier: 'false' },
  });
  shipped = (JSON.parse(run.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
}, 90_000);

describe('the packed package holds what its messages point to', () => {
  test('the sources name paths (the scan finds the known hints)', () => {
    expect([...namedPaths().keys()]).toEqual(
      expect.arrayContaining(['examples/autoscale.toml', 'docs/autoscale.md', 'docs/alerts.md', 'docs/bench.md']),
    );
  });

  test('every docs/ and examples/ path a message names is in the tarball', () => {
    const missing = [...namedPaths()].filter(([path]) => !shipped.includes(path)).map(([path, file]) => `${path} (named in ${file})`);
    expect(missing).toEqual([]);
  });

  test('the LICENSE that package.json names ships, and says that license', () => {
    const license = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string }).license;
    expect(shipped).toContain('LICENSE');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(new RegExp(`^${license} License`));
  });
});
