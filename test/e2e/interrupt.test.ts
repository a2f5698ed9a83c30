/** Ctrl-C in the middle: the child tool is stopped, gpuctl says so and exits 130. */
import { execa } from 'execa';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakePath, ROOT, tempHome } from '../helpers/cli.js';

describe('SIGINT', () => {
  it('stops a hanging nvidia-smi and exits 130', async () => {
    const home = tempHome();
    const child = execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), 'detect'], {
      reject: false,
      extendEnv: false,
      cwd: home,
      env: { PATH: fakePath(['nvidia-smi']), HOME: home, NO_COLOR: '1', FAKE_NVIDIA_SMI_FIXTURE: 'h200-x1/query.csv', FAKE_NVIDIA_SMI_MODE: 'hang' },
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toContain('Interrupted while nvidia-smi was running.');
  });
});
