// The image's figures (issue 17's targets), measured with the real engine: `npm run bench:image [-- --out FILE]`.
// Writes the CPU layout of `gpuctl init` with a tiny application into a temp directory, makes the stand-in
// bases (scripts/standin-bases.sh), then builds it with podman twice: cold (--no-cache: every layer rebuilt,
// the bases already there) and warm (one application file changed, the layer cache kept). Reports both build
// times, the image's size against its base's, and the gpuctl layers (node + the gpuctl package) from
// `podman history`. Needs root, podman, runc and debootstrap (see README). Prints a table; --out writes JSON.
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : undefined;
const PATH = `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin`;
const MB = (bytes) => Math.round(bytes / 1e5) / 10;

await execa('node', [join(root, 'scripts/build.mjs')], { stdio: 'inherit', timeout: 120_000 });
const dir = mkdtempSync(join(tmpdir(), 'gpuctl-image-bench-'));
mkdirSync(join(dir, 'app'));
writeFileSync(join(dir, 'app', '__init__.py'), '');
writeFileSync(join(dir, 'requirements.txt'), '');
const app = (salt) =>
  writeFileSync(
    join(dir, 'app', '__main__.py'),
    `# ${salt}\nimport http.server, os\nclass H(http.server.BaseHTTPRequestHandler):\n    def do_GET(self):\n        self.send_response(200); self.end_headers(); self.wfile.write(b'ok')\nhttp.server.ThreadingHTTPServer(('0.0.0.0', int(os.environ.get('GPUCTL_PORT', '8080'))), H).serve_forever()\n`,
  );
app('cold');
await execa('node', [join(root, 'bin/gpuctl.js'), 'init', '--yes', '-a', 'image-bench', '--dir', dir], { timeout: 60_000 });

const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
const args = Object.fromEntries([...dockerfile.matchAll(/^ARG (\w+)=(\S+)/gm)].map((m) => [m[1], m[2]]));
const stages = new Set([...dockerfile.matchAll(/^FROM .* AS (\S+)/gm)].map((m) => m[1]));
const images = [
  ...new Set([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1].replace(/\$\{(\w+)\}/g, (_, a) => args[a] ?? ''))),
].filter((image) => !stages.has(image));
const standins = await execa(join(root, 'scripts/standin-bases.sh'), images, { env: { PATH }, timeout: 30 * 60_000 });
const env = { PATH, CONTAINERS_CONF: standins.stdout.trim().split('\n').at(-1) };
const podman = (argv, options = {}) => execa('podman', argv, { env, timeout: 30 * 60_000, ...options });

const tag = `localhost/gpuctl-image-bench:${process.pid}`;
async function timedBuild(extra) {
  const started = process.hrtime.bigint();
  await podman(['build', '--pull=never', ...extra, '-t', tag, dir]);
  return Number(process.hrtime.bigint() - started) / 1e9;
}
const cold = await timedBuild(['--no-cache']);
app('warm');
const warm = await timedBuild([]);

const inspect = async (image) => JSON.parse((await podman(['image', 'inspect', image])).stdout)[0];
const history = JSON.parse((await podman(['history', '--format', 'json', tag])).stdout);
const layer = (path) => history.find((h) => h.CreatedBy.trimEnd().endsWith(` in ${path}`))?.size ?? NaN;
const base = images.find((image) => image.startsWith('ubuntu:')) ?? images[0];
const figures = {
  command: 'npm run bench:image',
  date: new Date().toISOString(),
  machine: `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}`,
  podman: (await podman(['--version'])).stdout.trim(),
  layout: 'CPU layout, inference, tiny Python http.server application',
  buildColdSeconds: Math.round(cold * 10) / 10,
  buildWarmSeconds: Math.round(warm * 10) / 10,
  imageMB: MB((await inspect(tag)).Size),
  baseMB: MB((await inspect(base)).Size),
  base,
  nodeLayerMB: MB(layer('/usr/local/bin/node')),
  gpuctlLayerMB: MB(layer('/usr/local/lib/node_modules/gpuctl')),
};
figures.gpuctlLayersMB = Math.round((figures.nodeLayerMB + figures.gpuctlLayerMB) * 10) / 10;
await podman(['rmi', '-f', tag]);

for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(18)} ${value}`);
if (out) writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
