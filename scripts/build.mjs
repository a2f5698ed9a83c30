// Bundles src/ into dist/ with esbuild. Dependencies stay external (installed from package.json);
// code splitting keeps `gpuctl --version` and `--help` from loading what only a command needs.
// The build goes to a fresh folder that replaces dist/ only when complete, so a CLI running from
// dist/ (tests, another build) never sees it half-written.
import { build } from 'esbuild';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));
const next = new URL(`dist.${process.pid}.tmp/`, root);
const old = new URL(`dist.${process.pid}.old/`, root);
// Start-up (issue 19 item 11, README "Performance"): the pure-JS dependencies every start or `validate`
// loads are bundled in, so Node reads one chunk instead of dozens of files (dockerfile-ast alone is ~45 CommonJS
// files). Everything else stays external.
export const INLINE = ['commander', 'chalk', 'smol-toml', 'yaml', 'dockerfile-ast', 'cli-table3'];
// commander requires node:child_process at load, for executable subcommands (`program.command('x', 'desc')`),
// which gpuctl never defines: child_process (and the net, dgram and stream modules it loads) cost ~10 ms of every
// start. The require moves to the one place that spawns. Fails the build when commander's source changes.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager))
        throw new Error(`${path}: commander no longer requires child_process as expected; see scripts/build.mjs`);
      const lazy = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
  },
};
// chalk detects the terminal's colours at import (node:tty, which loads node:net; node:os), for its default
// instances. gpuctl never uses those: src/ui/style.ts builds each Chalk with its own level. The detection is left out.
// commander, dockerfile-ast and cli-table3 are CommonJS that require() Node's modules: the ESM bundle gives them a
// require. esbuild puts the banner on every chunk; keepRequireWhereUsed() then blanks it (the line stays, so the
// source maps hold) in the chunks that never say `require`: createRequire in each of ~45 chunks was ~4 ms of a start.
const BANNER = "import { createRequire as __gpuctlRequire } from 'node:module'; const require = __gpuctlRequire(import.meta.url);";
async function keepRequireWhereUsed(dir) {
  for (const entry of await readdir(dir, { recursive: true })) {
    if (!entry.endsWith('.js')) continue;
    const file = new URL(entry, dir);
    const text = await readFile(file, 'utf8');
    const lines = text.split('\n');
    const at = lines[0]?.startsWith('#!') ? 1 : 0; // a bundled CLI's hashbang stays first
    if (lines[at] !== BANNER) throw new Error(`${entry}: the require banner is not where esbuild puts it; see scripts/build.mjs`);
    if (!/\brequire\b/.test(lines.slice(at + 1).join('\n'))) {
      lines[at] = '';
      await writeFile(file, lines.join('\n'));
    }
  }
}
// dockerfile-ast uses two functions of vscode-languageserver-types (Position.create, Range.create): scripts/shims/
// has them, as that package writes them. The build fails when dockerfile-ast uses more (an upgrade).
const lspTypesShim = {
  name: 'lsp-types-shim',
  setup(b) {
    b.onResolve({ filter: /^vscode-languageserver-types$/ }, async ({ importer }) => {
      if (!/[\\/]dockerfile-ast[\\/]/.test(importer)) return undefined;
      const source = await readFile(importer, 'utf8');
      const used = new Set(source.match(/vscode_languageserver_types_1\.[\w.]+/g));
      const requires = source.match(/require\("vscode-languageserver-types"\)/g)?.length ?? 0;
      const plain = source.match(/const vscode_languageserver_types_1 = require\("vscode-languageserver-types"\);/g)?.length ?? 0;
      const known = ['vscode_languageserver_types_1.Position.create', 'vscode_languageserver_types_1.Range.create'];
      if (requires !== plain || [...used].some((name) => !known.includes(name)))
        throw new Error(`${importer} uses more of vscode-languageserver-types than scripts/shims/ has: ${[...used].join(', ')}`);
      return { path: new URL('shims/vscode-languageserver-types.cjs', import.meta.url).pathname };
    });
  },
};
// dockerfile-ast re-scans an instruction's text for its arguments on every call (getRawArguments: ~11 times per
// instruction in one `validate`, each cold). An instruction never changes after the parse: the first scan is kept and
// each call gets its own copy of the array (callers shift and assign into it). The build fails when the source differs.
const memoArguments = {
  name: 'memo-arguments',
  setup(b) {
    b.onLoad({ filter: /[\\/]dockerfile-ast[\\/]lib[\\/]instruction\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const scan = '    getRawArguments() {\n';
      if (source.split(scan).length !== 2) throw new Error(`${path}: getRawArguments is not where scripts/build.mjs expects it`);
      const memo = '    getRawArguments() {\n        return (this.gpuctlRawArguments ??= this.gpuctlScanArguments()).slice();\n    }\n';
      return { contents: source.replace(scan, `${memo}    gpuctlScanArguments() {\n`), loader: 'js' };
    });
  },
};
const noColorDetection = {
  name: 'no-color-detection',
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, ({ importer }) =>
      /[\\/]chalk[\\/]/.test(importer) ? { path: 'supports-color', namespace: 'gpuctl-no-color-detection' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'gpuctl-no-color-detection' }, () => ({
      contents: 'export default { stdout: false, stderr: false };',
      loader: 'js',
    }));
  },
};
await build({
  entryPoints: ['src/cli.ts'],
  outdir: next.pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // @colors/colors: cli-table3's optional colouring, require()d only for styled cells (src/ui/table.ts styles none).
  external: [...Object.keys(pkg.dependencies).filter((name) => !INLINE.includes(name)), '@colors/colors'],
  banner: { js: BANNER },
  sourcemap: 'linked',
  plugins: [lazyChildProcess, noColorDetection, lspTypesShim, memoArguments],
  chunkNames: 'chunks/[name]-[hash]',
  define: { __GPUCTL_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
// dist/image/: the same CLI with its dependencies bundled in and minified, for the image `gpuctl init`
// writes (.gpuctl/gpuctl.tgz, src/init/agent-package.ts): the image's build then installs a package with
// no dependencies, so it needs no registry, and gpuctl's layer is ~3 MB instead of ~22 MB of node_modules.
await build({
  entryPoints: ['src/cli.ts'],
  outdir: new URL('image/', next).pathname,
  bundle: true,
  splitting: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __GPUCTL_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: BANNER },
  legalComments: 'none',
  plugins: [lazyChildProcess, noColorDetection, lspTypesShim, memoArguments],
  logLevel: 'error',
});
await keepRequireWhereUsed(next); // dist/ and dist/image/
// dist/native/ holds the prebuilt benchmark binary (npm run build:native-fat, minutes to make): keep it.
await rename(new URL('dist/native/', root), new URL('native/', next)).catch((error) => {
  if (error.code !== 'ENOENT') throw error;
});
await rename(new URL('dist/', root), old).catch((error) => {
  if (error.code !== 'ENOENT') throw error;
});
await rename(next, new URL('dist/', root));
await rm(old, { recursive: true, force: true });
