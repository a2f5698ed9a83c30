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

/**
 * A tool like `podman build`: it runs its steps one after another, each in a session of its own (pid files
 * STEPS.1, STEPS.2), and when a step fails it cleans up (writes "cleaned" to LOG) and exits 1. SIGTERM ends it
 * without its clean-up ("TERM" in LOG), as it ends podman without removing its build containers.
 */
function stepTool(afterSteps = 'echo cleaned >> "$2"; exit 1'): { file: string; steps: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-strays-'));
  const [file, steps, log] = [join(dir, 'build.sh'), join(dir, 'steps'), join(dir, 'log')];
  writeFileSync(
    file,
    `#!/bin/sh\ntrap 'echo TERM >> "$2"; exit 143' TERM\nfor step in 1 2; do\n  setsid sh -c 'echo $$ > "$1"; exec sleep 1000' sh "$1.$step" &\n  wait $!\ndone\n${afterSteps}\n`,
  );
  chmodSync(file, 0o755);
  writeFileSync(log, '');
  return { file, steps, log };
}

it('with abortGraceMs, an aborted tool is left to clean up: its steps are ended as they start, the tool is not signalled', async () => {
  const { file, steps, log } = stepTool();
  writeFileSync(`${steps}.1`, '');
  const controller = new AbortController();
  const result = execTool({ file, args: [steps, log], timeoutMs: 60_000, signal: controller.signal, abortGraceMs: 10_000 });
  const first = await strayPid(`${steps}.1`);
  controller.abort();
  expect(await result).toMatchObject({ kind: 'interrupted', exitedItself: true });
  // The second step started after the abort and was ended too; the tool then ran its clean-up.
  expect(readFileSync(log, 'utf8')).toBe('cleaned\n');
  const second = await strayPid(`${steps}.2`);
  for (const pid of [first, second]) await expect.poll(() => processExists(pid), { timeout: 5000 }).toBe(false);
});

it('with abortGraceMs, a tool still running when it is over is ended, and says so', async () => {
  // After its steps it waits on a child of its own group: only the group's end stops it.
  const { file, steps, log } = stepTool('sleep 1000');
  writeFileSync(`${steps}.1`, '');
  const controller = new AbortController();
  const result = execTool({ file, args: [steps, log], timeoutMs: 60_000, signal: controller.signal, abortGraceMs: 1000 });
  await strayPid(`${steps}.1`);
  controller.abort();
  expect(await result).toMatchObject({ kind: 'interrupted', exitedItself: false });
  expect(readFileSync(log, 'utf8')).toBe('TERM\n');
});
