/**
 * Every file gpuctl reads goes through one reader (shared/regular-file.ts) that opens without blocking
 * and reads only a regular file. A FIFO where fly.toml, a policy or the autoscale state file should be
 * used to park a thread in open() for good (only SIGKILL ended gpuctl); now each command exits at once
 * with a clear error; the agent logs one and keeps answering. Real FIFOs (mkfifo), the built CLI as a process.
 */
import { execaSync } from 'execa';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadState } from '../../src/autoscale/state.js';
import { readRegularFile, readRegularFileSync } from '../../src/shared/regular-file.js';
import { ROOT } from '../helpers/cli.js';
import { startAgent, stopAll } from './agent-helpers.js';
import { deployedWorld } from './fly-world.js';

const fifo = (path: string) => execaSync('mkfifo', [path]);
const IS_FIFO = 'is a FIFO (named pipe), not a regular file; gpuctl reads only regular files.';

describe('a FIFO where a file should be', () => {
  for (const args of [['status'], ['validate'], ['deploy', '--dry-run']]) {
    it(`gpuctl ${args.join(' ')}: fly.toml as a FIFO is a clear error, at once`, async () => {
      const w = await deployedWorld();
      rmSync(join(w.dir, 'fly.toml'));
      fifo(join(w.dir, 'fly.toml'));
      const run = await w.gpuctl(args);
      expect(run.exitCode, run.stderr).not.toBe(-1); // not killed by the harness's timeout
      expect(run.exitCode).toBeGreaterThan(0);
      expect(run.stdout + run.stderr).toContain(IS_FIFO);
    });
  }

  it('gpuctl autoscale plan: a FIFO policy, and a FIFO state file, are clear errors, at once', async () => {
    const w = await deployedWorld();
    fifo(join(w.dir, 'policy.toml'));
    const policy = await w.gpuctl(['autoscale', 'plan', '-p', 'policy.toml', '--prometheus', 'http://127.0.0.1:9/']);
    expect(policy.exitCode, policy.stderr).toBe(2);
    expect(policy.stderr).toContain(`${join(w.dir, 'policy.toml')} ${IS_FIFO}`);

    copyFileSync(join(ROOT, 'examples/autoscale.toml'), join(w.dir, 'autoscale.toml'));
    const state = mkdtempSync(join(tmpdir(), 'gpuctl-state-'));
    mkdirSync(join(state, 'gpuctl', 'autoscale'), { recursive: true });
    fifo(join(state, 'gpuctl', 'autoscale', 'quant-signals.app.json'));
    const run = await w.gpuctl(['autoscale', 'plan', '-p', 'autoscale.toml', '--prometheus', 'http://127.0.0.1:9/'], {
      XDG_STATE_HOME: state,
    });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain(`quant-signals.app.json ${IS_FIFO}`);
  });

  it('GITHUB_STEP_SUMMARY naming a FIFO: validate warns and ends, instead of waiting for a reader', async () => {
    const w = await deployedWorld();
    const summary = join(mkdtempSync(join(tmpdir(), 'gpuctl-summary-')), 'summary');
    fifo(summary);
    const run = await w.gpuctl(['validate'], { GITHUB_STEP_SUMMARY: summary });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `Could not append to GITHUB_STEP_SUMMARY (${summary}): ${summary} is a FIFO (named pipe), not a regular file`,
    );
  });

  it("gpuctl agent: GPUCTL_DIAG_STATE naming a FIFO is logged; /metrics and /health still answer (the scrape's read never blocks)", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gpuctl-fifo-')), 'diag-last.json');
    fifo(path);
    const agent = await startAgent({ env: { GPUCTL_DIAG_STATE: path } });
    try {
      const get = (p: string) => fetch(`${agent.url}${p}`, { signal: AbortSignal.timeout(10_000) });
      const metrics = await get('/metrics');
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).not.toContain('gpuctl_diag_result{');
      expect((await get('/health')).status).toBe(200);
      expect(agent.stderr()).toContain(`cannot read the last diag verdict ${path}: ${path} ${IS_FIFO}`);
    } finally {
      await stopAll();
    }
  }, 60_000);

  it('the reader itself: FIFO, directory and /dev/zero refused (sync and async); a regular file read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-fifo-'));
    fifo(join(dir, 'p'));
    await expect(readRegularFile(join(dir, 'p'), 'utf8')).rejects.toThrow(IS_FIFO);
    expect(() => readRegularFileSync(join(dir, 'p'))).toThrow(IS_FIFO);
    await expect(readRegularFile(dir)).rejects.toThrow('is a directory, not a regular file');
    expect(() => readRegularFileSync('/dev/zero')).toThrow('/dev/zero is a character device, not a regular file');
    await expect(loadState(join(dir, 'p'), new Date())).rejects.toThrow(IS_FIFO);
    expect(await readRegularFile(join(ROOT, 'examples/autoscale.toml'), 'utf8')).toContain('[scale_up]');
  });
});
