/** Ctrl-C in the middle: the child tool is stopped, gpuctl says so and exits 130. */
import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakePath, ROOT, tempHome } from '../helpers/cli.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('SIGINT', () => {
  it('stops a hanging nvidia-smi and exits 130', async () => {
    const home = tempHome();
    const pidFile = join(mkdtempSync(join(tmpdir(), 'smi-pid-')), 'pids');
    const child = execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), 'detect'], {
      reject: false,
      extendEnv: false,
      cwd: home,
      env: {
        PATH: fakePath(['nvidia-smi']),
        HOME: home,
        NO_COLOR: '1',
        FAKE_NVIDIA_SMI_FIXTURE: 'h200-x1/query.csv',
        FAKE_NVIDIA_SMI_MODE: 'hang',
        FAKE_NVIDIA_SMI_PIDFILE: pidFile,
      },
    });
    await expect
      .poll(
        () => {
          try {
            return readFileSync(pidFile, 'utf8');
          } catch {
            return '';
          }
        },
        { timeout: 10_000 },
      )
      .toMatch(/^\d+\n$/);
    const smiPid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(smiPid)).toBe(true);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toContain('Interrupted while nvidia-smi was running.');
    await expect.poll(() => alive(smiPid), { timeout: 5_000 }).toBe(false);
  });
});

// `gpuctl … | head -1`: the reader goes away before gpuctl writes. git, gh and kubectl die of SIGPIPE there (the
// shell reads 141) and say nothing; gpuctl exited 0 (the code "so far"), which hid a failing command under pipefail.
describe('stdout closed early (EPIPE)', () => {
  it('exits 141, quietly', async () => {
    const home = tempHome();
    const child = execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), '--help'], {
      reject: false,
      extendEnv: false,
      cwd: home,
      env: { PATH: fakePath([]), HOME: home, NO_COLOR: '1' },
    });
    // Closed before gpuctl has loaded, so its first write meets a pipe with no reader.
    child.stdout.destroy();
    const run = await child;
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 141, stderr: '' });
  });
});
