import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitForRollout } from '../../../src/deploy/wait.js';
import { readFlyToml } from '../../../src/deploy/config.js';
import { assessRollout, skipsLaunch } from '../../../src/flyio/machines.js';
import { decodeJson } from '../../../src/flyio/decode.js';
import { machineListSchema, type FlyMachine } from '../../../src/flyio/schemas.js';
import { fakeClock as sharedFake } from '../../helpers/clock.js';

const decoded = decodeJson(readFileSync(new URL('../../fixtures/flyctl/machine-list.json', import.meta.url), 'utf8'), machineListSchema);
if (!decoded.ok) throw new Error(decoded.reason);
const healthy: FlyMachine[] = decoded.value;
const critical = (m: FlyMachine): FlyMachine => ({
  ...m,
  checks: [{ name: 'servicecheck-00-http-8080', status: 'critical', output: 'connection refused', updatedAt: null }],
});

describe('assessRollout', () => {
  it('is ready when every machine runs the release, started, checks passing', () => {
    expect(assessRollout(healthy, 7)).toMatchObject({ ready: true, problems: [] });
  });

  it('names each machine and what is wrong with it', () => {
    const [a, b] = healthy;
    const state = assessRollout([{ ...a!, releaseVersion: 6 }, critical({ ...b!, state: 'stopped' })], 7);
    expect(state.ready).toBe(false);
    expect(state.problems).toEqual([
      { machineId: 'e2865641be6d86', region: 'ord', reason: 'runs v6, not v7' },
      { machineId: '3d8d9016b3d089', region: 'iad', reason: 'is stopped' },
      { machineId: '3d8d9016b3d089', region: 'iad', reason: 'check servicecheck-00-http-8080 is critical: connection refused' },
    ]);
  });

  it("a stopped standby (flyctl's --ha for a group without services) is where it should be; a stopped machine is not", () => {
    const [a, b] = healthy;
    const standby: FlyMachine = { ...b!, state: 'stopped', standbyFor: [a!.id] };
    expect(assessRollout([a!, standby], 7)).toMatchObject({ ready: true, problems: [] });
    expect(assessRollout([a!, { ...standby, standbyFor: [] }], 7).problems).toEqual([
      { machineId: b!.id, region: 'iad', reason: 'is stopped' },
    ]);
    // flyctl creates a standby with skip_launch, which Fly documents may stay `created` (never started).
    expect(assessRollout([a!, { ...standby, state: 'created' }], 7)).toMatchObject({ ready: true, problems: [] });
    expect(assessRollout([a!, { ...standby, state: 'created', standbyFor: [] }], 7).problems).toEqual([
      { machineId: b!.id, region: 'iad', reason: 'is created' },
    ]);
    expect(assessRollout([a!, { ...standby, state: 'failed' }], 7).problems).toEqual([
      { machineId: b!.id, region: 'iad', reason: 'is failed' },
    ]);
  });

  it('a machine stopped or suspended before the deploy may stay so (flyctl does not start it), but must run the release', () => {
    const [a, b] = healthy;
    const idle: FlyMachine = critical({ ...b!, state: 'suspended' });
    expect(assessRollout([a!, idle], 7, new Set([b!.id]))).toMatchObject({ ready: true, problems: [] });
    expect(assessRollout([a!, { ...idle, releaseVersion: 6 }], 7, new Set([b!.id])).problems).toEqual([
      { machineId: b!.id, region: 'iad', reason: 'runs v6, not v7' },
    ]);
    expect(assessRollout([a!, idle], 7).problems.map((p) => p.reason)).toContain('is suspended');
    // Updated with skip_launch, it may stay `created` (superfly/docs machines/machine-states).
    expect(assessRollout([a!, { ...idle, state: 'created' }], 7, new Set([b!.id]))).toMatchObject({ ready: true, problems: [] });
  });

  // flyctl's skipLaunch (PR #2992): only autoscaling keeps a stopped machine stopped; a crashed one is started by a deploy.
  it('skipsLaunch: a standby, or stopped/suspended under autoscaling; a crashed machine of a plain app is started', () => {
    const [a, b] = healthy;
    const scaled = { services: true, autoscales: true };
    const plain = { services: true, autoscales: false };
    expect(skipsLaunch({ ...b!, state: 'stopped' }, scaled)).toBe(true);
    expect(skipsLaunch({ ...b!, state: 'suspended' }, scaled)).toBe(true);
    expect(skipsLaunch({ ...b!, state: 'stopped', standbyFor: [a!.id] }, { services: false, autoscales: false })).toBe(true);
    expect(skipsLaunch({ ...b!, state: 'stopped' }, plain)).toBe(false);
    expect(skipsLaunch({ ...b!, state: 'created' }, scaled)).toBe(false);
    expect(skipsLaunch({ ...b!, state: 'started', standbyFor: [a!.id] }, scaled)).toBe(false);
    // a started machine is always updated, even a standby whose group the new fly.toml gives no service
    expect(skipsLaunch({ ...b!, state: 'started', standbyFor: [a!.id] }, { services: false, autoscales: true })).toBe(false);
    // A standby whose group gains a service in the new fly.toml loses its standbys (flyctl launchInputForUpdate).
    expect(skipsLaunch({ ...b!, state: 'stopped', standbyFor: [a!.id] }, plain)).toBe(false);
  });

  // deploy-gpu item 5: flyctl reads the new config's services (fly.toml), not the ones the machine runs now.
  it("skipsLaunch reads the new fly.toml's autostop, per process group, not the machine's current services", () => {
    const [, b] = healthy;
    const launch = (toml: string) => {
      const read = readFlyToml('fly.toml', toml);
      if (!read.ok) throw new Error(read.finding.message);
      return read.facts.launchConfig;
    };
    // The machine autoscales today (its services) but the new fly.toml turns autostop off: flyctl starts it.
    const nowScaled: FlyMachine = { ...b!, state: 'stopped', autostop: { mode: 'stop', autostart: true, minRunning: 0 } };
    const off = launch('app = "q"\n[http_service]\n  internal_port = 8080\n  auto_stop_machines = "off"\n');
    expect(skipsLaunch(nowScaled, off('app'))).toBe(false);
    // And the other way: a plain machine today, autostop on in the new fly.toml: flyctl leaves it stopped.
    const nowPlain: FlyMachine = { ...b!, state: 'stopped', autostop: { mode: 'off', autostart: false, minRunning: 0 } };
    const on = launch('app = "q"\n[http_service]\n  internal_port = 8080\n  auto_stop_machines = "stop"\n');
    expect(skipsLaunch(nowPlain, on('app'))).toBe(true);
    // auto_start_machines = true autoscales too; a service without processes is the default group's only.
    const groups = launch(
      'app = "q"\n[processes]\n  app = "serve"\n  worker = "work"\n[http_service]\n  internal_port = 8080\n  auto_start_machines = true\n',
    );
    expect(groups('app')).toEqual({ services: true, autoscales: true });
    expect(groups('worker')).toEqual({ services: false, autoscales: false });
    expect(skipsLaunch({ ...nowPlain, processGroup: 'worker' }, groups('worker'))).toBe(false);
  });

  it('no machines is not a successful rollout', () => {
    expect(assessRollout([], 7)).toMatchObject({ ready: false, problems: [{ reason: 'the app has no machines' }] });
  });
});

/** Every sleep moves the fake time on at once (test/helpers/clock.ts). */
const fakeClock = () => sharedFake({ autoAdvance: true });

describe('waitForRollout', () => {
  const signal = new AbortController().signal;

  it('polls with backoff until ready', async () => {
    const clock = fakeClock();
    const answers = [healthy.map(critical), healthy.map(critical), healthy];
    const state = await waitForRollout(async () => answers.shift() ?? healthy, { release: 7, timeoutMs: 60_000, signal, clock });
    expect(state.ready).toBe(true);
    expect(clock.sleeps).toEqual([1000, 1600]);
    // deploy prints the time it took: the time of the poll that saw it ready, not the timeout
    expect(state.elapsedMs).toBe(2600);
  });

  it('tells each poll to the caller (the progress lines); the pause grows to 10 s at most', async () => {
    const clock = fakeClock();
    const seen: boolean[] = [];
    await waitForRollout(async () => healthy.map(critical), {
      release: 7,
      timeoutMs: 60_000,
      signal,
      clock,
      onPoll: (state) => seen.push(state.ready),
    });
    expect(clock.sleeps.slice(4, 8)).toEqual([6553.6, 10_000, 10_000, 10_000]);
    expect(seen).toHaveLength(clock.sleeps.length + 1);
  });

  it('a machine stopped before the deploy may stay stopped on the new release', async () => {
    const [a, b] = healthy;
    const resting = critical({ ...b!, state: 'stopped' });
    const wait = (rest?: Set<string>) =>
      waitForRollout(async () => [a!, resting], { release: 7, timeoutMs: 5000, signal, clock: fakeClock(), resting: rest });
    expect(await wait(new Set([b!.id]))).toMatchObject({ ready: true, elapsedMs: 0 });
    expect((await wait()).ready).toBe(false);
  });

  // issue 13: `--wait-timeout 15s` gave up at 9.4 s (when the next pause would pass the deadline).
  it('waits until the deadline and checks one last time at it, with the last problems', async () => {
    const clock = fakeClock();
    const polls: number[] = [];
    const state = await waitForRollout(async () => (polls.push(clock.monotonic()), healthy.map(critical)), {
      release: 7,
      timeoutMs: 15_000,
      signal,
      clock,
    });
    expect(state.ready).toBe(false);
    expect(clock.sleeps).toEqual([1000, 1600, 2560, 4096, 5744]);
    expect(polls.at(-1)).toBe(15_000);
    expect(state.elapsedMs).toBe(15_000);
    expect(state.problems).toHaveLength(2);
  });

  it('a rollout that is healthy at the deadline counts', async () => {
    const clock = fakeClock();
    const state = await waitForRollout(async () => (clock.monotonic() >= 5000 ? healthy : healthy.map(critical)), {
      release: 7,
      timeoutMs: 5000,
      signal,
      clock,
    });
    expect(state.ready).toBe(true);
    expect(clock.sleeps).toEqual([1000, 1600, 2400]);
  });

  it('Ctrl-C during a pause ends the wait at once, as an interruption', async () => {
    const clock = sharedFake();
    const abort = new AbortController();
    const waiting = waitForRollout(async () => healthy.map(critical), { release: 7, timeoutMs: 60_000, signal: abort.signal, clock });
    await clock.advance(500);
    abort.abort();
    await expect(waiting).rejects.toThrow('Interrupted while waiting for the machines.');
    expect(clock.monotonic()).toBe(500);
  });

  describe("a machine Fly's proxy stops by autostop during the wait (no traffic while another machine loads)", () => {
    const [a, b] = healthy;
    const autostop = { mode: 'stop' as const, autostart: true, minRunning: 0 };
    const proxyStopped = (m: FlyMachine): FlyMachine => ({
      ...m,
      state: 'stopped',
      autostop,
      lastExit: { requestedStop: true, exitCode: 0, oomKilled: false },
    });
    // The last answer repeats until the deadline.
    const run = async (polls: FlyMachine[][]) =>
      waitForRollout(async () => (polls.length > 1 ? polls.shift()! : polls[0]!), {
        release: 7,
        timeoutMs: 10_000,
        signal,
        clock: fakeClock(),
      });

    it('is accepted once it was seen started with its checks passing, and named as such', async () => {
      const idle = proxyStopped(a!);
      const state = await run([
        [{ ...a!, autostop }, critical(b!)],
        [idle, critical(b!)],
        [idle, b!],
      ]);
      expect(state).toMatchObject({ ready: true, problems: [], atRest: { [a!.id]: 'autostop' } });
    });

    it('is not accepted when it never passed during the wait (it may never have started the release)', async () => {
      const state = await run([[proxyStopped(a!), b!]]);
      expect(state.ready).toBe(false);
      expect(state.problems).toEqual([{ machineId: a!.id, region: 'ord', reason: 'is stopped' }]);
    });

    it('a crash or an OOM kill after passing is not a proxy stop; nor is a stop on a service without autostop', async () => {
      const exited = { ...proxyStopped(a!), lastExit: { requestedStop: false, exitCode: 1, oomKilled: false } };
      const oom = { ...proxyStopped(a!), lastExit: { requestedStop: false, exitCode: 137, oomKilled: true } };
      const off = { ...proxyStopped(a!), autostop: { ...autostop, mode: 'off' as const } };
      const after = async (later: FlyMachine) =>
        (
          await run([
            [a!, critical(b!)],
            [later, b!],
          ])
        ).problems.map((p) => p.reason);
      expect(await after(exited)).toEqual(['is stopped (its process exited with code 1)']);
      expect(await after(oom)).toEqual(['is stopped (killed: out of memory)']);
      expect(await after(off)).toEqual(['is stopped']);
    });
  });
});
