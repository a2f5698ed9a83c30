/**
 * gpuctl's own package, for the image: the Dockerfile installs `gpuctl agent` from `.gpuctl/gpuctl.tgz`,
 * which init writes into the build context from the gpuctl that runs it (package.json, bin/, templates/
 * and the build's dist/image/ as dist/, as `npm pack` lays them out under package/). dist/image/ is the
 * CLI with its dependencies bundled in (scripts/build.mjs), so the package.json written here declares
 * none: installing it needs no registry, and the image's gpuctl layer is the ~3 MB bundle, not
 * node_modules. The tarball is reproducible: the same gpuctl gives the same bytes (sorted entries, fixed
 * times and owners), so a second init reports it identical.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FailedError } from '../errors.js';
import { jsonText } from '../ui/output.js';
import { templatesDir } from './templates.js';

export { AGENT_PACKAGE_PATH } from '../shared/init-files.js';

export interface PackageEntry {
  /** Path inside the package (the tarball adds "package/"). */
  path: string;
  content: Uint8Array;
  mode: number;
}

export interface AgentPackage {
  version: string;
  bytes: Uint8Array;
}

/** npm's own fixed time for reproducible tarballs (1985-10-26T08:15:00Z). */
const MTIME = 499162500;

function header(name: string, size: number, mode: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: the path ${name} is longer than 100 bytes`);
  const h = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number) => h.write(text, offset, length, 'utf8');
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, '0');
  put(name, 0, 100);
  put(`${octal(mode, 8)}\0`, 100, 8);
  put(`${octal(0, 8)}\0`, 108, 8);
  put(`${octal(0, 8)}\0`, 116, 8);
  put(`${octal(size, 12)}\0`, 124, 12);
  put(`${octal(MTIME, 12)}\0`, 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const byte of h) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** A gzipped ustar archive of the entries under package/, in path order. Pure. */
export function tarGz(entries: readonly PackageEntry[]): Uint8Array {
  const parts: Buffer[] = [];
  for (const entry of [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    parts.push(header(`package/${entry.path}`, entry.content.length, entry.mode), Buffer.from(entry.content));
    const pad = (512 - (entry.content.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

/** What plan/diff compare for a binary file: one line that changes whenever the bytes do. */
export function fingerprint(bytes: Uint8Array, what: string): string {
  return `${what}: ${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}\n`;
}

function walk(root: string, dir: string, keep: (path: string) => boolean): PackageEntry[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return walk(root, path, keep);
    if (!d.isFile() || !keep(path)) return [];
    const mode = statSync(join(root, path)).mode & 0o111 ? 0o755 : 0o644;
    return [{ path: relative('.', path), content: readFileSync(join(root, path)), mode }];
  });
}

/** The image's package.json: what npm needs to install the bundle and link its bin, and no dependencies. */
function imageManifest(source: Record<string, unknown>): Uint8Array {
  const keep = ['name', 'version', 'description', 'license', 'type', 'bin', 'engines'];
  const manifest = Object.fromEntries(keep.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
  return Buffer.from(jsonText(manifest));
}

/** Packs the running gpuctl (found above its templates/). Throws when it has not been built. */
export function loadAgentPackage(root: string = dirname(templatesDir())): AgentPackage {
  if (!existsSync(join(root, 'dist', 'image', 'cli.js'))) {
    throw new FailedError(`This gpuctl has no built dist/image/ at ${root}, so init cannot put the agent into the image.`, {
      hint: 'Run `npm run build` in the gpuctl checkout, or install gpuctl from its package.',
    });
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string } & Record<string, unknown>;
  const image = join('dist', 'image');
  const entries: PackageEntry[] = [
    { path: 'package.json', content: imageManifest(pkg), mode: 0o644 },
    ...walk(root, 'bin', () => true),
    ...walk(root, image, (p) => p.endsWith('.js')).map((e) => ({ ...e, path: join('dist', relative(image, e.path)) })),
    ...walk(root, 'templates', () => true),
  ];
  return { version: pkg.version, bytes: tarGz(entries) };
}
