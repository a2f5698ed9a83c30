/** exec's long-running primitive against a real child (node itself): lines, silence, stop, limits. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startStream } from '../../../src/exec.js';

const node = (code: string) => ({ file: process.execPath, args: ['-e', code] });

describe('startStream', () => {
  it('hands over each line as it comes and reports the exit', async () => {
    const lines: string[] = [];
    const handle = startStream({
      ...node('console.log("a"); console.log("b"); console.error("why"); process.exit(3)'),
      silenceTimeoutMs: 5000,
      onLine: (l) => lines.push(l),
    });
    expect(await handle.ended).toEqual({ kind: 'exited', exitCode: 3, stderrTail: 'why\n' });
    expect(lines).toEqual(['a', 'b']);
  });

  it('kills a tool that goes silent, with its whole process group', async () => {
    const code =
      'const { spawn } = require("node:child_process"); const c = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" }); console.log(c.pid); setInterval(() => {}, 1000)';
    let grandchild = 0;
    const handle = startStream({ ...node(code), silenceTimeoutMs: 300, firstLineTimeoutMs: 5000, onLine: (l) => (grandchild = Number(l)) });
    expect(await handle.ended).toMatchObject({ kind: 'silent', silenceMs: 300 });
    await expect
      .poll(() => {
        // Running, not a zombie waiting for init to reap it (/proc/<pid>/stat's third field).
        try {
          return readFileSync(`/proc/${grandchild}/stat`, 'utf8').split(' ')[2] !== 'Z';
        } catch {
          return false;
        }
      })
      .toBe(false);
  });

  it('stops on request and on abort, saying why', async () => {
    const handle = startStream({
      ...node('setInterval(() => console.log("x"), 20)'),
      silenceTimeoutMs: 5000,
      onLine: () => handle.stop('enough'),
    });
    expect(await handle.ended).toEqual({ kind: 'stopped', reason: 'enough' });
    const controller = new AbortController();
    const aborted = startStream({
      ...node('setInterval(() => {}, 1000)'),
      silenceTimeoutMs: 5000,
      onLine: () => undefined,
      signal: controller.signal,
    });
    controller.abort();
    expect(await aborted.ended).toEqual({ kind: 'stopped', reason: 'interrupted' });
  });

  it('says when the tool is not installed', async () => {
    const handle = startStream({ file: 'gpuctl-no-such-tool', args: [], silenceTimeoutMs: 1000, onLine: () => undefined });
    expect(await handle.ended).toEqual({ kind: 'not-found', file: 'gpuctl-no-such-tool' });
  });

  it('cuts a line that never ends instead of holding it all', async () => {
    const lines: number[] = [];
    const handle = startStream({
      ...node('process.stdout.write("y".repeat(200000)); setInterval(() => {}, 1000)'),
      silenceTimeoutMs: 5000,
      onLine: (l) => lines.push(l.length),
    });
    await expect.poll(() => lines.length).toBeGreaterThan(0);
    handle.stop('done');
    await handle.ended;
    expect(Math.max(...lines)).toBeLessThanOrEqual(64 * 1024);
  });
});
