import { describe, expect, it } from 'vitest';
import { chooseGroup, convergeCounts, planCount } from '../../../src/scale/plan-count.js';
import type { FlyMachine } from '../../../src/flyio/schemas.js';
import { UsageError } from '../../../src/errors.js';

let n = 0;
function machine(region: string, group = 'app', state = 'started'): FlyMachine {
  n += 1;
  return {
    id: `m${n}`,
    name: '',
    state,
    region,
    image: '',
    processGroup: group,
    platformVersion: 'v2',
    releaseVersion: 3,
    guest: { cpuKind: 'performance', cpus: 2, memoryMb: 4096, gpuKind: null, gpus: 0 },
    checks: [],
    standbyFor: [],
    autostop: { mode: 'off', autostart: false, minRunning: 0 },
    primaryRegion: null,
    lastExit: null,
    restartPolicy: null,
    hostStatus: 'ok',
    createdAt: null,
    updatedAt: null,
  };
}

describe('convergeCounts (flyctl count_machines.go)', () => {
  const table: Array<[string, number, Record<string, number>, string[], number, Record<string, number>]> = [
    ['scale up round robin', 5, { ord: 1 }, ['ord', 'iad'], -1, { ord: 2, iad: 2 }],
    ['scale down from the end of the list', 1, { ord: 2, iad: 1 }, ['ord', 'iad'], -1, { ord: -1, iad: -1 }],
    ['max per region trims and fills', 4, { ord: 4 }, ['ord', 'iad'], 2, { ord: -2, iad: 2 }],
    ['nothing to do', 2, { ord: 2 }, ['ord'], -1, {}],
  ];
  it.each(table)('%s', (_name, expected, current, regions, max, diffs) => {
    expect(Object.fromEntries(convergeCounts(expected, current, regions, max))).toEqual(diffs);
  });

  it('refuses more machines than regions × max per region can hold', () => {
    expect(() => convergeCounts(5, {}, ['ord', 'iad'], 2)).toThrow(UsageError);
  });
});

describe('planCount', () => {
  it('plans across the regions the app has machines in, in machine order', () => {
    const plan = planCount([machine('ord'), machine('iad')], { count: 4, regions: [], group: undefined, maxPerRegion: undefined });
    expect(plan).toMatchObject({
      group: 'app',
      regions: ['ord', 'iad'],
      deltas: [
        { region: 'ord', delta: 1 },
        { region: 'iad', delta: 1 },
      ],
      totalBefore: 2,
      totalAfter: 4,
    });
  });

  it('says that --region leaves machines elsewhere alone (the group ends larger than N)', () => {
    const plan = planCount([machine('ord'), machine('ord')], { count: 2, regions: ['sjc'], group: undefined, maxPerRegion: undefined });
    expect(plan.deltas).toEqual([{ region: 'sjc', delta: 2 }]);
    expect(plan.untouched).toEqual({ ord: 2 });
    expect(plan.after).toEqual({ ord: 2, sjc: 2 });
    expect(plan.totalAfter).toBe(4);
  });

  it('ignores release-command and destroyed machines, and other groups', () => {
    const plan = planCount(
      [machine('ord'), machine('ord', 'fly_app_release_command'), machine('ord', 'app', 'destroyed'), machine('iad', 'worker')],
      { count: 1, regions: [], group: 'app', maxPerRegion: undefined },
    );
    expect(plan.before).toEqual({ ord: 1 });
    expect(plan.deltas).toEqual([]);
  });
});

describe('countMismatches', () => {
  it('reports regions where scale show disagrees with the plan', async () => {
    const { countMismatches } = await import('../../../src/scale/run.js');
    const plan = planCount([machine('ord')], { count: 2, regions: ['ord', 'iad'], group: undefined, maxPerRegion: undefined });
    // flyctl's round robin starts at the first region: the one new machine goes to ord.
    expect(plan.after).toEqual({ ord: 2 });
    expect(countMismatches(plan, { ord: 2 })).toEqual([]);
    expect(countMismatches(plan, { ord: 1, iad: 1 })).toEqual([
      'iad has 1 machine(s) of group app, planned 0',
      'ord has 1 machine(s) of group app, planned 2',
    ]);
  });
});

describe('chooseGroup (flyctl scale/count.go, checked before the plan)', () => {
  const none = { group: undefined };
  it('scales the only group, or app among several', () => {
    expect(chooseGroup([machine('ord', 'web')], none)).toBe('web');
    expect(chooseGroup([machine('ord', 'app'), machine('ord', 'worker')], none)).toBe('app');
    expect(chooseGroup([], none)).toBe('app');
  });
  it("counts fly.toml's groups as known: one scaled to zero can be scaled up", () => {
    expect(chooseGroup([machine('ord', 'app')], { group: 'worker', configGroups: ['app', 'worker'] })).toBe('worker');
  });
  it('refuses a group neither the machines nor fly.toml have, naming the groups', () => {
    const call = () => chooseGroup([machine('ord', 'app')], { group: 'wokrer', configGroups: ['app', 'worker'] });
    expect(call).toThrow(UsageError);
    expect(call).toThrow('The app has no process group "wokrer".');
    expect(() => planCount([machine('ord', 'app')], { count: 2, regions: [], group: 'typo', maxPerRegion: undefined })).toThrow(
      'no process group "typo"',
    );
  });
  it('without --group, several groups and none named app must be named (flyctl requires it too)', () => {
    const call = () => chooseGroup([machine('ord', 'web'), machine('ord', 'worker')], none);
    expect(call).toThrow('The app has 2 process groups (web, worker) and none is named "app".');
  });
  it('with nothing known, any group is left to flyctl', () => {
    expect(chooseGroup([], { group: 'web' })).toBe('web');
  });
});
