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
