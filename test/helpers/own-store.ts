/**
 * A podman storage of one test file's own: graphroot and runroot in a temporary directory, named by a storage.conf
 * in CONTAINERS_STORAGE_CONF, with the machine's store (the one `podman info` reports for ENV) added read-only as
 * an additionalimagestores entry. Builds there find the stand-in bases and the layers other files built (podman
 * 4.3.1 uses read-only images as build cache), and whatever they leave, an interrupted build's working containers
 * included, stays in the file's own store: the shared one, which other files build in at the same time, is only
 * read. `remove` deletes the store: its containers, its mounts, its directory.
 */
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { podman } from './engine.js';

export interface OwnStore {
  /** ENV with CONTAINERS_STORAGE_CONF naming the own store. */
  env: Record<string, string>;
  dir: string;
  /** What is in the own store besides the build cache: every container (podman's and a build's), tagged image, volume. */
  left(): Promise<string[]>;
  /** Removes the store's containers, unmounts what is still mounted under it and deletes it. */
  remove(): Promise<void>;
}

const lines = (text: unknown) => String(text).split('\n').filter(Boolean);

/** podman's stdout lines; a failure throws (an empty listing must mean nothing there, not an error). */
async function list(env: Record<string, string>, args: readonly string[]): Promise<string[]> {
  const run = await podman(env, args);
  if (run.exitCode !== 0) throw new Error(`podman ${args.join(' ')} failed (${run.exitCode}): ${String(run.stderr)}`);
  return lines(run.stdout);
}

/** The mount points under DIR, deepest first (/proc/self/mountinfo's fifth field; octal escapes undone). */
export function mountsUnder(dir: string, mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): string[] {
  return lines(mountinfo)
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((point) => point === dir || point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

export async function ownStore(env: Record<string, string>): Promise<OwnStore> {
  const info = await podman(env, ['info', '--format', '{{.Store.GraphDriverName}} {{.Store.GraphRoot}} {{json .Store.GraphOptions}}']);
  const [driver, shared, options] = String(info.stdout).trim().split(' ');
  if (info.exitCode !== 0 || !driver || !shared) throw new Error(`podman info failed (${info.exitCode}): ${String(info.stderr)}`);
  // The shared store's driver options (a mount_program, mount options) would have to be repeated here: none are set
  // where these tests run; say so rather than build on a store configured differently.
  if (options !== '{}') throw new Error(`ownStore: the shared store has graph options ${options}; repeat them in its storage.conf`);
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-podman-store-'));
  const conf = join(dir, 'storage.conf');
  writeFileSync(
    conf,
    `[storage]\ndriver = "${driver}"\ngraphroot = "${dir}/graph"\nrunroot = "${dir}/run"\n\n[storage.options]\nadditionalimagestores = ["${shared}"]\n`,
  );
  const own = { ...env, CONTAINERS_STORAGE_CONF: conf };
  const containers = () => list(own, ['ps', '--all', '--external', '--format', '{{.ID}} {{.Names}} {{.Status}}']);
  return {
    env: own,
    dir,
    async left() {
      const images = ['images', '--filter', 'readonly=false', '--filter', 'dangling=false', '--format', '{{.Repository}}:{{.Tag}}'];
      return [
        ...(await containers()),
        ...(await list(own, images)),
        ...(await list(own, ['volume', 'ls', '--format', 'volume {{.Name}}'])),
      ];
    },
    async remove() {
      const ids = (await containers()).map((line) => line.split(' ')[0]!);
      if (ids.length > 0) await podman(own, ['rm', '--force', ...ids]);
      for (const point of mountsUnder(dir)) await execa('umount', [point], { reject: false, timeout: 30_000 });
      const still = mountsUnder(dir);
      if (still.length > 0) throw new Error(`ownStore: still mounted under ${dir}: ${still.join(', ')}`);
      rmSync(dir, { recursive: true, force: true });
      if (existsSync(dir)) throw new Error(`ownStore: ${dir} is still there`);
    },
  };
}
