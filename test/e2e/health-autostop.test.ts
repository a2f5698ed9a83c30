// gpuctl health on apps whose services autostop (auto_stop_machines = "stop"/"suspend"): a machine the proxy stopped
// or suspended is idle, not a failure, as `fly status` shows it; min_machines_running (primary region only),
// auto_start_machines = false, a crash, an app without autostop and --require-started still fail.
import { describe, expect, it } from 'vitest';
import type { HealthJson } from '../../src/health/assess.js';
import type { StatusJson } from '../../src/status/view.js';
import { flyState } from '../fakes/flyctl/seed.mjs';
import { deployedWorld, FLY_TOML, type World } from './fly-world.js';

/** The fake world's fly.toml with these lines added to its [http_service] (primary_region = "ord"). */
const withService = (lines: string) => FLY_TOML.replace('  force_https = true\n', `  force_https = true\n${lines}`);
const AUTOSTOP = withService('  auto_stop_machines = "stop"\n  auto_start_machines = true\n  min_machines_running = 0\n');

async function health(w: World, extra: string[] = []): Promise<{ exitCode: number; json: HealthJson }> {
  const run = await w.gpuctl(['health', '--no-probe', '--json', ...extra]);
  return { exitCode: run.exitCode, json: JSON.parse(run.stdout) as HealthJson };
}

const ids = (w: World) =>
  flyState(w.state)
    .machines('quant-signals')
    .map((m) => m.id);

describe('gpuctl health with autostop', () => {
  it('a machine the proxy stopped is "stopped (autostop)" and idle, not a failure; --require-started fails it', async () => {
    const w = await deployedWorld(AUTOSTOP);
    const [idle, busy] = ids(w);
    flyState(w.state).stopMachine('quant-signals', idle!);
    const run = await w.gpuctl(['health', '--no-probe']);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`${idle} +ord +stopped \\(autostop\\) +none +idle`));
    expect(run.stdout).toMatch(new RegExp(`${busy} +ord +started +1/1 passing +healthy`));
    const { json } = await health(w);
    expect(json.machines.find((m) => m.id === idle)).toMatchObject({ state: 'stopped', atRest: 'autostop', healthy: true, reasons: [] });
    // Every machine idle is fine too with min_machines_running = 0: the proxy starts one on the next request.
    flyState(w.state).stopMachine('quant-signals', busy!);
    expect((await health(w)).exitCode).toBe(0);
    const strict = await health(w, ['--require-started']);
    expect(strict.exitCode).toBe(1);
    expect([...strict.json.reasons].sort()).toEqual([`machine ${busy} (ord) is stopped`, `machine ${idle} (ord) is stopped`].sort());
  });

  it('fewer machines started in the primary region than min_machines_running fail, naming the group and the region', async () => {
    const w = await deployedWorld(withService('  auto_stop_machines = "stop"\n  auto_start_machines = true\n  min_machines_running = 1\n'));
    const [first, second] = ids(w);
    flyState(w.state).stopMachine('quant-signals', first!);
    expect((await health(w)).exitCode).toBe(0);
    flyState(w.state).stopMachine('quant-signals', second!);
    const { exitCode, json } = await health(w);
    expect(exitCode).toBe(1);
    expect(json.shortfalls).toEqual(['group app: 0 of 2 machines started in its primary region ord, fewer than min_machines_running = 1']);
    expect(json.reasons).toEqual(json.shortfalls);
    expect(json.machines.every((m) => m.atRest === 'autostop' && m.healthy)).toBe(true);
    const text = await w.gpuctl(['health', '--no-probe']);
    expect(text.stdout).toContain('✗ group app: 0 of 2 machines started in its primary region ord, fewer than min_machines_running = 1');
    expect(text.stdout).toContain('quant-signals is unhealthy: 1 problem.');
  });

  it('a machine whose process exited by itself (or ran out of memory) was not stopped by the proxy: it fails', async () => {
    const w = await deployedWorld(AUTOSTOP);
    const [crashed, oom] = ids(w);
    flyState(w.state).stopMachine('quant-signals', crashed!, { requested: false, exitCode: 1 });
    flyState(w.state).stopMachine('quant-signals', oom!, { requested: false, oomKilled: true, exitCode: 137 });
    const { exitCode, json } = await health(w);
    expect(exitCode).toBe(1);
    expect(json.reasons).toEqual(
      expect.arrayContaining([
        `machine ${crashed} (ord) is stopped (its process exited with code 1)`,
        `machine ${oom} (ord) is stopped (killed: out of memory)`,
      ]),
    );
  });

  it('without autostop a stopped machine still fails; with auto_start_machines = false so does having none started', async () => {
    const plain = await deployedWorld();
    const [one] = ids(plain);
    flyState(plain.state).stopMachine('quant-signals', one!);
    const off = await health(plain);
    expect(off.exitCode).toBe(1);
    expect(off.json.reasons).toEqual([`machine ${one} (ord) is stopped`]);

    const noStart = await deployedWorld(withService('  auto_stop_machines = "stop"\n  auto_start_machines = false\n'));
    const [a, b] = ids(noStart);
    flyState(noStart.state).stopMachine('quant-signals', a!);
    expect((await health(noStart)).exitCode).toBe(0);
    flyState(noStart.state).stopMachine('quant-signals', b!);
    const none = await health(noStart);
    expect(none.exitCode).toBe(1);
    expect(none.json.reasons).toEqual([
      'group app: no machine is started, and its services do not start one on a request (auto_start_machines = false)',
    ]);
  });

  it('"suspend": a suspended machine is "suspended (autostop)"; under "stop" the proxy does not suspend, so it fails', async () => {
    const w = await deployedWorld(withService('  auto_stop_machines = "suspend"\n'));
    const [idle] = ids(w);
    flyState(w.state).stopMachine('quant-signals', idle!, { state: 'suspended' });
    const run = await w.gpuctl(['health', '--no-probe']);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`${idle} +ord +suspended \\(autostop\\) +none +idle`));

    const stop = await deployedWorld(AUTOSTOP);
    const [other] = ids(stop);
    flyState(stop.state).stopMachine('quant-signals', other!, { state: 'suspended' });
    const failed = await health(stop);
    expect(failed.exitCode).toBe(1);
    expect(failed.json.reasons).toEqual([`machine ${other} (ord) is suspended`]);
  });

  it('gpuctl status shows the same rule: "stopped (autostop)" and atRest in --json; a crashed machine stays plain stopped', async () => {
    const w = await deployedWorld(AUTOSTOP);
    const [idle, crashed] = ids(w);
    flyState(w.state).stopMachine('quant-signals', idle!);
    flyState(w.state).stopMachine('quant-signals', crashed!, { requested: false, exitCode: 1 });
    const text = await w.gpuctl(['status']);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`${idle} +ord +stopped \\(autostop\\) `));
    expect(text.stdout).toMatch(new RegExp(`${crashed} +ord +stopped +app `));
    const json = JSON.parse((await w.gpuctl(['status', '--json'])).stdout) as StatusJson;
    expect(json.machines.map((m) => [m.id, m.state, m.atRest])).toEqual(
      expect.arrayContaining([
        [idle, 'stopped', 'autostop'],
        [crashed, 'stopped', null],
      ]),
    );
  });
});
