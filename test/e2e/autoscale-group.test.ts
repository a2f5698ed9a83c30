/**
 * autoscale's policy names a process group: one the app does not have is refused before anything is read or decided
 * (it was planned at every step, and flyctl refused it only when a step scaled), against the groups flyctl accepts:
 * the deployed configuration's, so a group scaled to zero is still one.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployedWorld, FLY_TOML } from './fly-world.js';

const WITH_WORKER = FLY_TOML.replace(
  'primary_region = "ord"\n',
  'primary_region = "ord"\n\n[processes]\n  app = "python app.py"\n  worker = "python worker.py"\n',
);
const policy = (group: string) =>
  `app = "quant-signals"\nprocess_group = "${group}"\nregions = ["ord"]\nmin = 1\nmax = 3\n\n[scale_up]\nabove = 80\nfor = "1m"\n\n[scale_down]\nbelow = 30\nfor = "5m"\n`;
// Nothing listens on port 9: the run gets as far as Prometheus only when the group passed.
const PROMETHEUS = ['--prometheus', 'http://127.0.0.1:9/'];

describe('gpuctl autoscale and the policy process group', () => {
  it('refuses a group the app does not have, naming its groups, before reading Prometheus', async () => {
    const w = await deployedWorld(WITH_WORKER);
    writeFileSync(join(w.dir, 'autoscale.toml'), policy('wokrer'));
    for (const sub of ['plan', 'run']) {
      const run = await w.gpuctl(['autoscale', sub, '-p', 'autoscale.toml', ...PROMETHEUS, ...(sub === 'run' ? ['--once'] : [])]);
      expect(run.exitCode, run.stderr).toBe(2);
      expect(run.stderr).toContain('The app has no process group "wokrer".');
      expect(run.stderr).toContain('Groups: app, worker.');
    }
  });

  it('takes a group scaled to zero (the deployed configuration still has it)', async () => {
    const w = await deployedWorld(WITH_WORKER);
    const down = await w.flyctl(['scale', 'count', '0', '--process-group', 'worker', '--app', 'quant-signals', '--yes']);
    expect(down.exitCode, down.stderr).toBe(0);
    writeFileSync(join(w.dir, 'autoscale.toml'), policy('worker'));
    const run = await w.gpuctl(['autoscale', 'plan', '-p', 'autoscale.toml', ...PROMETHEUS]);
    expect(run.stderr).not.toContain('no process group');
    expect(run.stdout).toContain('quant-signals, group worker');
    // Below min, the step scales it up through scale count's path (which refused a group without machines).
    const once = await w.gpuctl(['autoscale', 'run', '--once', '--dry-run', '-p', 'autoscale.toml', ...PROMETHEUS]);
    expect(once.stderr).not.toContain('no process group');
    expect(once.stdout).toContain('--process-group=worker');
  });
});
