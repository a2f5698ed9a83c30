/**
 * A real server the tests start (Prometheus, Alertmanager): its process, its temp directory, and the wait
 * until its ready URL answers. `stop` always ends it (SIGTERM, SIGKILL after 3 s) and removes the directory;
 * a server that exits or never gets ready is stopped and reported with the end of its output.
 */
import { execa } from 'execa';
import { rmSync } from 'node:fs';

export async function startDaemon(
  name: string,
  bin: string,
  args: readonly string[],
  dir: string,
  readyUrl: string,
): Promise<() => Promise<void>> {
  const child = execa(bin, [...args], { reject: false, stdin: 'ignore', all: true, buffer: { all: true } });
  let exited = false;
  void child.then(() => (exited = true));
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await child;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (exited) {
      const result = await child;
      await stop();
      throw new Error(`${name} exited at start (${String(result.exitCode)}): ${String(result.all).slice(-800)}`);
    }
    const ok = await fetch(readyUrl).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return stop;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${name} did not become ready within 20 s`);
}
