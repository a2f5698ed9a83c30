// Bundles src/ into dist/ with esbuild. Dependencies stay external (installed from package.json);
// code splitting keeps `gpuctl --version` and `--help` from loading what only a command needs.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __GPUCTL_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
