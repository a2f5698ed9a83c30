/**
 * Every tool gpuctl starts runs in its own process group, and the whole group is ended: on timeout
 * (counted from the start, even when the tool exited and left a child holding its stdout), on one
 * SIGINT or SIGTERM, and when the tool exits. The fakes leave a real child behind
 * (FAKE_*_LEAVE_CHILD, test/fakes/leave-child.mjs) and write its pid; each test checks it is gone.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakePath, ROOT, runGpuctl, tempHome } from '../helpers/cli.js';
import { startAgent, stopAll } from './agent-helpers.js';
import { deployedWorld } from './fly-world.js';

afterEach(stopAll);

/** Running, not a zombie waiting to be reaped (/proc/<pid>/stat's third field). */
const running = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
  } catch {
    return false;
  }
};
const pidsIn = (file: string): number[] => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
/** The process has a SIGTERM handler (/proc/<pid>/status's SigCgt mask, bit 15 - 1). */
const trapsTerm = (pid: number) => {
  try {
    const mask = /SigCgt:\s*([0-9a-f]+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '0';
    return (BigInt(`0x${mask}`) & (1n << 14n)) !== 0n;
  } catch {
    return false;
  }
};
const leftFile = () => join(mkdtempSync(join(tmpdir(), 'gpuctl-left-')), 'pids');
const killLeft = (file: string) => {
  for (const pid of pidsIn(file)) if (running(pid)) process.kill(pid, 'SIGKILL');
};

const hangingSmi = (left: string) => ({
  FAKE_NVIDIA_SMI_FIXTURE: 'h200-x1/query.csv',
  FAKE_NVIDIA_SMI_MODE: 'hang',
  FAKE_NVIDIA_SMI_LEAVE_CHILD: left,
});

describe('process groups', () => {
  it('detect: a hanging nvidia-smi that started a child is timed out, child and all', async () => {
    const left = leftFile();
    try {
      const run = await runGpuctl(['detect'], {
        tools: ['nvidia-smi'],
        env: { ...hangingSmi(left), GPUCTL_NVIDIA_SMI_TIMEOUT_MS: '2000' },
        timeoutMs: 15_000,
      });
      expect(run.exitCode, run.stderr).not.toBe(-1);
      expect(run.stderr).toMatch(/nvidia-smi .*(2 s|2s|timed out|did not answer)/i);
      expect(pidsIn(left)).toHaveLength(1);
      await expect.poll(() => pidsIn(left).filter(running), { timeout: 3000 }).toEqual([]);
    } finally {
      killLeft(left);
    }
  });

  it('status: a flyctl that exits leaving a child on its stdout does not hold gpuctl', async () => {
    const left = leftFile();
    try {
      const w = await deployedWorld();
      const run = await w.gpuctl(['status'], { FAKE_FLYCTL_LEAVE_CHILD: left, GPUCTL_FLYCTL_TIMEOUT_MS: '2000' });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout).toContain('quant-signals');
      expect(pidsIn(left).length).toBeGreaterThan(0);
      await expect.poll(() => pidsIn(left).filter(running), { timeout: 3000 }).toEqual([]);
    } finally {
      killLeft(left);
    }
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`one ${signal} stops detect (exit ${code}) and leaves no grandchild`, async () => {
      const left = leftFile();
      const home = tempHome();
      try {
        // SIGTERM with --json: the error object's exitCode is the exit status (it said 130)
        const json = signal === 'SIGTERM';
        const child = execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), 'detect', ...(json ? ['--json'] : [])], {
          reject: false,
          extendEnv: false,
          cwd: home,
          timeout: 15_000,
          env: { PATH: fakePath(['nvidia-smi']), HOME: home, NO_COLOR: '1', ...hangingSmi(left) },
        });
        await expect.poll(() => pidsIn(left).length, { timeout: 10_000 }).toBe(1);
        child.kill(signal);
        const result = await child;
        expect(result.exitCode, String(result.stderr)).toBe(code);
        if (json)
          expect(JSON.parse(String(result.stdout))).toEqual({
            error: { code: 'interrupted', message: 'Interrupted while nvidia-smi was running.', hint: null, exitCode: code },
          });
        else expect(String(result.stderr)).toContain('Interrupted while nvidia-smi was running.');
        await expect.poll(() => pidsIn(left).filter(running), { timeout: 3000 }).toEqual([]);
      } finally {
        killLeft(left);
      }
    });
  }

  it('agent: two quick SIGTERMs (exit at once) still end its streaming nvidia-smi, child and all', async () => {
    const left = leftFile();
    try {
      const agent = await startAgent({ env: { FAKE_NVIDIA_SMI_LEAVE_CHILD: left } });
      await expect.poll(async () => (await agent.gpuHealth()).status, { timeout: 10_000 }).toBe(200);
      const [smi = 0] = pidsIn(agent.dir + '/smi.pids');
      const [child = 0] = pidsIn(left);
      // The child traps SIGTERM: the first signal's SIGTERM to the group does not end it, the exit must.
      await expect.poll(() => trapsTerm(child), { timeout: 5000 }).toBe(true);
      agent.child.kill('SIGTERM');
      agent.child.kill('SIGTERM');
      const result = await agent.child;
      expect(result.exitCode).toBe(143);
      await expect.poll(() => [smi, child].filter(running), { timeout: 3000 }).toEqual([]);
    } finally {
      killLeft(left);
    }
  });
});
