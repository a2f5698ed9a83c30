/**
 * A process below a child that left the child's process group for a session of its own (as a RUN step
 * under runc leaves `podman build`'s) is ended with the child on timeout and on abort: group signals
 * alone never reach it. Real processes; the stray's pid is written to a file to look it up afterwards.
 */
import { mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { execTool, processExists } from '../../../src/exec.js';

function tool(): { file: string; pidFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-strays-'));
  const pidFile = join(dir, 'stray.pid');
  const file = join(dir, 'tool.sh');
  // setsid: the sleep leads a new session (its own group); the tool then waits on it, as podman waits on runc.
  writeFileSync(file, `#!/bin/sh\nsetsid sh -c 'echo $$ > "$1"; exec sleep 1000' sh '${pidFile}' &\nwait\n`);
  chmodSync(file, 0o755);
  return { file, pidFile };
}

async function strayPid(pidFile: string): Promise<number> {
  await expect.poll(() => readFileSync(pidFile, 'utf8').trim(), { timeout: 5000 }).toMatch(/^\d+$/);
  return Number(readFileSync(pidFile, 'utf8'));
}

it('a timed-out tool takes the process that left its group with it', async () => {
  const { file, pidFile } = tool();
  writeFileSync(pidFile, '');
  const result = execTool({ file, args: [], timeoutMs: 1500 });
  const pid = await strayPid(pidFile);
  expect(processExists(pid)).toBe(true);
  expect((await result).kind).toBe('timeout');
  await expect.poll(() => processExists(pid), { timeout: 5000 }).toBe(false);
});

it('an aborted tool (Ctrl-C) takes it too', async () => {
  const { file, pidFile } = tool();
  writeFileSync(pidFile, '');
  const controller = new AbortController();
  const result = execTool({ file, args: [], timeoutMs: 60_000, signal: controller.signal });
  const pid = await strayPid(pidFile);
  controller.abort();
  expect((await result).kind).toBe('interrupted');
  await expect.poll(() => processExists(pid), { timeout: 5000 }).toBe(false);
});
