/**
 * A real container engine for the image tests: Debian's podman with runc, the base images the generated
 * Dockerfiles name stood in for by scripts/standin-bases.sh (no registry serves them here), and that
 * script's containers.conf. A test that needs the engine fails naming what is missing; .ci/run installs it.
 */
import { execa, type Options } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onPath, ROOT } from './cli.js';

const SBIN = '/usr/local/sbin:/usr/sbin:/sbin';
const INSTALL = 'apt-get install -y podman runc debootstrap slirp4netns catatonit uidmap fuse-overlayfs';

/** podman's path; throws naming the packages when it (or what it needs to build the stand-ins) is missing. */
export function podmanPath(): string {
  const path = `${process.env.PATH ?? ''}:${SBIN}`;
  const missing = ['podman', 'runc', 'debootstrap'].filter((tool) => !onPath(tool, path));
  if (missing.length > 0)
    throw new Error(`These tests need a real container engine; missing: ${missing.join(', ')}. Run \`${INSTALL}\` (Debian).`);
  if (process.getuid?.() !== 0) throw new Error('These tests build base images with debootstrap and podman import, which need root.');
  return onPath('podman', path);
}

/**
 * The FROM images of a Dockerfile, ARG defaults filled in, stage names left out: what must exist
 * locally before it builds.
 */
export function fromImages(dockerfile: string): string[] {
  const args = new Map<string, string>();
  const stages = new Set<string>();
  const images: string[] = [];
  for (const line of dockerfile.split('\n')) {
    const arg = /^ARG\s+(\w+)=(\S+)/i.exec(line);
    if (arg) args.set(arg[1]!, arg[2]!);
    const from = /^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!from) continue;
    const image = from[1]!.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => args.get((a ?? b)!) ?? '');
    if (!stages.has(image) && image !== 'scratch' && !images.includes(image)) images.push(image);
    if (from[2]) stages.add(from[2]);
  }
  return images;
}

/** Makes the stand-ins for these images (cached by day); returns the environment podman runs with. */
export async function standins(images: readonly string[]): Promise<Record<string, string>> {
  podmanPath();
  const run = await execa(join(ROOT, 'scripts/standin-bases.sh'), [...images], {
    reject: false,
    timeout: 20 * 60_000,
    env: { PATH: `${process.env.PATH ?? ''}:${SBIN}` },
  });
  if (run.exitCode !== 0) throw new Error(`scripts/standin-bases.sh failed (${run.exitCode}):\n${run.stderr}`);
  const conf = run.stdout.trim().split('\n').at(-1) ?? '';
  return {
    CONTAINERS_CONF: conf,
    PATH: `${process.env.PATH ?? ''}:${SBIN}`,
    ...(process.env.CONTAINERS_STORAGE_CONF ? { CONTAINERS_STORAGE_CONF: process.env.CONTAINERS_STORAGE_CONF } : {}),
  };
}

/** Runs podman with the stand-ins' environment; never throws on a non-zero exit. */
export function podman(env: Record<string, string>, args: readonly string[], options: Options = {}) {
  return execa(podmanPath(), args, { reject: false, timeout: 10 * 60_000, ...options, env: { ...env, ...options.env } });
}

/** Builds DIR's Dockerfile on its stand-ins as TAG; throws with the build's last lines when it fails. */
export async function buildImage(dir: string, tag: string): Promise<Record<string, string>> {
  const env = await standins(fromImages(readFileSync(join(dir, 'Dockerfile'), 'utf8')));
  const build = await podman(env, ['build', '--pull=never', '--force-rm', '--label', 'gpuctl-e2e=1', '-t', tag, dir], { all: true });
  if (build.exitCode !== 0)
    throw new Error(`podman build ${dir} failed (${build.exitCode}):\n${String(build.all).split('\n').slice(-40).join('\n')}`);
  return env;
}
