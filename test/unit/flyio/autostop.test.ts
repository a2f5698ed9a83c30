import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { autostopOf, lastExitOf } from '../../../src/flyio/autostop.js';
import { decodeJson } from '../../../src/flyio/decode.js';
import { atRest, autostopShortfalls } from '../../../src/flyio/machines.js';
import { machineListSchema, type FlyMachine } from '../../../src/flyio/schemas.js';

const decoded = decodeJson(readFileSync(new URL('../../fixtures/flyctl/machine-list.json', import.meta.url), 'utf8'), machineListSchema);
if (!decoded.ok) throw new Error(decoded.reason);
// e2865641be6d86 in ord, 3d8d9016b3d089 in iad; both started, PRIMARY_REGION=ord, autostop true, min_machines_running 1.
const [ord, iad] = decoded.value as [FlyMachine, FlyMachine];
const stopped = (m: FlyMachine, lastExit: FlyMachine['lastExit'] = { requestedStop: true, exitCode: 0, oomKilled: false }): FlyMachine => ({
  ...m,
  state: 'stopped',
  checks: [],
  lastExit,
});

describe('reading autostop from the Machine JSON', () => {
  it("flyctl's machine list: the services' autostop, autostart, min_machines_running, PRIMARY_REGION, no exit yet", () => {
    expect(ord).toMatchObject({ autostop: { mode: 'stop', autostart: true, minRunning: 1 }, primaryRegion: 'ord', lastExit: null });
  });

  it('the most restrictive autostop of the services, as the proxy applies it; autostart only when every service starts', () => {
    expect(autostopOf([])).toEqual({ mode: 'off', autostart: false, minRunning: 0 });
    expect(autostopOf([{ autostop: 'suspend' }, { autostop: true, min_machines_running: 2 }])).toEqual({
      mode: 'stop',
      autostart: true,
      minRunning: 2,
    });
    expect(autostopOf([{ autostop: 'suspend' }, {}]).mode).toBe('off');
    expect(autostopOf([{ autostop: 'suspend', autostart: false }, { autostop: 'suspend' }])).toMatchObject({
      mode: 'suspend',
      autostart: false,
    });
    expect(autostopOf([{ autostop: false }]).mode).toBe('off');
    expect(autostopOf([{ autostop: 'stop' }]).mode).toBe('stop');
  });

  it('the newest exit since the last start; fly-go leaves out requested_stop and exit_code when false or 0', () => {
    const exit = (timestamp: number, exit_event: Record<string, unknown>) => ({ type: 'exit', timestamp, request: { exit_event } });
    const start = (timestamp: number) => ({ type: 'start', timestamp });
    expect(lastExitOf([start(5)])).toBeNull();
    expect(lastExitOf([exit(4, { requested_stop: true }), exit(5, { exit_code: 1 }), start(3)])).toEqual({
      requestedStop: false,
      exitCode: 1,
      oomKilled: false,
    });
    expect(lastExitOf([exit(9, { requested_stop: true }), exit(8, { oom_killed: true, exit_code: 137 }), start(1)])).toEqual({
      requestedStop: true,
      exitCode: 0,
      oomKilled: false,
    });
  });

  // deploy-gpu item 6: a crash, a restart, then a suspend (no exit event): the crash is not how this run ended.
  it("an exit from before the newest start is an earlier run's (flyctl: GetLatestEventOfTypeAfterType('exit', 'start'))", () => {
    const crash = { type: 'exit', timestamp: 2, request: { exit_event: { exit_code: 1 } } };
    const events = [{ type: 'suspend', timestamp: 9 }, { type: 'start', timestamp: 5 }, crash, { type: 'start', timestamp: 1 }];
    expect(lastExitOf(events)).toBeNull();
    // So a suspended machine of an autostop service reads as idle, not as crashed.
    const m = {
      ...ord,
      state: 'suspended',
      autostop: { mode: 'suspend' as const, autostart: true, minRunning: 0 },
      lastExit: lastExitOf(events),
    };
    expect(atRest(m, { autostop: true })).toBe('autostop');
    // Without the newer start, that crash is the last exit, as before.
    expect(lastExitOf([crash, { type: 'start', timestamp: 1 }])).toMatchObject({ exitCode: 1, requestedStop: false });
  });
});

describe('atRest: one rule for deploy and health', () => {
  it('autostop idleness only where the caller accepts it, for a stop someone asked for, in a state the mode leaves', () => {
    expect(atRest(stopped(ord), { autostop: true })).toBe('autostop');
    expect(atRest(stopped(ord))).toBeNull();
    expect(atRest(stopped(ord, { requestedStop: false, exitCode: 1, oomKilled: false }), { autostop: true })).toBeNull();
    expect(atRest(stopped(ord, null), { autostop: true })).toBe('autostop');
    expect(atRest({ ...ord, state: 'suspended' }, { autostop: true })).toBeNull();
    expect(atRest({ ...ord, state: 'stopping' }, { autostop: true })).toBe('autostop');
    expect(atRest({ ...ord, state: 'suspending' }, { autostop: true })).toBeNull();
    const suspending = { ...ord, autostop: { ...ord.autostop, mode: 'suspend' as const } };
    expect(atRest({ ...suspending, state: 'suspended' }, { autostop: true })).toBe('autostop');
    expect(atRest({ ...suspending, state: 'suspending' }, { autostop: true })).toBe('autostop');
    expect(atRest(stopped(suspending), { autostop: true })).toBe('autostop');
    expect(atRest(stopped({ ...ord, autostop: { ...ord.autostop, mode: 'off' } }), { autostop: true })).toBeNull();
    expect(atRest({ ...ord, state: 'failed' }, { autostop: true, resting: false })).toBeNull();
  });

  it('a stopped standby is at rest for both; a machine flyctl left stopped only for the deploy that left it', () => {
    const standby = {
      ...stopped(iad),
      autostop: { mode: 'off' as const, autostart: false, minRunning: 0 },
      standbyFor: [ord.id],
    };
    expect(atRest(standby)).toBe('standby');
    expect(atRest(standby, { autostop: true })).toBe('standby');
    const off = { ...stopped(iad), autostop: { mode: 'off' as const, autostart: false, minRunning: 0 } };
    expect(atRest(off, { resting: true })).toBe('left by deploy');
    expect(atRest(off, { autostop: true })).toBeNull();
  });
});

describe('autostopShortfalls', () => {
  it('min_machines_running counts the primary region only (PRIMARY_REGION): a started machine elsewhere does not help', () => {
    expect(autostopShortfalls([stopped(ord), iad])).toEqual([
      'group app: 0 of 1 machines started in its primary region ord, fewer than min_machines_running = 1',
    ]);
    expect(autostopShortfalls([ord, stopped(iad)])).toEqual([]);
  });

  it('without PRIMARY_REGION every region counts; the floor is capped at the machines there', () => {
    const anywhere = [stopped({ ...ord, primaryRegion: null }), { ...iad, primaryRegion: null }];
    expect(autostopShortfalls(anywhere)).toEqual([]);
    expect(autostopShortfalls(anywhere.map((m) => stopped(m)))).toEqual([
      'group app: 0 of 2 machines started in any region (no PRIMARY_REGION on its machines), fewer than min_machines_running = 1',
    ]);
    const many = { ...ord.autostop, minRunning: 3 };
    expect(
      autostopShortfalls([
        { ...ord, autostop: many },
        { ...iad, autostop: many },
      ]),
    ).toEqual([]);
  });

  it('groups are judged apart; a group without autostop is left to the per-machine rule', () => {
    const worker = (m: FlyMachine): FlyMachine => ({
      ...m,
      processGroup: 'worker',
      autostop: { mode: 'off', autostart: false, minRunning: 0 },
    });
    expect(autostopShortfalls([ord, stopped(worker(iad))])).toEqual([]);
    expect(autostopShortfalls([stopped(ord), worker(iad)])).toEqual([
      'group app: 0 of 1 machines started in its primary region ord, fewer than min_machines_running = 1',
    ]);
  });
});
